import ArgumentParser
import Foundation
import Grader
import SafeText
import StudentServices

/// `grade --local [assignment]`: a student's self-check of the current folder on the public cases.
///
/// Exit codes, for scripts: 0 every public case passed, 1 some failed, 2 the code does not build,
/// 3 the check could not run (`SelfCheckOutcome`).
public struct LocalCheck {
    let assignment: String?
    let json: Bool
    /// The course (or kit) folder given with --course, if any.
    let course: String?

    /// A self-check of `assignment` (nil: the only one the course or kit has), printed as JSON when `json`, in
    /// `course` (nil: the nearest course folder or kit at or above the current folder).
    public init(assignment: String?, json: Bool, course: String?) {
        self.assignment = assignment
        self.json = json
        self.course = course
    }

    public func run() throws {
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        let outcome: SelfCheckOutcome
        do {
            let (name, report, feedback) = try check(folder)
            outcome = SelfCheckOutcome(report)
            if json {
                print(try ResultsJSON.encode(ResultsJSON.SelfCheckDocument(assignment: name, outcome: outcome, report: report)))
            } else {
                print(feedback, terminator: "")
                print("\nNothing was recorded. Hidden cases also count towards your grade: passing every public case does not guarantee full marks.")
            }
        } catch {
            Diagnostics.write("error: \(FileErrorText.describing(error))")
            throw ExitCode(SelfCheckOutcome.cannotRunExitCode)
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    /// Writes public case `name` of the assignment to `path` (`SavedCase` JSON) and says how to replay it.
    public func save(_ name: PublicCaseName, to path: String) throws {
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        do {
            let service = SelfCheck(layout: try CourseFolder.layout(course: course, startingAt: folder), registry: Practicals.registry)
            let assignment = try service.assignment(named: assignment, for: folder)
            let (data, callType) = try service.savedCase(assignment: assignment, checkID: name.check, number: name.number)
            let target = URL(fileURLWithPath: path, relativeTo: folder).standardizedFileURL
            if FileManager.default.fileExists(atPath: target.path), !Self.isSavedCase(target) {
                throw ServiceFailure("\(target.path) exists and is not a saved case (it may be your code): choose another file")
            }
            do { try data.write(to: target, options: .atomic) } catch {
                throw ServiceFailure(FileErrorText.sentence(error, .writing, path: target.path))
            }
            let inKit = service.layout.isStudentKit
            print("Saved \(name.check) public \(name.number) of \(assignment) to \(target.path).")
            print(SavedCaseReplay.instructions(inKit: inKit) + "\n")
            print(SavedCaseReplay.program(callType: callType, file: target.path, inKit: inKit), terminator: "")
        } catch {
            Diagnostics.write("error: \(FileErrorText.describing(error))")
            throw ExitCode(SelfCheckOutcome.cannotRunExitCode)
        }
    }

    /// Whether `url` holds a case saved earlier (a JSON object with a format and a call), which a new one may replace.
    static func isSavedCase(_ url: URL) -> Bool {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int, size < 256 << 20,
              let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return object["format"] is Int && object["call"] != nil
    }

    /// The assignment checked, the report on the public cases only, and its feedback.
    func check(_ folder: URL) throws -> (assignment: String, report: SubmissionReport, feedback: String) {
        var service = SelfCheck(layout: try CourseFolder.layout(course: course, startingAt: folder), registry: Practicals.registry)
        service.logger = Diagnostics.logger
        let assignment = try service.assignment(named: assignment, for: folder)
        let (report, feedback) = try service.check(folder, assignment: assignment)
        return (assignment, report, feedback)
    }
}
