import ArgumentParser
import Foundation
import Grader

/// The `grade` of a student's kit: the self-check of the current folder on the public cases stored in the
/// kit, and the saving of one of them, as `grade --local` does in the course.
public struct StudentCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Self-check your Swift solution on the public cases of a practical.",
        discussion: """
            Run `grade --local` in the folder of your .swift files, inside the kit: they are built and run on the \
            public cases only, and nothing is recorded. It exits with 0 when every public case passes, 1 when some \
            fail, 2 when the code does not build, and 3 when the check cannot run at all (a problem of the machine \
            or the kit, not of your code). Hidden cases, and the held-out scores of trained models, count when the \
            instructor grades.
            """,
        version: "grade \(GraderVersion.current) (student kit)"
    )

    @Argument(help: ArgumentHelp("The assignment id, such as practical1 (default: the kit's only one).", valueName: "assignment"))
    var assignment: String?

    @Flag(name: .long, help: "Self-check the .swift files of the current folder on the public cases (the only thing this grade does).")
    var local = false

    @OptionGroup var saveCase: SaveCaseOptions

    @Flag(name: .long, help: "Print the results as JSON (for scripts).")
    var json = false

    @Option(name: .long, help: ArgumentHelp("The kit folder (default: the nearest folder at or above the current one that has Assignments/).", valueName: "path"))
    var course: String?

    /// Creates the command (ArgumentParser's requirement).
    public init() {}

    public func validate() throws {
        if let assignment, !IdentifierRules.isSpecID(assignment) {
            throw ValidationError("'\(assignment)' is not an assignment id (lowercase letters, digits and '-', such as practical1)")
        }
        if !local { throw ValidationError("this grade self-checks your code: run `grade --local`") }
        try saveCase.check(json: json)
    }

    public func run() throws {
        if let (name, file) = saveCase.request {
            try LocalCheck(assignment: assignment, json: false, course: course).save(name, to: file)
        } else {
            try LocalCheck(assignment: assignment, json: json, course: course).run()
        }
    }
}
