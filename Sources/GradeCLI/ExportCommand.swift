import ArgumentParser
import Foundation
import Gradebook

/// `grade export`: writes the current grades as CSV.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the current grades as CSV: one row per student, one column per assignment."
    )

    @OptionGroup var courseOptions: CourseOptions

    @Option(name: .long, help: ArgumentHelp("The CSV file to write (default: standard output).", valueName: "file"))
    var out: String?

    func run() throws {
        let layout = try courseOptions.layout()
        let path = courseOptions.gradebookPath(in: layout)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no gradebook at \(path): grade an assignment first")
        }
        let csv = try Gradebook(path: path).gradesCSV()
        guard let out else {
            print(csv, terminator: "")
            return
        }
        do {
            try Data(csv.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw CommandFailure("cannot write \(out): \(error.localizedDescription)")
        }
        let rows = csv.unicodeScalars.filter { $0 == "\n" }.count - 1
        print("Wrote \(rows) student\(rows == 1 ? "" : "s") to \(out)")
    }
}
