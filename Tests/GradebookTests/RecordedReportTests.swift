import Foundation
import Testing
@testable import Gradebook
import Outcomes

/// What feedback is written from again without regrading: each grade's report and each mark's comment.
@Suite struct RecordedReportTests {
    @Test func theCurrentGradeComesWithItsReportAndFeedback() throws {
        let gradebook = try Gradebook.inMemory()
        let run = try gradebook.beginRun(Fixtures.run())
        var old = Fixtures.submission("alice", points: 10)
        old.report = nil
        try gradebook.record(old, inRun: run)
        var bob = Fixtures.submission("bob", points: 12, name: "Bob Durand")
        bob.report = #"{"format":1}"#
        try gradebook.record(bob, inRun: run)
        var recorded = try gradebook.currentReports(assignmentID: "practical1")
        #expect(recorded.map(\.studentID) == ["alice", "bob"])
        #expect(recorded[0].report == nil, "a grade recorded without a report")
        #expect(recorded[1].report == #"{"format":1}"# && recorded[1].name == "Bob Durand" && recorded[1].feedback == "feedback text")
        // A regrade replaces the current grade and its report; the history keeps both.
        var again = Fixtures.submission("alice", points: 14)
        again.report = #"{"format":1,"again":true}"#
        try gradebook.record(again, inRun: run)
        recorded = try gradebook.currentReports(assignmentID: "practical1")
        #expect(recorded[0].points == 14 && recorded[0].report == #"{"format":1,"again":true}"#)
        #expect(try gradebook.currentReports(assignmentID: "practical2").isEmpty)
    }

    @Test func aMarksCommentIsKeptAndAChangedCommentAloneIsAChange() throws {
        let gradebook = try Gradebook.inMemory()
        // The audit reason is not a comment: only the marker's comment reaches the student.
        let marks = [ManualMarkInput(studentID: "alice", itemID: "report", points: 3, reason: "imported from marks.csv"),
                     ManualMarkInput(studentID: "bob", itemID: "report", points: 2, reason: "learning curves missing", comment: "learning curves missing")]
        #expect(try gradebook.setManualMarks(marks, assignmentID: "practical2", reason: "imported from marks.csv", actor: "prof") == 2)
        #expect(try gradebook.manualMarks(assignmentID: "practical2").map(\.comment) == [nil, "learning curves missing"])
        let reworded = [ManualMarkInput(studentID: "bob", itemID: "report", points: 2, comment: "learning curves and their axes missing")]
        #expect(try gradebook.setManualMarks(reworded, assignmentID: "practical2", reason: "imported from marks.csv", actor: "prof") == 1)
        #expect(try gradebook.manualMarks(assignmentID: "practical2").map(\.comment) == [nil, "learning curves and their axes missing"])
        #expect(try gradebook.setManualMarks(reworded, assignmentID: "practical2", reason: "imported from marks.csv", actor: "prof") == 0)
        // A mark set by hand with the same points changes nothing and keeps the comment; with other points, it keeps it too.
        #expect(try gradebook.setManualMarks([ManualMarkInput(studentID: "bob", itemID: "report", points: 2)], assignmentID: "practical2",
                                             reason: "second reading", actor: "ta") == 0)
        #expect(try gradebook.setManualMarks([ManualMarkInput(studentID: "bob", itemID: "report", points: 2.5)], assignmentID: "practical2",
                                             reason: "second reading", actor: "ta") == 1)
        #expect(try gradebook.manualMarks(assignmentID: "practical2").map(\.comment) == [nil, "learning curves and their axes missing"])
    }
}

/// The grader's faults are kept for the dashboard until a later run grades the submission.
@Suite struct GraderFaultRecordTests {
    @Test func aFaultStandsUntilALaterRunGradesTheSubmission() throws {
        let gradebook = try Gradebook.inMemory()
        let first = try gradebook.beginRun(Fixtures.run())
        try gradebook.recordFault(studentID: "alice", message: "the grader could not generate case public 1", inRun: first)
        try gradebook.recordFault(studentID: "bob", message: "data unreadable", inRun: first)
        try gradebook.record(Fixtures.submission("carol", points: 3), inRun: first)
        #expect(try gradebook.unresolvedFaults(assignmentID: "practical1").map(\.studentID) == ["alice", "bob"])
        let second = try gradebook.beginRun(Fixtures.run())
        try gradebook.record(Fixtures.submission("alice", points: 10), inRun: second)
        try gradebook.recordFault(studentID: "bob", message: "data unreadable again", inRun: second)
        let faults = try gradebook.unresolvedFaults(assignmentID: "practical1")
        #expect(faults.map(\.studentID) == ["bob"] && faults[0].message == "data unreadable again" && faults[0].runID == second)
        #expect(throws: GradebookError.self) { try gradebook.recordFault(studentID: "x", message: "m", inRun: 99) }
    }
}
