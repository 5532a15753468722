import Foundation
import GradeServices
import Grader

/// `grade --local [assignment]`: a student's self-check of the current folder on the public cases.
struct LocalCheck {
    let assignment: String?
    let courseOptions: CourseOptions

    func run() throws {
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        print(try report(for: folder), terminator: "")
        print("\nNothing was recorded. Hidden cases also count towards your grade: passing every public case does not guarantee full marks.")
    }

    /// The feedback for the submission in `folder`, on the public cases only.
    func report(for folder: URL) throws -> String {
        var service = SelfCheck(layout: try courseOptions.layout(startingAt: folder))
        service.logger = Diagnostics.logger
        return try service.check(folder, assignment: service.assignment(named: assignment, for: folder)).feedback
    }
}
