import Foundation
import Grader
import Testing
@testable import GradeCLI
import TestTiers

/// The middle of a term, as an instructor lives it: every submission collected from Moodle, some graded,
/// the quiz not imported yet. Nothing shown or exported may give a student a grade they have not earned.
@Suite(.serialized, .integration) struct MidTermTests {
    static func grade(_ arguments: [String]) throws -> (status: Int32, output: String) { try HostileRepliesTests.grade(arguments) }

    /// The cells of the CSV record of `student` in `text`: the record whose first cell is the id or starts the email.
    static func row(_ student: String, in text: String) throws -> [String]? {
        try CSVTable.parse(text, file: "export.csv").records.map(\.fields)
            .first { $0.first == student || $0.first?.hasPrefix(student + ".") == true }
    }

    @Test func collectedWorkNotGradedYetIsPendingEverywhereAndNoExportWritesItAsZero() throws {
        let course = try EndToEndTests.courseCopy()
        let c = ["--course", course.path]
        // Moodle's files of practical 1 for the eight students of the roster (hugo handed nothing in), collected into an empty course.
        let files = try EndToEndTests.moodleFiles("practical1", into: course.appendingPathComponent("moodle"))
        try FileManager.default.removeItem(at: course.appendingPathComponent("Submissions/practical1"))
        let zip = files.archive.path, sheet = files.worksheet.path
        let collected = try Self.grade(["collect", "practical1", "--moodle-zip", zip, "--worksheet", sheet] + c)
        #expect(collected.status == 0, "\(collected.output)")

        // A repeated --student grades every student named, and only them.
        let graded = try Self.grade(["practical1", "--student", "alice", "--student", "bastien", "--student", "chloe", "--student", "dmitri"] + c)
        #expect(graded.status == 0, "\(graded.output)")
        for student in ["alice", "bastien", "chloe", "dmitri"] { #expect(graded.output.contains("\(student): "), "\(student) graded") }
        for student in ["emma", "farid", "gabriel"] { #expect(!graded.output.contains("] \(student):"), "\(student) not graded") }
        let unknown = try Self.grade(["practical1", "--student", "alice", "--student", "zed", "--student", "Emma"] + c)
        #expect(unknown.status != 0 && unknown.output.contains("no submission folder in Submissions/practical1 for 'zed', 'Emma'; nothing was graded. Did you mean 'emma' for 'Emma'?"),
                "\(unknown.output)")

        let pending = ["emma", "farid", "gabriel"]
        // grade final: handed in and not graded is pending, never "0 missing"; hugo, who handed nothing in by the deadline, is missing.
        let final = try Self.grade(["final"] + c)
        #expect(final.status == 0)
        let lines = final.output.components(separatedBy: "\n")
        for student in pending {
            let row = try #require(lines.first { $0.hasPrefix(student + " ") })
            #expect(row.contains("pending") && !row.contains("0 missing") && !row.contains(" 0 "), "\(row)")
        }
        let hugo = try #require(lines.first { $0.hasPrefix("hugo ") })
        #expect(hugo.contains("0 missing"), "\(hugo)")
        #expect(final.output.contains("pending: practical1 handed in, not graded yet: emma, farid, gabriel (run grade practical1)"))
        #expect(final.output.contains("missing: no practical1 submission by the deadline from hugo (0)"))
        #expect(final.output.contains("pending: no quiz responses imported yet (run grade mcq import <responses.csv>)"))
        #expect(!final.output.contains("no quiz responses from"))
        let emma = try Self.grade(["final", "--student", "emma"] + c)
        #expect(emma.output.contains("practical1 (20%): pending: submitted, not graded yet; grade practical1"), "\(emma.output)")
        #expect(emma.output.contains("final: pending, until practical1 (submitted, not graded yet)"))
        #expect(!emma.output.contains("no submission"))

        // Every export refuses, says who and what is pending and how to write blanks, and writes nothing.
        let exports = course.appendingPathComponent("exports")
        let refused = try Self.grade(["export"] + c)
        #expect(refused.status != 0 && refused.output.contains("nothing was written: 8 students have grades that do not count yet"), "\(refused.output)")
        #expect(refused.output.contains("  emma: practical1 (submitted, not graded yet), practical2 (not graded yet), practical3 (not graded yet), quiz (no quiz responses imported yet)"))
        #expect(refused.output.contains("pass --partial"))
        #expect(!FileManager.default.fileExists(atPath: exports.path))
        for format in ["gradebook", "moodle"] {
            let one = try Self.grade(["export", "--format", format, "--out", course.appendingPathComponent("\(format).csv").path] + c)
            #expect(one.status != 0 && one.output.contains("nothing was written"), "\(format)")
        }
        let worksheetOut = course.appendingPathComponent("worksheet-out.csv").path
        let worksheet = try Self.grade(["export", "--format", "moodle-worksheet", "--practical", "practical1", "--worksheet", sheet, "--out", worksheetOut] + c)
        #expect(worksheet.status != 0 && worksheet.output.contains("  emma: practical1 (submitted, not graded yet)"), "\(worksheet.output)")
        #expect(!FileManager.default.fileExists(atPath: worksheetOut))

        // --partial writes blanks, never 0, for what is pending; hugo's missing practical is a real 0.
        let partial = try Self.grade(["export", "--partial"] + c)
        #expect(partial.status == 0, "\(partial.output)")
        let grades = try String(contentsOf: exports.appendingPathComponent("grades.csv"), encoding: .utf8)
        let moodleCSV = try String(contentsOf: exports.appendingPathComponent("moodle.csv"), encoding: .utf8)
        for student in pending {
            let row = try #require(try Self.row(student, in: grades))
            // practical1, its penalty, practical2, …, quiz, final, percent: all blank.
            #expect(row.count == 13 && row[3...11].allSatisfy { $0.isEmpty }, "\(row)")
            #expect(row[12].contains("practical1 pending: submitted, not graded yet"))
            let upload = try #require(try Self.row(student, in: moodleCSV))
            #expect(upload.dropFirst().allSatisfy { $0.isEmpty }, "\(upload)")
        }
        let hugoRow = try #require(try Self.row("hugo", in: grades))
        #expect(hugoRow[3] == "0" && hugoRow[10].isEmpty && hugoRow[12].hasPrefix("practical1 missing; practical2 pending: not graded yet"), "\(hugoRow)")
        // Alice is graded, but her report is not marked yet: her practical grade does not count yet either.
        let alice = try #require(try Self.row("alice", in: grades))
        #expect(alice[3].isEmpty && alice[10].isEmpty && alice[12].hasPrefix("practical1 pending: report not marked (report)"), "\(alice)")

        let partialSheet = try Self.grade(["export", "--format", "moodle-worksheet", "--practical", "practical1", "--worksheet", sheet, "--out", worksheetOut, "--partial"] + c)
        #expect(partialSheet.status == 0, "\(partialSheet.output)")
        #expect(partialSheet.output.contains("left out: emma: practical1 pending (submitted, not graded yet); the row is left as it was"))
        let written = try String(contentsOf: URL(fileURLWithPath: worksheetOut), encoding: .utf8)
        let downloaded = try String(contentsOf: URL(fileURLWithPath: sheet), encoding: .utf8)
        for student in pending {
            // The row as Moodle wrote it, which its import skips.
            let line = try #require(downloaded.components(separatedBy: "\n").first { $0.contains(",\(student).") })
            #expect(written.contains(line.trimmingCharacters(in: .newlines)), "\(student)")
        }

        // The course dashboard says pending for them, not 0.
        let dashboard = try String(contentsOf: course.appendingPathComponent(".grade/feedback/index.html"), encoding: .utf8)
        #expect(dashboard.contains("Pending: the final grade of 8 students does not count yet"))
        let practicalDashboard = try String(contentsOf: course.appendingPathComponent(".grade/feedback/practical1/index.html"), encoding: .utf8)
        #expect(practicalDashboard.contains("Not graded yet (run grade on them): </strong>emma, farid, gabriel"), "\(practicalDashboard)")
        #expect(practicalDashboard.contains("Nothing handed in by the deadline (0): </strong>hugo"))
    }

    /// The audit log after a collect and a quiz import made without USER in the environment (as under cron):
    /// one name for whoever made every change, and a table that fits a terminal.
    @Test func theAuditLogNamesOnePersonAndFitsATerminal() throws {
        let course = try EndToEndTests.courseCopy()
        let c = ["--course", course.path]
        func grade(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = FaultToleranceTests.gradeExecutable
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.filter { !["USER", "LOGNAME", "SUDO_USER"].contains($0.key) }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self))
        }
        #expect(try grade(["extension", "practical2", "emma", "--days", "2", "--reason", "medical certificate"] + c).status == 0)
        #expect(try grade(["mcq", "import", course.appendingPathComponent("Submissions/quiz/responses.csv").path] + c).status == 0)
        let audit = try grade(["audit"] + c)
        #expect(audit.status == 0)
        let lines = audit.output.components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(lines.allSatisfy { $0.count <= ResultsTable.terminalWidth }, "widest: \(lines.map(\.count).max() ?? 0)")
        let rows = lines.dropFirst(2).filter { $0.hasPrefix("20") }
        #expect(rows.count == 9, "one extension and eight quiz imports: \(audit.output)")
        let who = Set(rows.map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] })
        #expect(who == [Substring(NSUserName())], "\(who)")
        #expect(lines.last == "Values longer than 20 characters are shortened (…); --full prints every entry whole.")
        let full = try grade(["audit", "--full", "--student", "alice"] + c)
        #expect(full.output.contains("  after: ") && full.output.components(separatedBy: "\n").contains { $0.hasPrefix("  after: ") && $0.count > 100 })
    }
}
