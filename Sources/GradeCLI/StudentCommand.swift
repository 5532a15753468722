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

    @Option(name: .customLong("case"), help: ArgumentHelp("With --save: the public case to save, as <check>/public-<n> (such as gradient-descent/public-2).", valueName: "case"))
    var savedCase: String?

    @Option(name: .long, help: ArgumentHelp("With --case: write the case's call, every input in full, to this JSON file (load it with SavedCase in SubmissionRuntime) instead of checking.", valueName: "file"))
    var save: String?

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
        if (savedCase == nil) != (save == nil) { throw ValidationError("--case names the public case and --save the file to write: give both") }
        if let savedCase, PublicCaseName(savedCase) == nil {
            throw ValidationError("'\(savedCase)' is not a public case: write <check>/public-<n>, such as gradient-descent/public-2")
        }
        if save != nil && json { throw ValidationError("--save writes the case as JSON already; leave out --json") }
    }

    public func run() throws {
        if let savedCase, let save, let name = PublicCaseName(savedCase) {
            try LocalCheck(assignment: assignment, json: false, course: course).save(name, to: save)
        } else {
            try LocalCheck(assignment: assignment, json: json, course: course).run()
        }
    }
}
