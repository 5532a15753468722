import ArgumentParser
import Foundation
import GradeServices
import Grader
import StudentCLI

/// `grade handout <assignment> --out DIR`: the practical's student kit, ready to publish.
struct HandoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handout",
        abstract: "Write a practical's student kit: starter package, CourseKit and its reference, public spec and cases, rubric, and the self-check.",
        discussion: """
            The kit is a folder to publish as it is. A student needs only the Swift toolchain: `../bin/grade --local` in \
            its Solution folder builds their code and runs it on the public cases stored in the kit, as the course's \
            grader does. It holds no reference engine, instructor secret, submission or held-out data. The student \
            grader is built with grade (`swift build` builds both; `swift build -c release --product grade-student` for a \
            release build of grade). --out must be a new or empty folder.
            """
    )

    @Argument(help: ArgumentHelp("The assignment id, such as practical1.", valueName: "assignment"))
    var assignment: String

    @Option(name: .long, help: ArgumentHelp("The folder to write the kit into (new or empty).", valueName: "folder"))
    var out: String

    @OptionGroup var courseOptions: CourseOptions

    func validate() throws {
        if !IdentifierRules.isSpecID(assignment) {
            throw ValidationError("'\(assignment)' is not an assignment id (lowercase letters, digits and '-', such as practical1)")
        }
    }

    func run() throws {
        let target = URL(fileURLWithPath: out, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        let summary = try Handout(layout: try courseOptions.layout(), registry: Practicals.registry)
            .write(assignment, to: target, artifacts: .besideThisProgram())
        let width = summary.files.map(\.path.count).max() ?? 0
        for file in summary.files {
            print(file.path.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Feedback.bytes(file.bytes))
        }
        print("Wrote the kit of \(assignment) to \(summary.folder.path): \(summary.files.count) files, \(Feedback.bytes(summary.files.reduce(0) { $0 + $1.bytes })).")
    }

}
