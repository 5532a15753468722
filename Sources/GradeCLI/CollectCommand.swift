import ArgumentParser
import Foundation
import GradeServices
import Grader
import StudentCLI
import StudentServices

/// `grade collect practical1 --moodle-zip all.zip --worksheet worksheet.csv`.
struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Import a practical's submissions and their times from Moodle's archive and grading worksheet.",
        discussion: """
            --moodle-zip is the assignment's "Download all submissions" archive (folders or flat names, \
            <full name>_<participant id>_assignsubmission_file_), --worksheet its "Download grading worksheet" CSV. \
            Each worksheet row is matched to the roster by email, else by full name; each archive folder to its row by \
            participant id. Every folder or row that matches nothing is listed, and nothing is written unless \
            --skip-unmatched is given. Each student's folder in Submissions/<practical>/ is replaced (the old one is kept \
            under .grade/replaced/), and the worksheet's "Last modified (submission)" is recorded as the trusted time \
            lateness uses, whatever submission.yaml or the files' dates say.
            """
    )

    @Argument(help: ArgumentHelp("The practical, such as practical1.", valueName: "assignment")) var assignment: String
    @Option(name: .customLong("moodle-zip"), help: ArgumentHelp("Moodle's \"Download all submissions\" archive.", valueName: "zip")) var moodleZip: String
    @Option(help: ArgumentHelp("The assignment's grading worksheet (CSV) downloaded from Moodle.", valueName: "csv")) var worksheet: String
    @Flag(help: "Collect the students who match even when some folders or rows match no one (they are listed).") var skipUnmatched = false
    @OptionGroup var courseOptions: CourseOptions

    func run() throws {
        let layout = try courseOptions.layout()
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let collection = MoodleCollection(layout: layout, gradebookPath: courseOptions.gradebookPath(in: layout))
        let policy = try CoursePolicy.load(from: layout)
        let outcome: MoodleCollection.Outcome
        do {
            outcome = try collection.run(MoodleCollection.Request(practical: assignment, archive: URL(fileURLWithPath: moodleZip, relativeTo: cwd),
                                                                  worksheet: URL(fileURLWithPath: worksheet, relativeTo: cwd), skipUnmatched: skipUnmatched))
        } catch let failure as ServiceFailure {
            throw CommandFailure(failure.description)
        }
        let rows = outcome.collected.map { item in
            [item.studentID, item.participantID, "\(item.files.count)",
             item.submittedAt.map { SubmissionTiming.format($0, in: policy.timeZone) } ?? "-", item.replaced ? "replaced" : "new"]
        }
        print(TextTable.render(header: ["student", "participant", "files", "submitted (\(policy.timeZone.identifier))", "folder"], rows: rows, rightAligned: [2]))
        let unchanged = outcome.timesUnchanged > 0 ? " (\(outcome.timesUnchanged) already recorded as they are)" : ""
        print("Collected \(outcome.collected.count) submission\(outcome.collected.count == 1 ? "" : "s") of \(assignment); \(outcome.timesRecorded) trusted time\(outcome.timesRecorded == 1 ? "" : "s") recorded\(unchanged)"
              + (outcome.replacedFolder.map { "; earlier folders moved to \($0.path)" } ?? ""))
        if !outcome.withoutFiles.isEmpty { print("No files in the archive from: \(outcome.withoutFiles.joined(separator: ", "))") }
        for line in ShortList.lines(outcome.unmatched) { Diagnostics.write("skipped: \(line)") }
    }
}
