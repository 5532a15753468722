import Foundation
import Grader

/// `grade --local [assignment]`: a student's self-check of the current folder on the public cases.
struct LocalCheck {
    let assignment: String?
    let courseOptions: CourseOptions
    /// The practicals that can be checked.
    var registry = PracticalRegistry.course

    func run() throws {
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        print(try report(for: folder), terminator: "")
        print("\nNothing was recorded. Hidden cases also count towards your grade: passing every public case does not guarantee full marks.")
    }

    /// The feedback for the submission in `folder`, on the public cases only.
    func report(for folder: URL) throws -> String {
        let layout = try courseOptions.layout(startingAt: folder)
        let id = try resolveAssignment(folder: folder, layout: layout)
        let driver: any PracticalDriver.Type
        do { driver = try registry.driver(for: SpecLoader.loadAssignment(at: layout.specURL(id), kinds: registry.checkKinds)) } catch let error as SpecError {
            throw CommandFailure("the assignment spec has problems:\n\(error)")
        }
        return try check(folder: folder, assignment: id, layout: layout, driver: driver)
    }

    /// The assignment named, else the one in whose Submissions/<id>/ folder we are, else the only one there is.
    private func resolveAssignment(folder: URL, layout: CourseLayout) throws -> String {
        if let assignment { return assignment }
        let known = layout.assignmentIDs()
        let components = folder.pathComponents
        if let index = components.lastIndex(of: "Submissions"), index + 1 < components.count, known.contains(components[index + 1]) {
            return components[index + 1]
        }
        if known.count == 1 { return known[0] }
        throw CommandFailure("say which assignment to check, for example `grade --local \(known.first ?? "practical1")`; known: \(known.joined(separator: ", "))")
    }

    private func check<Driver: PracticalDriver>(folder: URL, assignment: String, layout: CourseLayout, driver: Driver.Type) throws -> String {
        let loaded: LoadedAssignment
        do { loaded = try Driver.load(assignment, from: layout, requireRubric: false) } catch let error as SpecError {
            throw CommandFailure("the assignment spec has problems:\n\(error)")
        }
        let policy: CoursePolicy
        do { policy = try CoursePolicy.load(from: layout) } catch let error as SpecError {
            throw CommandFailure("the course policy has problems:\n\(error)")
        }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("grade-local-\(getuid())")
        let grader = try AssignmentGrader(spec: loaded.spec, rubric: loaded.rubric, secret: nil,
                                          driver: Driver(context: DriverContext(course: layout, dataFolder: state.appendingPathComponent("data"))), stateFolder: state,
                                          caseLimits: policy.caseLimits, compileLimits: policy.compileLimits)
        do { try grader.preflight() } catch let fault as GraderFault {
            throw CommandFailure("the check cannot run on this machine (not a problem with your code): \(fault)")
        }
        Diagnostics.write("Checking \(folder.path) against the public cases of \(assignment)…")
        let report = grader.grade(SubmissionFolder(url: folder))
        if let fault = report.graderFault {
            throw CommandFailure("the check could not run on this machine (not a problem with your code): \(fault)")
        }
        return FeedbackRenderer.render(report, spec: loaded.spec, rubric: loaded.rubric)
    }
}
