import Foundation
import Testing
@testable import Gradebook

/// Recording, querying, history, atomicity, concurrency and bad paths.
@Suite struct GradebookTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gradebook-\(UUID().uuidString)/gradebook.sqlite").path
    }

    static func run(_ assignment: String = "practical1", spec: String = "spec-1") -> GradingRunInfo {
        GradingRunInfo(assignmentID: assignment, assignmentTitle: "Practical 1", graderVersion: "1.0.0", specHash: spec,
                       startedAt: Date(timeIntervalSince1970: 1_790_000_000), mode: "full")
    }

    static func submission(_ student: String, points: Double, name: String? = "Alice Martin", hash: String = "abc",
                           assignment: String = "practical1") -> GradedSubmission {
        GradedSubmission(studentID: student, studentName: name, studentEmail: name == nil ? nil : "\(student)@example.edu",
                         assignmentID: assignment, sourceHash: hash, submittedAt: Date(timeIntervalSince1970: 1_789_000_000),
                         status: "graded", points: points, maxPoints: 16,
                         tasks: [TaskScore(taskID: "newton", points: points / 4, maxPoints: 4)],
                         cases: [CaseResult(checkID: "newton-trajectory", caseLabel: "public 1", isHidden: false, verdict: "accepted",
                                            points: 1, maxPoints: 1, message: "", durationSeconds: 0.01),
                                 CaseResult(checkID: "newton-trajectory", caseLabel: "hidden 1", isHidden: true, verdict: "wrong-answer",
                                            points: 0, maxPoints: 1, message: "x_1 differs", durationSeconds: 0.02)],
                         feedback: "feedback text")
    }

    @Test func aRecordedSubmissionCanBeReadBack() throws {
        let gradebook = try Gradebook.inMemory()
        let run = try gradebook.beginRun(Self.run())
        let id = try gradebook.record(Self.submission("alice", points: 12.5), inRun: run)
        try gradebook.finishRun(run, finishedAt: Date(timeIntervalSince1970: 1_790_000_100))
        let grades = try gradebook.currentGrades(assignmentID: "practical1")
        #expect(grades == [CurrentGrade(studentID: "alice", name: "Alice Martin", points: 12.5, maxPoints: 16, status: "graded", submissionID: id)])
        let cases = try gradebook.caseResults(submissionID: id)
        #expect(cases.map(\.caseLabel) == ["public 1", "hidden 1"])
        #expect(cases[1].isHidden && cases[1].verdict == "wrong-answer" && cases[1].message == "x_1 differs")
        #expect(try gradebook.taskScores(submissionID: id) == [TaskScore(taskID: "newton", points: 3.125, maxPoints: 4)])
        let runs = try gradebook.runs(assignmentID: "practical1")
        #expect(runs.count == 1 && runs[0].submissionsGraded == 1 && runs[0].finishedAt != nil)
        let stored = try #require(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "alice"))
        #expect(stored.sourceHash == "abc" && stored.specHash == "spec-1" && stored.graderVersion == "1.0.0" && stored.points == 12.5)
        #expect(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "nobody") == nil)
    }

    @Test func aRegradeKeepsTheHistoryAndUpdatesTheGrade() throws {
        let gradebook = try Gradebook.inMemory()
        let first = try gradebook.beginRun(Self.run())
        let old = try gradebook.record(Self.submission("alice", points: 10), inRun: first)
        let second = try gradebook.beginRun(Self.run(spec: "spec-2"))
        // A later record without a name keeps the name already known.
        let new = try gradebook.record(Self.submission("alice", points: 16, name: nil, hash: "def"), inRun: second)
        #expect(new != old)
        let grades = try gradebook.currentGrades(assignmentID: "practical1")
        #expect(grades.count == 1 && grades[0].points == 16 && grades[0].submissionID == new && grades[0].name == "Alice Martin")
        #expect(try gradebook.caseResults(submissionID: old).count == 2, "history kept")
        #expect(try gradebook.runs(assignmentID: "practical1").map(\.specHash) == ["spec-1", "spec-2"])
        #expect(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "alice")?.sourceHash == "def")
    }

    @Test func aFailedRecordLeavesNothingBehind() throws {
        let gradebook = try Gradebook.inMemory()
        let run = try gradebook.beginRun(Self.run())
        try gradebook.record(Self.submission("alice", points: 10), inRun: run)
        // Run 999 does not exist: the foreign key fails after the student row was written, inside the same transaction.
        #expect(throws: (any Error).self) { try gradebook.record(Self.submission("bastien", points: 12, name: "Bastien"), inRun: 999) }
        #expect(try gradebook.currentGrades(assignmentID: "practical1").map(\.studentID) == ["alice"])
        #expect(try gradebook.gradesCSV() == "student_id,name,email,practical1\r\nalice,Alice Martin,alice@example.edu,10\r\n")
    }

    @Test func twoGradebooksOnOneFileWriteConcurrently() throws {
        let path = Self.temporaryPath()
        let a = try Gradebook(path: path)
        let b = try Gradebook(path: path)
        let runA = try a.beginRun(Self.run())
        let runB = try b.beginRun(Self.run())
        DispatchQueue.concurrentPerform(iterations: 40) { i in
            let (book, run) = i % 2 == 0 ? (a, runA) : (b, runB)
            try! book.record(Self.submission("student-\(i)", points: Double(i % 17)), inRun: run)
        }
        #expect(try a.currentGrades(assignmentID: "practical1").count == 40)
        #expect(try Gradebook(path: path).currentGrades(assignmentID: "practical1").count == 40)
    }

    @Test func unusablePathsGetAnErrorNamingThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradebook-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let underFile = file.appendingPathComponent("gradebook.sqlite").path
        #expect {
            try Gradebook(path: underFile)
        } throws: { error in
            "\(error)".hasPrefix("cannot use the gradebook at \(underFile): cannot create its folder")
        }
        let notADatabase = folder.appendingPathComponent("notes.sqlite")
        try Data(String(repeating: "not a database ", count: 100).utf8).write(to: notADatabase)
        #expect {
            try Gradebook(path: notADatabase.path)
        } throws: { error in
            "\(error)".contains(notADatabase.path) && "\(error)".contains("not a database")
        }
        #expect(throws: GradebookError.self) { try Gradebook(path: "/proc/grade-test/gradebook.sqlite") }
    }

    @Test func csvExportQuotesAndDefusesFormulas() throws {
        let gradebook = try Gradebook.inMemory()
        let run1 = try gradebook.beginRun(Self.run())
        let run2 = try gradebook.beginRun(Self.run("practical2"))
        try gradebook.record(Self.submission("alice", points: 15.8), inRun: run1)
        try gradebook.record(Self.submission("bob", points: 7, name: "=HYPERLINK(\"http://x\",\"y\")"), inRun: run1)
        try gradebook.record(Self.submission("carol", points: 20 / 3.0, name: "Martin, Carol", assignment: "practical2"), inRun: run2)
        #expect(try gradebook.gradesCSV() == """
            student_id,name,email,practical1,practical2\r
            alice,Alice Martin,alice@example.edu,15.8,\r
            bob,"'=HYPERLINK(""http://x"",""y"")",bob@example.edu,7,\r
            carol,"Martin, Carol",carol@example.edu,,6.67\r

            """)
    }

    @Test func csvCellsAreEscapedOneRuleAtATime() {
        #expect(CSVWriter.field(.text("plain")) == "plain")
        #expect(CSVWriter.field(.text("a,b")) == "\"a,b\"")
        #expect(CSVWriter.field(.text("say \"hi\"")) == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.field(.text("two\nlines")) == "\"two\nlines\"")
        #expect(CSVWriter.field(.text("=1+1")) == "'=1+1")
        #expect(CSVWriter.field(.text("+33 6 12")) == "'+33 6 12")
        #expect(CSVWriter.field(.text("-2")) == "'-2")
        #expect(CSVWriter.field(.text("@SUM(A1)")) == "'@SUM(A1)")
        #expect(CSVWriter.field(.text("\tcmd")) == "'\tcmd")
        #expect(CSVWriter.field(.text("=A1,B1")) == "\"'=A1,B1\"")
        #expect(CSVWriter.field(.number(-2)) == "-2")
        #expect(CSVWriter.field(.number(12.345)) == "12.35")
        #expect(CSVWriter.field(.number(-0.001)) == "0")
        #expect(CSVWriter.field(.empty) == "")
    }
}
