import Foundation
import Grader
import Logging

/// How a self-check ends, and the exit code `grade --local` gives it, for scripts.
public enum SelfCheckOutcome: String, Sendable {
    /// Every public case passed: exit 0.
    case passed
    /// It built, and some public case failed: exit 1.
    case failed
    /// It did not build (or there was nothing to build): exit 2.
    case doesNotBuild = "does-not-build"

    /// The exit code of a check that could not run at all (no course, no compiler, a sandbox or toolkit
    /// that does not start): the machine's problem, not the code's.
    public static let cannotRunExitCode: Int32 = 3

    /// The outcome of `report`.
    public init(_ report: SubmissionReport) {
        switch report.status {
        case .compileError, .compileTimeout, .compileMemoryLimit, .noSources: self = .doesNotBuild
        case .graded, .graderError: self = ResultsJSON.Submission(report).allAccepted ? .passed : .failed
        }
    }

    /// The process's exit code.
    public var exitCode: Int32 {
        switch self {
        case .passed: 0
        case .failed: 1
        case .doesNotBuild: 2
        }
    }
}

/// A student's self-check: the submission in a folder graded on the public cases only, recording nothing.
///
/// A fault of the machine (no compiler, a toolkit or sandbox that does not start, data that cannot be
/// read) is said to be one, never reported as a problem with the student's code.
public struct SelfCheck {
    /// The course.
    public let layout: CourseLayout
    /// The practicals that can be checked: the course's drivers, or the stored cases of a student's kit.
    public let registry: PracticalRegistry
    /// Where notes go.
    public var logger = Logger(label: "grade")

    /// A self-check against the course (or kit) at `layout`, with the practicals of `registry`.
    public init(layout: CourseLayout, registry: PracticalRegistry) {
        self.layout = layout
        self.registry = registry
    }

    /// The assignment named, else the one in whose `Submissions/<id>/` folder `folder` is, else the only one there is.
    public func assignment(named assignment: String?, for folder: URL) throws -> String {
        if let assignment { return assignment }
        let known = layout.assignmentIDs()
        let components = folder.pathComponents
        if let index = components.lastIndex(of: "Submissions"), index + 1 < components.count, known.contains(components[index + 1]) {
            return components[index + 1]
        }
        if known.count == 1 { return known[0] }
        throw ServiceFailure("say which assignment to check, for example `grade --local \(known.first ?? "practical1")`; known: \(known.joined(separator: ", "))")
    }

    /// The report of the submission in `folder` on the public cases of `assignment`, and its feedback.
    ///
    /// The kit's or the course's own folder is refused before anything is built: its `.swift` files are
    /// CourseKit's (or the grader's), not a solution, and would only fail to compile.
    public func check(_ folder: URL, assignment: String) throws -> (report: SubmissionReport, feedback: String) {
        let opened = try open(assignment)
        if folder.resolvingSymlinksInPath().path == layout.root.resolvingSymlinksInPath().path {
            throw ServiceFailure(layout.isStudentKit
                ? "\(folder.path) is the kit's folder, not your solution's: run grade --local from Solution/, the folder with your solution's .swift files (`cd Solution` then `../bin/grade --local`)"
                : "\(folder.path) is the course's folder, not a submission's: run grade --local from the folder with your .swift files, such as Submissions/\(assignment)/<your id>/")
        }
        return try check(folder, assignment: assignment, driver: opened.driver, loaded: opened.loaded)
    }

    /// Public case `number` of check `checkID` of `assignment`, with every input in full, as a `SavedCase`
    /// file holds it (`grade --local --case <check>/public-<n> --save FILE`), and the name of the call type
    /// that reads it (`Practical1Call`). Hidden cases are never saved.
    public func savedCase(assignment: String, checkID: String, number: Int) throws -> (json: Data, callType: String) {
        let opened = try open(assignment)
        return try savedCase(assignment: assignment, checkID: checkID, number: number, driver: opened.driver, loaded: opened.loaded)
    }

    /// `assignment` opened once: its spec and rubric read and validated, and its practical's driver.
    private func open(_ assignment: String) throws -> OpenedAssignment {
        do { return try registry.open(assignment, in: layout, requireRubric: false) } catch let error as SpecError {
            throw ServiceFailure("the assignment spec has problems:\n\(error)")
        } catch let fault as GraderFault {
            throw ServiceFailure("the check cannot run on this machine (not a problem with your code): \(fault)")
        }
    }

    private func savedCase<Driver: PracticalDriver>(assignment: String, checkID: String, number: Int, driver: Driver.Type,
                                                    loaded: LoadedAssignment) throws -> (json: Data, callType: String) {
        let grader = try localGrader(assignment, driver: driver, loaded: loaded)
        do { return (try grader.savedPublicCase(checkID: checkID, number: number), String(describing: Driver.Call.self)) } catch let refusal as SavedCaseRefusal {
            throw ServiceFailure(refusal.description)
        } catch let fault as GraderFault {
            throw ServiceFailure("the case cannot be made on this machine (not a problem with your code): \(fault)")
        }
    }

    /// The grader of `assignment`'s public cases, recording nothing.
    private func localGrader<Driver: PracticalDriver>(_ assignment: String, driver: Driver.Type, loaded: LoadedAssignment) throws -> AssignmentGrader<Driver> {
        let policy: CoursePolicy
        do { policy = try CoursePolicy.load(from: layout) } catch let error as SpecError {
            throw ServiceFailure("the course policy has problems:\n\(error)")
        }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("grade-local-\(getuid())")
        return try AssignmentGrader(spec: loaded.spec, rubric: loaded.rubric, secret: nil,
                                    driver: Driver(context: DriverContext(course: layout, dataFolder: state.appendingPathComponent("data"), assignment: assignment)), stateFolder: state,
                                    caseLimits: policy.caseLimits, compileLimits: policy.compileLimits, logger: logger)
    }

    private func check<Driver: PracticalDriver>(_ folder: URL, assignment: String, driver: Driver.Type,
                                                loaded: LoadedAssignment) throws -> (report: SubmissionReport, feedback: String) {
        let grader = try localGrader(assignment, driver: driver, loaded: loaded)
        do { try grader.preflight() } catch let fault as GraderFault {
            throw ServiceFailure("the check cannot run on this machine (not a problem with your code): \(fault)")
        }
        logger.notice("Checking \(folder.path) against the public cases of \(assignment)…")
        let report = grader.grade(SubmissionFolder(url: folder))
        if let fault = report.graderFault {
            throw ServiceFailure("the check could not run on this machine (not a problem with your code): \(fault)")
        }
        return (report, FeedbackRenderer.render(report, spec: loaded.spec, rubric: loaded.rubric))
    }
}
