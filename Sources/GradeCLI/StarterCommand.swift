import ArgumentParser
import Foundation
import GradeServices
import Grader
import SafeText

/// `grade starter <assignment>`: the practical's starter `Solution.swift`, every requirement stubbed.
struct StarterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "starter",
        abstract: "Print (or write with --out) a practical's starter Solution.swift: every requirement of its protocol stubbed under CourseKit's doc comment.",
        discussion: """
            The stubs are made from CourseKit's sources in the course folder, so they match the protocol the grader \
            checks. Each body is fatalError("not implemented yet"): the starter builds, and `grade --local` fails its \
            cases until they are written. --out never overwrites a file.
            """
    )

    @Argument(help: ArgumentHelp("The assignment id, such as practical1.", valueName: "assignment"))
    var assignment: String

    @Option(name: .long, help: ArgumentHelp("Write the starter to this file (which must not exist) instead of printing it.", valueName: "file"))
    var out: String?

    @OptionGroup var courseOptions: CourseOptions

    func validate() throws {
        if !IdentifierRules.isSpecID(assignment) {
            throw ValidationError("'\(assignment)' is not an assignment id (lowercase letters, digits and '-', such as practical1)")
        }
    }

    func run() throws {
        let source = try Starter(layout: try courseOptions.layout()).source(for: assignment)
        guard let out else {
            print(source, terminator: "")
            return
        }
        let target = URL(fileURLWithPath: out).standardizedFileURL
        guard !FileManager.default.fileExists(atPath: target.path) else {
            throw ValidationError("\(target.path) exists: the starter never overwrites a file (it may be someone's solution)")
        }
        do { try Data(source.utf8).write(to: target, options: .withoutOverwriting) } catch {
            throw CommandFailure(FileErrorText.sentence(error, .writing, path: target.path))
        }
        print("Wrote the starter of \(assignment) to \(target.path).")
    }
}
