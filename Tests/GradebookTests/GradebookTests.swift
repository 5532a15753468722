import Foundation
import GRDB
import Testing
@testable import Gradebook
import Outcomes

/// Recording and querying: round trip, regrades and history, one transaction per submission.
@Suite struct GradebookTests {
    @Test func aRecordedSubmissionCanBeReadBack() throws {
        let gradebook = try Gradebook.inMemory()
        let run = try gradebook.beginRun(Fixtures.run())
        let before = Date()
        let id = try gradebook.record(Fixtures.submission("alice", points: 12.5), inRun: run)
        try gradebook.finishRun(run, finishedAt: Date(timeIntervalSince1970: 1_790_000_100))

        #expect(try gradebook.currentGrades(assignmentID: "practical1")
                == [CurrentGrade(studentID: "alice", name: "Alice Martin", points: 12.5, maxPoints: 16, status: .graded, submissionID: id,
                                submittedAt: Date(timeIntervalSince1970: 1_789_000_000))])
        #expect(try gradebook.caseResults(submissionID: id) == Fixtures.cases)
        #expect(try gradebook.taskScores(submissionID: id)
                == [TaskScore(taskID: "newton", points: 3.125, maxPoints: 4), TaskScore(taskID: "gradient-descent", points: 1, maxPoints: 4)],
                "in the order recorded")
        #expect(try gradebook.runs(assignmentID: "practical1")
                == [RunSummary(id: run, graderVersion: "1.0.0", specHash: "spec-1", mode: .full, startedAt: Fixtures.startedAt,
                               finishedAt: Date(timeIntervalSince1970: 1_790_000_100), submissionsGraded: 1)])

        let stored = try #require(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "alice"))
        #expect(stored.submissionID == id && stored.studentID == "alice" && stored.status == .graded)
        #expect(stored.sourceHash == "abc" && stored.specHash == "spec-1" && stored.graderVersion == "1.0.0")
        #expect(stored.points == 12.5 && stored.maxPoints == 16)
        // Dates are stored to the millisecond.
        #expect(stored.gradedAt.timeIntervalSince(before) > -0.001 && stored.gradedAt.timeIntervalSinceNow < 1)
        #expect(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "nobody") == nil)
        #expect(try gradebook.latestSubmission(assignmentID: "practical2", studentID: "alice") == nil)

        let (feedback, submittedAt, title) = try gradebook.writer.read { db in
            (try String.fetchOne(db, sql: "SELECT feedback FROM submissions WHERE id = ?", arguments: [id]),
             try Date.fetchOne(db, sql: "SELECT submitted_at FROM submissions WHERE id = ?", arguments: [id]),
             try String.fetchOne(db, sql: "SELECT title FROM assignments WHERE id = 'practical1'"))
        }
        #expect(feedback == "feedback text" && submittedAt == Date(timeIntervalSince1970: 1_789_000_000) && title == "Practical 1")
    }

    @Test func aRegradeKeepsTheHistoryAndUpdatesTheGrade() throws {
        let gradebook = try Gradebook.inMemory()
        let first = try gradebook.beginRun(Fixtures.run())
        let old = try gradebook.record(Fixtures.submission("alice", points: 10), inRun: first)
        try gradebook.finishRun(first, finishedAt: Fixtures.startedAt.addingTimeInterval(60))
        let second = try gradebook.beginRun(Fixtures.run(spec: "spec-2", version: "1.1.0"))
        // A later record without a name or email keeps the ones already known.
        let new = try gradebook.record(Fixtures.submission("alice", points: 16, name: nil, hash: "def"), inRun: second)
        try gradebook.finishRun(second, finishedAt: Fixtures.startedAt.addingTimeInterval(120))

        #expect(new != old)
        #expect(try gradebook.currentGrades(assignmentID: "practical1")
                == [CurrentGrade(studentID: "alice", name: "Alice Martin", points: 16, maxPoints: 16, status: .graded, submissionID: new,
                                submittedAt: Date(timeIntervalSince1970: 1_789_000_000))])
        let history = try gradebook.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT run_id, source_hash, points FROM submissions WHERE student_id = 'alice' ORDER BY id")
                .map { [$0[0] as Int64 == first ? "first" : "second", $0[1] as String, "\($0[2] as Double)"] }
        }
        #expect(history == [["first", "abc", "10.0"], ["second", "def", "16.0"]])
        #expect(try gradebook.caseResults(submissionID: old) == Fixtures.cases, "the old submission's cases are kept")
        #expect(try gradebook.runs(assignmentID: "practical1").map { [$0.specHash, $0.graderVersion, "\($0.submissionsGraded)"] }
                == [["spec-1", "1.0.0", "1"], ["spec-2", "1.1.0", "1"]])
        let latest = try #require(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "alice"))
        #expect(latest.submissionID == new && latest.sourceHash == "def" && latest.specHash == "spec-2" && latest.graderVersion == "1.1.0")
        #expect(try gradebook.gradesCSV() == "student_id,name,email,practical1\r\nalice,Alice Martin,alice@example.edu,16\r\n")
    }

    @Test func aRunThatWasNeverFinishedHasNoEndDate() throws {
        let gradebook = try Gradebook.inMemory()
        let run = try gradebook.beginRun(Fixtures.run())
        try gradebook.record(Fixtures.submission("alice", points: 10), inRun: run)
        let summary = try #require(try gradebook.runs(assignmentID: "practical1").first)
        #expect(summary.finishedAt == nil && summary.submissionsGraded == 0)
        #expect {
            try gradebook.finishRun(run + 1, finishedAt: Date())
        } throws: { error in
            "\(error)" == "cannot use the gradebook at (in memory): there is no grading run \(run + 1)"
        }
    }

    /// Counts of every table, to show a failed record wrote nothing.
    static func rowCounts(_ gradebook: Gradebook) throws -> [String: Int] {
        try gradebook.writer.read { db in
            var counts: [String: Int] = [:]
            for table in ["students", "assignments", "grading_runs", "submissions", "task_scores", "case_results", "grades"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
            }
            return counts
        }
    }

    @Test func aRecordThatFailsHalfwayLeavesNothingBehind() throws {
        let gradebook = try Gradebook.inMemory()
        let run = try gradebook.beginRun(Fixtures.run())
        try gradebook.record(Fixtures.submission("alice", points: 10), inRun: run)
        let counts = try Self.rowCounts(gradebook)
        let csv = try gradebook.gradesCSV()

        // The second task score violates task_scores' primary key after the student, the submission and
        // the first task score were written in the same transaction.
        let twice = [TaskScore(taskID: "newton", points: 1, maxPoints: 4), TaskScore(taskID: "newton", points: 2, maxPoints: 4)]
        #expect(throws: DatabaseError.self) {
            try gradebook.record(Fixtures.submission("bastien", points: 12, name: "Bastien", tasks: twice), inRun: run)
        }
        // For a student already known, the renamed student row and the new grade are rolled back too.
        #expect(throws: DatabaseError.self) {
            try gradebook.record(Fixtures.submission("alice", points: 16, name: "Renamed", tasks: twice), inRun: run)
        }
        #expect(try Self.rowCounts(gradebook) == counts)
        #expect(try gradebook.gradesCSV() == csv)
        #expect(try gradebook.currentGrades(assignmentID: "practical1").map { "\($0.studentID) \($0.name!) \($0.points)" }
                == ["alice Alice Martin 10.0"])
        #expect(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "bastien") == nil)
    }

    @Test func statusesVerdictsAndModesAreStoredAsTheirTextAndAnUnknownOneIsAnError() throws {
        let gradebook = try Gradebook.inMemory()
        let run = try gradebook.beginRun(Fixtures.run())
        let id = try gradebook.record(Fixtures.submission("alice", points: 10), inRun: run)
        let stored = try gradebook.writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT s.status, r.mode, (SELECT group_concat(verdict, ' ') FROM case_results WHERE submission_id = s.id)
                FROM submissions s JOIN grading_runs r ON r.id = s.run_id WHERE s.id = ?
                """, arguments: [id])
        }
        #expect(stored.map { [$0[0], $0[1], $0[2]] as [String] } == ["graded", "full", "accepted wrong-answer"])
        #expect(try gradebook.caseResults(submissionID: id).map(\.verdict) == [.accepted, .wrongAnswer])

        // A status this version does not know (written by a later one, or by hand) is reported, not guessed.
        try gradebook.writer.write { try $0.execute(sql: "UPDATE submissions SET status = 'half-graded' WHERE id = ?", arguments: [id]) }
        #expect(throws: (any Error).self) { try gradebook.currentGrades(assignmentID: "practical1") }
        #expect(throws: (any Error).self) { try gradebook.latestSubmission(assignmentID: "practical1", studentID: "alice") }
    }

    @Test func aSubmissionNeedsARunOfItsAssignment() throws {
        let gradebook = try Gradebook.inMemory()
        let run = try gradebook.beginRun(Fixtures.run())
        let counts = try Self.rowCounts(gradebook)
        #expect {
            try gradebook.record(Fixtures.submission("bastien", points: 12), inRun: 999)
        } throws: { error in
            "\(error)" == "cannot use the gradebook at (in memory): there is no grading run 999"
        }
        #expect {
            try gradebook.record(Fixtures.submission("bastien", points: 12, assignment: "practical2"), inRun: run)
        } throws: { error in
            "\(error)" == "cannot use the gradebook at (in memory): grading run \(run) grades practical1, not practical2"
        }
        #expect(try Self.rowCounts(gradebook) == counts)
    }

    @Test func gradesAreExportedOnePerStudentAndAssignment() throws {
        let gradebook = try Gradebook.inMemory()
        let run1 = try gradebook.beginRun(Fixtures.run())
        let run2 = try gradebook.beginRun(Fixtures.run("practical2"))
        try gradebook.record(Fixtures.submission("carol", points: 20 / 3.0, name: "Martin, Carol", assignment: "practical2"), inRun: run2)
        try gradebook.record(Fixtures.submission("alice", points: 17.5), inRun: run1)
        try gradebook.record(Fixtures.submission("bob", points: 20, name: "=HYPERLINK(\"http://x\",\"y\")"), inRun: run1)
        try gradebook.record(Fixtures.submission("dmitri", points: 0, name: nil), inRun: run1)
        #expect(try gradebook.gradesCSV() == """
            student_id,name,email,practical1,practical2\r
            alice,Alice Martin,alice@example.edu,17.5,\r
            bob,"'=HYPERLINK(""http://x"",""y"")",bob@example.edu,20,\r
            carol,"Martin, Carol",carol@example.edu,,6.67\r
            dmitri,,,0,\r

            """)
    }

    @Test func anEmptyGradebookExportsItsHeader() throws {
        #expect(try Gradebook.inMemory().gradesCSV() == "student_id,name,email\r\n")
    }
}
