import Foundation
import Gradebook
import Grader
import Testing
@testable import GradeCLI
import TestTiers

/// From submissions, report marks and quiz responses to the exported CSV files, through the `grade` commands.
@Suite(.serialized, .courseDrivers, .integration) struct CourseGradeEndToEndTests {
    func run(_ arguments: [String]) throws {
        var command = try GradeCommand.parseAsRoot(arguments)
        try command.run()
    }

    func failure(_ arguments: [String]) -> String {
        do { try run(arguments); return "" } catch { return "\(error)" }
    }

    static func write(_ text: String, to url: URL) throws { try Data(text.utf8).write(to: url) }

    @Test func aTermOfPracticalOneAndTheQuizEndsInTheExportedGrades() throws {
        let course = try EndToEndTests.courseCopy()
        let p1 = course.appendingPathComponent("Submissions/practical1")
        let c = ["--course", course.path]
        // Chloé hands in 1 day 10 h after the deadline (2026-10-19 23:59, Paris); she has a 1-day extension: 10 h late, 1 started day.
        try Self.write("name: Chloé Dubois\nsubmitted_at: 2026-10-21T10:00:00+02:00\n", to: p1.appendingPathComponent("chloe/submission.yaml"))
        // Dmitri's folder has no submitted_at: its newest file, 12 h after the deadline, dates it (1 started day late).
        try FileManager.default.removeItem(at: p1.appendingPathComponent("dmitri/submission.yaml"))
        let dmitriTime = ISO8601DateFormatter().date(from: "2026-10-20T12:00:00+02:00")!
        for name in try FileManager.default.contentsOfDirectory(atPath: p1.appendingPathComponent("dmitri").path) {
            try FileManager.default.setAttributes([.modificationDate: dmitriTime], ofItemAtPath: p1.appendingPathComponent("dmitri/\(name)").path)
        }
        // Zoé is not on the roster.
        try FileManager.default.copyItem(at: p1.appendingPathComponent("alice"), to: p1.appendingPathComponent("zoe"))

        try run(["extension", "practical1", "chloe", "--days", "1", "--reason", "family emergency"] + c)
        try run(["practical1"] + c)
        let feedback = course.appendingPathComponent(".grade/feedback/practical1")
        let dmitri = try String(contentsOf: feedback.appendingPathComponent("dmitri.txt"), encoding: .utf8)
        #expect(dmitri.contains("""
            Submitted 2026-10-20 12:00 (Europe/Paris), from the newest file's modification time (submission.yaml gives no submitted_at).
            Due 2026-10-19 23:59: 1 started day late, so the practical's grade loses 10% of the scale (10% per started day).
            """))
        let chloe = try String(contentsOf: feedback.appendingPathComponent("chloe.txt"), encoding: .utf8)
        #expect(chloe.contains("Due 2026-10-20 23:59, with your extension of 1 day: 1 started day late"))

        // A marks file with bad rows is refused whole, each problem at its line.
        let badMarks = course.appendingPathComponent("bad-marks.csv")
        try Self.write("student_id,report\nalice,3.5\nzed,2\nbastien,4.5\nchloe,abc\n", to: badMarks)
        #expect(failure(["marks", "import", "practical1", badMarks.path] + c) == """
            nothing was imported:
            \(badMarks.path):3:1: error: student 'zed' is not on the roster
            \(badMarks.path):4:1: error: report: 4.5 is outside 0 to 4
            \(badMarks.path):5:1: error: report: 'abc' is not a number
            """)
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        #expect(try gradebook.manualMarks(assignmentID: "practical1").isEmpty)
        try run(["marks", "import", "practical1", course.appendingPathComponent("Submissions/marks/practical1.csv").path] + c)
        #expect(failure(["marks", "set", "practical1", "farid", "report", "3.5"] + c).contains("give a --reason"))
        try run(["marks", "set", "practical1", "farid", "report", "3,5", "--reason", "second reading: no convergence plot"] + c)

        // A response file with one bad row changes nothing; the good one is imported.
        let responses = course.appendingPathComponent("Submissions/quiz/responses.csv")
        let text = try String(contentsOf: responses, encoding: .utf8)
        let badResponses = course.appendingPathComponent("bad-responses.csv")
        try Self.write(text.replacingOccurrences(of: "\nhugo,", with: "\nhugh,"), to: badResponses)
        #expect(failure(["mcq", "import", badResponses.path] + c) == "nothing was imported:\n\(badResponses.path):9:1: error: student 'hugh' is not on the roster")
        #expect(try gradebook.quizResponses().isEmpty)
        try run(["mcq", "import", responses.path] + c)
        #expect(try gradebook.quizResponses().count == 8)
        try run(["override", "quiz", "hugo", "10", "--reason", "sat the make-up quiz on paper"] + c)

        let exports = course.appendingPathComponent("out")
        // Practicals 2 and 3 are not graded yet: an export would carry numbers nobody earned, so it refuses and writes nothing.
        let refusal = failure(["export", "--out-dir", exports.path] + c)
        #expect(refusal.hasPrefix("nothing was written: 8 students have grades that do not count yet"), "\(refusal)")
        #expect(refusal.contains("  alice: practical2 (not graded yet), practical3 (not graded yet)"))
        #expect(!FileManager.default.fileExists(atPath: exports.path))
        try run(["export", "--out-dir", exports.path, "--partial"] + c)
        let grades = try String(contentsOf: exports.appendingPathComponent("grades.csv"), encoding: .utf8)
        let lines = grades.components(separatedBy: "\r\n")
        #expect(lines[0] == "student_id,name,email,practical1,practical1_late_penalty,practical2,practical2_late_penalty,practical3,practical3_late_penalty,quiz,final,final_percent,notes")
        // Alice: practical 1 = 16 + 3.5 = 19.5, on time; the quiz: 33 of 34 points (all but the miskeyed question) = 19.41 / 20;
        // the final grade waits for practicals 2 and 3, which are not graded yet: blank, never a partial sum.
        #expect(lines[1] == "alice,Alice Martin,alice.martin@example.edu,19.5,0,,,,,19.41,,,practical2 pending: not graded yet; practical3 pending: not graded yet")
        // Chloé: 12.6 + 2.5 = 15.1, less 2 for her started day late.
        #expect(lines[3].hasPrefix("chloe,Chloé Dubois,chloe.dubois@example.edu,13.1,2,,,,,"))
        #expect(lines[3].hasSuffix("practical1 1 day late: −10%; practical2 pending: not graded yet; practical3 pending: not graded yet"))
        // Dmitri: 12 + 3 = 15, less 2, dated by his files.
        #expect(lines[4].hasPrefix("dmitri,Dmitri Volkov,dmitri.volkov@example.edu,13,2,,,,,"))
        #expect(lines[4].contains("practical1 1 day late: −10%; practical1 time from file dates"))
        // Farid: 15.5 + 3.5 (set by hand after the import's 4), 11 minutes late: within the grace.
        #expect(lines[6].hasPrefix("farid,Farid Benali,farid.benali@example.edu,19,0,"))
        // Hugo: nothing submitted (0), the quiz overridden to 10; the final grade waits for practicals 2 and 3.
        #expect(lines[8] == "hugo,Hugo Lambert,hugo.lambert@example.edu,0,0,,,,,10,,,practical1 missing; practical2 pending: not graded yet; practical3 pending: not graded yet; quiz overridden")
        #expect(lines.count == 10 && lines[9] == "" && !grades.contains("zoe"))

        let moodle = try String(contentsOf: exports.appendingPathComponent("moodle.csv"), encoding: .utf8).components(separatedBy: "\r\n")
        #expect(moodle[0] == "Email address,practical1,practical2,practical3,quiz,final")
        #expect(moodle[1] == "alice.martin@example.edu,19.5,,,19.41,")
        #expect(moodle[8] == "hugo.lambert@example.edu,0,,,10,")
        let details = try String(contentsOf: exports.appendingPathComponent("details.csv"), encoding: .utf8).components(separatedBy: "\r\n")
        #expect(details[0] == "student_id,assignment,task,check,points,max_points,cases,passed,not_accepted")
        #expect(details.contains("farid,practical1,perceptron,step-perceptron,0.5,1,8,4,runtime-error ×4"))
        let checkCount = try SpecLoader.loadAssignment(at: course.appendingPathComponent("Assignments/practical1.yaml")).allChecks.count
        #expect(details.filter { $0.hasPrefix("alice,") }.count == checkCount)
        #expect(!details.contains { $0.hasPrefix("hugo,") || $0.hasPrefix("zoe,") })

        // Everything entered by hand is in the audit log, and a forced regrade loses none of it.
        let log = try gradebook.auditLog()
        #expect(log.map(\.action).filter { $0 == "mark-import" }.count == 7)
        #expect(log.contains { $0.action == "mark-set" && $0.studentID == "farid" && $0.oldValue == "4" && $0.newValue == "3.5" && $0.reason == "second reading: no convergence plot" })
        #expect(log.contains { $0.action == "extension-set" && $0.studentID == "chloe" && $0.reason == "family emergency" })
        try run(["practical1", "--force", "--student", "farid"] + c)
        try run(["export", "--format", "gradebook", "--partial", "--out", exports.appendingPathComponent("again.csv").path] + c)
        #expect(try String(contentsOf: exports.appendingPathComponent("again.csv"), encoding: .utf8) == grades)
    }

    @Test func theCourseCommandsRefuseBadInputWithoutChangingAnything() throws {
        let course = try EndToEndTests.courseCopy()
        let c = ["--course", course.path]
        #expect(failure(["override", "practical9", "alice", "12", "--reason", "x"] + c).hasPrefix("'practical9' cannot be overridden; use one of: practical1, practical2, practical3, quiz, final"))
        #expect(failure(["override", "final", "alice", "21", "--reason", "x"] + c) == "'21' is not a grade: give a number from 0 to 20")
        #expect(failure(["override", "final", "Alice", "12", "--reason", "x"] + c) == "'Alice' is not on the roster (Submissions/roster.csv); did you mean 'alice'?")
        #expect(failure(["extension", "practical2", "alice", "--days", "0", "--reason", "x"] + c).contains("--days must be from 1 to 365"))
        #expect(failure(["marks", "set", "practical2", "alice", "essay", "3", "--reason", "x"] + c) == "'essay' is not a manual item of Rubrics/practical2.yaml (it has: report)")
        // A broken roster is reported at its line before anything is read or written.
        try Data("student_id,name,email\nalice,Alice,alice@example.edu\nalice,Again,again@example.edu\n".utf8)
            .write(to: course.appendingPathComponent("Submissions/roster.csv"))
        #expect(failure(["final"] + c) == "the roster cannot be used:\nSubmissions/roster.csv:3:1: error: student 'alice' is already listed at line 2")
        // So is a broken course policy.
        try Data("practicals: [{id: practical1, session: 2026-10-05, weight: 20}]\nquiz: {weight: 40}\n".utf8)
            .write(to: course.appendingPathComponent("Rubrics/course.yaml"))
        #expect(failure(["final"] + c) == "the course policy cannot be used:\nRubrics/course.yaml:2:1: error: weights add up to 60, not 100 (practicals 20 + quiz 40)")
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        #expect(try gradebook.auditLog().isEmpty && gradebook.overrides().isEmpty && gradebook.extensions(assignmentID: "practical2").isEmpty)
    }
}
