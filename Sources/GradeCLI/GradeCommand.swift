import ArgumentParser
import Grader

/// The `grade` command: grades a practical, self-checks a student's folder, or exports grades.
public struct GradeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade Swift submissions of the \"Optimization for deep learning\" practicals.",
        discussion: """
            Instructors: `grade practical1` grades every submission in Submissions/practical1 and records the results \
            in the gradebook. `grade marks import practical2 marks.csv` enters report marks, `grade mcq import responses.csv` \
            the quiz, `grade final` prints the course grades and `grade export` writes them as CSV.
            Students: `grade --local` runs the public cases on the .swift files of the current folder.
            """,
        version: "grade \(GraderVersion.current)",
        subcommands: [GradeAssignmentCommand.self, StarterCommand.self, HandoutCommand.self, CollectCommand.self, MarksCommand.self, OverrideCommand.self, ExtensionCommand.self, MCQCommand.self,
                      FinalCommand.self, ExportCommand.self, AuditCommand.self, FeedbackCommand.self],
        defaultSubcommand: GradeAssignmentCommand.self
    )

    /// Creates the command (ArgumentParser's requirement).
    public init() {}

    /// Runs the command line (`mainTellingFileErrors`).
    public static func main() { mainTellingFileErrors() }
}
