import Foundation
import GRDB
import Testing
@testable import Gradebook
import Outcomes

/// What instructors enter by hand — marks, overrides, extensions, quiz responses — survives regrades and is audited.
@Suite struct CourseTablesTests {
    static let monday = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func marksAreKeptWithWhenWhoAndWhyAndOnlyChangesAreLogged() throws {
        let gradebook = try Gradebook.inMemory()
        let imported = [ManualMarkInput(studentID: "alice", itemID: "report", points: 3.5),
                        ManualMarkInput(studentID: "bob", itemID: "report", points: 2, reason: "learning curves missing")]
        #expect(try gradebook.setManualMarks(imported, assignmentID: "practical2", reason: "imported from marks.csv", actor: "prof",
                                             action: "mark-import", at: Self.monday) == 2)
        // The same file again changes nothing and logs nothing.
        #expect(try gradebook.setManualMarks(imported, assignmentID: "practical2", reason: "imported from marks.csv", actor: "prof",
                                             action: "mark-import") == 0)
        #expect(try gradebook.setManualMarks([ManualMarkInput(studentID: "alice", itemID: "report", points: 4)], assignmentID: "practical2",
                                             reason: "second marker", actor: "ta", at: Self.monday.addingTimeInterval(60)) == 1)
        #expect(try gradebook.manualMarks(assignmentID: "practical2").map { [$0.studentID, "\($0.points)", $0.reason] }
                == [["alice", "4.0", "second marker"], ["bob", "2.0", "learning curves missing"]])
        let log = try gradebook.auditLog()
        #expect(log.map { [$0.actor, $0.action, $0.studentID ?? "", $0.target ?? "", $0.item ?? "", $0.oldValue ?? "-", $0.newValue ?? "-", $0.reason] } == [
            ["prof", "mark-import", "alice", "practical2", "report", "-", "3.5", "imported from marks.csv"],
            ["prof", "mark-import", "bob", "practical2", "report", "-", "2", "learning curves missing"],
            ["ta", "mark-set", "alice", "practical2", "report", "3.5", "4", "second marker"],
        ])
        #expect(log[0].at == Self.monday && log[2].at == Self.monday.addingTimeInterval(60))
        #expect(try gradebook.auditLog(studentID: "bob").count == 1)
    }

    @Test func overridesAndExtensionsCanBeSetChangedAndCleared() throws {
        let gradebook = try Gradebook.inMemory()
        #expect(try gradebook.setOverride(studentID: "alice", target: "final", grade: 12, reason: "jury", actor: "prof"))
        #expect(try !gradebook.setOverride(studentID: "alice", target: "final", grade: 12, reason: "jury again", actor: "prof"))
        #expect(try gradebook.setOverride(studentID: "alice", target: "final", grade: nil, reason: "jury reversed", actor: "prof"))
        #expect(try gradebook.setOverride(studentID: "bob", target: "quiz", grade: 9.5, reason: "sat the make-up quiz", actor: "prof"))
        #expect(try gradebook.overrides().map { "\($0.studentID) \($0.target) \($0.grade)" } == ["bob quiz 9.5"])
        #expect(try gradebook.setExtension(studentID: "bob", assignmentID: "practical2", days: 2, reason: "medical", actor: "prof"))
        #expect(try gradebook.setExtension(studentID: "bob", assignmentID: "practical2", days: 3, reason: "medical, extended", actor: "prof"))
        #expect(try gradebook.extensions(assignmentID: "practical2").map { "\($0.studentID) \($0.days) \($0.reason)" } == ["bob 3 medical, extended"])
        #expect(try gradebook.extensions(assignmentID: "practical1").isEmpty)
        #expect(try gradebook.auditLog().map { "\($0.action) \($0.studentID!) \($0.target!) \($0.oldValue ?? "-")→\($0.newValue ?? "-")" } == [
            "override-set alice final -→12", "override-clear alice final 12→-", "override-set bob quiz -→9.5",
            "extension-set bob practical2 -→2 days", "extension-set bob practical2 2 days→3 days",
        ])
    }

    @Test func quizResponsesReplaceOnlyTheStudentsImported() throws {
        let gradebook = try Gradebook.inMemory()
        try gradebook.replaceQuizResponses([QuizResponseInput(studentID: "alice", answers: ["q1": "A", "q2": "A;C"]),
                                            QuizResponseInput(studentID: "bob", answers: ["q1": "", "q2": "B"])], source: "sitting.csv", actor: "prof")
        #expect(try gradebook.replaceQuizResponses([QuizResponseInput(studentID: "bob", answers: ["q1": "A", "q2": "B"])],
                                                   source: "makeup.csv", actor: "prof") == 1)
        #expect(try gradebook.quizResponses() == ["alice": ["q1": "A", "q2": "A;C"], "bob": ["q1": "A", "q2": "B"]])
        let bob = try gradebook.auditLog(studentID: "bob")
        #expect(bob.map { [$0.oldValue ?? "-", $0.newValue ?? "-", $0.reason] } == [
            ["-", "q1= q2=B", "imported from sitting.csv"], ["q1= q2=B", "q1=A q2=B", "imported from makeup.csv"],
        ])
    }

    @Test func aRegradeKeepsEverythingEnteredByHand() throws {
        let gradebook = try Gradebook.inMemory()
        let first = try gradebook.beginRun(Fixtures.run("practical2"))
        try gradebook.record(Fixtures.submission("alice", points: 10, assignment: "practical2"), inRun: first)
        try gradebook.setManualMarks([ManualMarkInput(studentID: "alice", itemID: "report", points: 3)], assignmentID: "practical2",
                                     reason: "marked", actor: "prof")
        try gradebook.setOverride(studentID: "alice", target: "practical2", grade: 15, reason: "appeal", actor: "prof")
        try gradebook.setExtension(studentID: "alice", assignmentID: "practical2", days: 1, reason: "illness", actor: "prof")
        try gradebook.replaceQuizResponses([QuizResponseInput(studentID: "alice", answers: ["q1": "A"])], source: "r.csv", actor: "prof")
        let second = try gradebook.beginRun(Fixtures.run("practical2", spec: "spec-2"))
        try gradebook.record(Fixtures.submission("alice", points: 14, hash: "def", assignment: "practical2"), inRun: second)
        #expect(try gradebook.currentGrades(assignmentID: "practical2").map(\.points) == [14])
        #expect(try gradebook.manualMarks(assignmentID: "practical2").map(\.points) == [3])
        #expect(try gradebook.overrides().map(\.grade) == [15])
        #expect(try gradebook.extensions(assignmentID: "practical2").map(\.days) == [1])
        #expect(try gradebook.quizResponses() == ["alice": ["q1": "A"]])
        #expect(try gradebook.auditLog().count == 4)
    }

    @Test func checkScoresAreRecordedAndRebuiltForOlderSubmissions() throws {
        let gradebook = try Gradebook.inMemory()
        let run = try gradebook.beginRun(Fixtures.run())
        var graded = Fixtures.submission("alice", points: 12)
        graded.checks = [CheckScore(taskID: "newton", checkID: "newton-trajectory", points: 1.75, maxPoints: 3.5, cases: 2, passed: 1,
                                    verdicts: "wrong-answer ×1")]
        graded.submittedAtSource = .fileTime
        let id = try gradebook.record(graded, inRun: run)
        #expect(try gradebook.checkScores(submissionID: id) == graded.checks)
        #expect(try gradebook.currentGrades(assignmentID: "practical1").first?.submittedAtSource == .fileTime)
        // A submission recorded without check scores (before they were kept) gets them from its case results.
        let older = try gradebook.record(Fixtures.submission("bob", points: 1), inRun: run)
        #expect(try gradebook.checkScores(submissionID: older) == [
            CheckScore(taskID: "", checkID: "newton-trajectory", points: 1, maxPoints: 2, cases: 2, passed: 1, verdicts: "wrong-answer ×1"),
        ])
    }

    @Test func aVersionOneGradebookIsMigratedWithItsGradesIntact() throws {
        let path = Fixtures.temporaryPath()
        defer { Fixtures.removeFolder(of: path) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(old, upTo: "v1")
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO students (id, name, email) VALUES ('alice', 'Alice', 'alice@example.edu');
                INSERT INTO assignments (id, title) VALUES ('practical1', 'Practical 1');
                INSERT INTO grading_runs (assignment_id, grader_version, spec_hash, mode, started_at) VALUES ('practical1', '1.0.0', 's', 'full', '2026-10-20 10:00:00.000');
                INSERT INTO submissions (run_id, student_id, assignment_id, source_hash, submitted_at, status, points, max_points, feedback, graded_at)
                    VALUES (1, 'alice', 'practical1', 'h', '2026-10-18 19:40:00.000', 'graded', 16, 16, 'f', '2026-10-20 10:00:01.000');
                INSERT INTO grades (student_id, assignment_id, submission_id, points, max_points, updated_at) VALUES ('alice', 'practical1', 1, 16, 16, '2026-10-20 10:00:01.000');
                """)
        }
        try old.close()
        let gradebook = try Gradebook(path: path)
        let grade = try #require(try gradebook.currentGrades(assignmentID: "practical1").first)
        #expect(grade.points == 16 && grade.submittedAtSource == nil && grade.submittedAt != nil)
        #expect(try gradebook.setManualMarks([ManualMarkInput(studentID: "alice", itemID: "report", points: 4)], assignmentID: "practical1",
                                             reason: "r", actor: "a") == 1)
    }
}
