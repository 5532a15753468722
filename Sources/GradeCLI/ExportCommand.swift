import ArgumentParser
import Foundation
import GradeServices
import Gradebook
import Grader
import SafeText
import StudentCLI
import StudentServices

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
            would run as formulas are escaped. For one practical's Moodle assignment, --format moodle-worksheet \
            --practical P --worksheet W.csv writes the grading worksheet W back with Grade (scaled to its Maximum Grade), \
            Feedback comments and Last modified (grade) filled in, for "Upload grading worksheet"; --format \
            moodle-feedback-zip builds the archive of every student's feedback for "Upload multiple feedback files in a zip". \
            Grades that do not count yet (work handed in and not graded, a practical or the quiz not graded or imported, \
            work not due yet, unmarked reports: see grade final) are never written as 0: the export refuses and lists \
            them, and --partial writes their cells blank (a worksheet row is left as Moodle wrote it) for a partial upload.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case gradebook, moodle, detail, automatic
        case moodleWorksheet = "moodle-worksheet"
        case moodleFeedbackZip = "moodle-feedback-zip"

        /// Whether the format fills in one practical's Moodle worksheet or builds its feedback archive.
        var isMoodleAssignment: Bool { self == .moodleWorksheet || self == .moodleFeedbackZip }
    }

    @OptionGroup var courseOptions: CourseOptions

    @Option(help: ArgumentHelp("The folder to write grades.csv, moodle.csv and details.csv to (default: <course>/exports).", valueName: "folder"))
    var outDir: String?

    @Option(help: ArgumentHelp("Write one file: gradebook, moodle, detail or automatic.", valueName: "format"))
    var format: Format?

    @Option(help: ArgumentHelp("With --format, the file to write (default: standard output).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("With --format moodle-worksheet or moodle-feedback-zip: the practical.", valueName: "assignment"))
    var practical: String?

    @Option(help: ArgumentHelp("With --format moodle-worksheet or moodle-feedback-zip: the grading worksheet downloaded from Moodle.", valueName: "csv"))
    var worksheet: String?

    @Option(help: ArgumentHelp("How moodle.csv identifies students: email (Moodle's Email address) or student-id (Moodle's ID number).", valueName: "field"))
    var moodleID: String = CourseExports.MoodleIdentifier.email.rawValue

    @Flag(help: "Write grades that do not count yet (pending, not due, unmarked) as blank cells instead of refusing, for a partial upload.")
    var partial = false

    func validate() throws {
        if out != nil && format == nil { throw ValidationError("--out writes one file: say which with --format") }
        if outDir != nil && format != nil { throw ValidationError("use --out-dir for all three files, or --format with --out for one") }
        if format?.isMoodleAssignment == true, practical == nil || worksheet == nil || out == nil {
            throw ValidationError("--format \(format!.rawValue) needs --practical, --worksheet (Moodle's grading worksheet of that practical) and --out")
        }
        if format?.isMoodleAssignment != true, practical != nil || worksheet != nil {
            throw ValidationError("--practical and --worksheet go with --format moodle-worksheet or moodle-feedback-zip")
        }
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
        if !partial && format != .detail && format?.isMoodleAssignment != true {
            do { try CourseExports.requireSettled(grades) } catch let failure as ServiceFailure { throw CommandFailure(failure.description) }
        }
        for (practical, ids) in grades.untrustedTimes.sorted(by: { $0.key < $1.key }) {
            if let warning = CourseGrades.untrustedTimesWarning(practical: practical, students: ids) { Diagnostics.write(warning) }
        }
        if let format, format.isMoodleAssignment, let practical, let worksheet, let out {
            return try exportMoodleAssignment(format, practical: practical, worksheet: worksheet, out: out, context: context, grades: grades)
        }
        let identifier = CourseExports.MoodleIdentifier(rawValue: moodleID)!
        let files: [(name: String, format: Format)] = [("grades.csv", .gradebook), ("moodle.csv", .moodle), ("details.csv", .detail)]
        func text(_ format: Format) throws -> String {
            switch format {
            case .gradebook: CourseExports.gradebook(grades, policy: context.policy)
            case .moodle: CourseExports.moodle(grades, policy: context.policy, identifier: identifier)
            case .detail: try CourseExports.detail(grades, policy: context.policy, gradebook: context.gradebook)
            case .automatic: try context.gradebook.gradesCSV()
            case .moodleWorksheet, .moodleFeedbackZip: ""
            }
        }
        if let format { return try emit(try text(format), to: out) }
        let folder = outDir.map { URL(fileURLWithPath: $0) } ?? context.layout.root.appendingPathComponent("exports")
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw CommandFailure(FileErrorText.sentence(error, .creatingFolder, path: folder.path))
        }
        // Build every file before writing any, so a failure leaves the previous export whole.
        let contents = try files.map { ($0.name, try text($0.format)) }
        for (name, csv) in contents { try emit(csv, to: folder.appendingPathComponent(name).path, quiet: true) }
        print("Wrote \(contents.map(\.0).joined(separator: ", ")) for \(grades.students.count) students to \(folder.path)")
        let warnings = FinalReport.warnings(grades, policy: context.policy)
        if grades.isProvisional {
            Diagnostics.write("note: --partial: the grades of \(grades.unsettled.count) student\(grades.unsettled.count == 1 ? "" : "s") do not count yet and were written blank (grade final lists them)")
        }
        for warning in warnings where warning.hasPrefix("warning") { Diagnostics.write("\(warning)") }
    }

    /// The practical's Moodle worksheet filled in, or its feedback archive, written to `out`.
    private func exportMoodleAssignment(_ format: Format, practical: String, worksheet: String, out: String, context: CourseRecords, grades: CourseGrades) throws {
        _ = try context.policy.requirePractical(practical)
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let sheet: MoodleWorksheet
        do { sheet = try MoodleWorksheet.read(URL(fileURLWithPath: worksheet, relativeTo: cwd), file: worksheet, settings: context.policy.moodle, timeZone: context.policy.timeZone) } catch let error as SpecError {
            throw CommandFailure("the grading worksheet cannot be used:\n\(error)")
        }
        let result: MoodleExport.Result
        do {
            result = format == .moodleWorksheet
                ? try MoodleExport.worksheet(sheet, practical: practical, grades: grades, roster: context.roster, policy: context.policy, partial: partial)
                : try {
                    // The feedback as it stands now, text and page, written again from the gradebook.
                    let published = try context.refreshFeedback(practical)
                    return try MoodleExport.feedbackArchive(sheet, roster: context.roster,
                                                            feedback: published?.texts ?? context.gradebook.currentFeedback(assignmentID: practical),
                                                            pages: published?.pages ?? [:])
                }()
        } catch let failure as ServiceFailure {
            throw CommandFailure(failure.description)
        }
        let target = URL(fileURLWithPath: out, relativeTo: cwd)
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try result.data.write(to: target, options: .atomic)
        } catch {
            throw CommandFailure(FileErrorText.sentence(error, .writing, path: out))
        }
        print("Wrote \(format == .moodleWorksheet ? "the grades" : "the feedback files") of \(result.written.count) student\(result.written.count == 1 ? "" : "s") for \(practical) to \(out)")
        for line in ShortList.lines(result.leftOut) { Diagnostics.write("left out: \(line)") }
    }

    private func emit(_ csv: String, to path: String?, quiet: Bool = false) throws {
        guard let path else { return print(csv, terminator: "") }
        do { try Data(csv.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CommandFailure(FileErrorText.sentence(error, .writing, path: path))
        }
        if !quiet {
            let rows = csv.unicodeScalars.filter { $0 == "\n" }.count - 1
            print("Wrote \(rows) student\(rows == 1 ? "" : "s") to \(path)")
        }
    }
}
