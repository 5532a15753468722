import ArgumentParser
import Foundation
import GradeServices
import Gradebook
import Grader

/// `grade export`: writes the course grades as CSV files.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the course grades as CSV: the gradebook, a Moodle grade import, and one row per check.",
        discussion: """
            With --out-dir (default <course>/exports), writes grades.csv (id, name, email, each practical after its late \
            penalty and the penalty, quiz, final, percentage, notes), moodle.csv (an identifier column and one column \
            per grade item, for Moodle's CSV grade import) and details.csv (one row per check result). With --format \
            and --out, writes one of them to a file, or to standard output without --out. --format automatic writes the \
            automatic points of every recorded student per assignment, without the course policy. Cells a spreadsheet \
            would run as formulas are escaped.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case gradebook, moodle, detail, automatic
    }

    @OptionGroup var courseOptions: CourseOptions

    @Option(help: ArgumentHelp("The folder to write grades.csv, moodle.csv and details.csv to (default: <course>/exports).", valueName: "folder"))
    var outDir: String?

    @Option(help: ArgumentHelp("Write one file: gradebook, moodle, detail or automatic.", valueName: "format"))
    var format: Format?

    @Option(help: ArgumentHelp("With --format, the file to write (default: standard output).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("How moodle.csv identifies students: email (Moodle's Email address) or student-id (Moodle's ID number).", valueName: "field"))
    var moodleID: String = CourseExports.MoodleIdentifier.email.rawValue

    func validate() throws {
        if out != nil && format == nil { throw ValidationError("--out writes one file: say which with --format") }
        if outDir != nil && format != nil { throw ValidationError("use --out-dir for all three files, or --format with --out for one") }
        if CourseExports.MoodleIdentifier(rawValue: moodleID) == nil {
            throw ValidationError("--moodle-id must be one of: \(CourseExports.MoodleIdentifier.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        if format == .automatic {
            let layout = try courseOptions.layout()
            let path = courseOptions.gradebookPath(in: layout)
            guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("no gradebook at \(path): grade an assignment first") }
            return try emit(try Gradebook(path: path).gradesCSV(), to: out)
        }
        let context = try courseOptions.records()
        let grades = try context.grades()
        let identifier = CourseExports.MoodleIdentifier(rawValue: moodleID)!
        let files: [(name: String, format: Format)] = [("grades.csv", .gradebook), ("moodle.csv", .moodle), ("details.csv", .detail)]
        func text(_ format: Format) throws -> String {
            switch format {
            case .gradebook: CourseExports.gradebook(grades, policy: context.policy)
            case .moodle: CourseExports.moodle(grades, policy: context.policy, identifier: identifier)
            case .detail: try CourseExports.detail(grades, policy: context.policy, gradebook: context.gradebook)
            case .automatic: try context.gradebook.gradesCSV()
            }
        }
        if let format { return try emit(try text(format), to: out) }
        let folder = outDir.map { URL(fileURLWithPath: $0) } ?? context.layout.root.appendingPathComponent("exports")
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw CommandFailure("cannot create \(folder.path): \(error.localizedDescription)")
        }
        // Build every file before writing any, so a failure leaves the previous export whole.
        let contents = try files.map { ($0.name, try text($0.format)) }
        for (name, csv) in contents { try emit(csv, to: folder.appendingPathComponent(name).path, quiet: true) }
        print("Wrote \(contents.map(\.0).joined(separator: ", ")) for \(grades.students.count) students to \(folder.path)")
        let warnings = FinalReport.warnings(grades, policy: context.policy)
        if grades.isProvisional { Diagnostics.write("note: provisional grades: \(grades.pendingPracticals.joined(separator: ", ")) not graded yet") }
        for warning in warnings where warning.hasPrefix("warning") { Diagnostics.write("\(warning)") }
    }

    private func emit(_ csv: String, to path: String?, quiet: Bool = false) throws {
        guard let path else { return print(csv, terminator: "") }
        do { try Data(csv.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CommandFailure("cannot write \(path): \(error.localizedDescription)")
        }
        if !quiet {
            let rows = csv.unicodeScalars.filter { $0 == "\n" }.count - 1
            print("Wrote \(rows) student\(rows == 1 ? "" : "s") to \(path)")
        }
    }
}
