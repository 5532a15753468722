import CourseDrivers
import Foundation
import GRDB
import Gradebook
import GradeServices
import Grader
import StudentServices
import Testing

/// The course records service: what the course-grade commands read and the changes they make by hand,
/// on a small course of its own (the toy practical, a two-question quiz, three students).
@Suite(.serialized) struct CourseRecordsTests {
    static func course() throws -> CourseRecords {
        let root = try ToyPracticalTests.course()
        let files = [
            "Rubrics/course.yaml": """
                name: Toy course
                roster: roster.csv
                time-zone: Europe/Paris
                practicals:
                  - {id: toy, session: 2026-10-05, weight: 60}
                quiz: {weight: 40, bank: Assignments/quiz.yaml}
                scale: 20
                late: {due-after-days: 14, deadline: "23:59", grace-minutes: 15, penalty-percent-per-day: 10, zero-after-days: 7}
                rounding: {step: 0.01, mode: nearest}
                """,
            "Rubrics/toy.yaml": """
                assignment: toy
                total: 8
                checks:
                  - {check: doubles, points: 4, credit: proportional}
                manual:
                  - {id: report, title: Report, points: 4}
                """,
            "Assignments/quiz.yaml": """
                title: Toy quiz
                topics: [basics]
                scoring: {multiple-answer: partial, negative-marking: false}
                questions:
                  - id: q1
                    topic: basics
                    question: "1 + 1?"
                    options: {A: "1", B: "2"}
                    answer: B
                  - id: q2
                    topic: basics
                    question: "2 + 2?"
                    options: {A: "4", B: "5"}
                    answer: A
                """,
            "Submissions/toy/right/submission.yaml": "submitted_at: 2026-10-18T18:00:00+02:00\n",
            "Submissions/toy/wrong/submission.yaml": "submitted_at: 2026-10-21T18:00:00+02:00\n",
            "roster.csv": "student_id,name,email\nright,Rita Right,rita@example.edu\nwrong,Will Wrong,will@example.edu\nabsent,Ada Absent,ada@example.edu\n",
        ]
        try ToyPracticalTests.write(files, under: root)
        let layout = CourseLayout(root: root)
        return try CourseRecords.load(layout: layout, gradebookPath: layout.gradebookURL.path, registry: PracticalRegistry.course.adding(DoublingDriver.self))
    }

    static func write(_ text: String, in records: CourseRecords, as name: String) throws -> URL {
        let url = records.layout.root.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func marksAreImportedOnlyWhenTheWholeFileIsGood() throws {
        let records = try Self.course()
        let bad = try Self.write("student_id,report,comment\nright,3.5,good\nwrong,5,too many\nnobody,1,\n", in: records, as: "bad.csv")
        #expect {
            _ = try records.importMarks("toy", from: bad, reason: nil, actor: "tester")
        } throws: { error in
            let text = "\(error)"
            return text.contains("nothing was imported") && text.contains("bad.csv:3") && text.contains("report: 5 is outside 0 to 4")
                && text.contains("bad.csv:4") && text.contains("'nobody' is not on the roster")
        }
        #expect(try records.gradebook.manualMarks(assignmentID: "toy").isEmpty)

        let good = try Self.write("student_id,report,comment\nright,\"3,5\",good\nwrong,,\n", in: records, as: "good.csv")
        let done = try records.importMarks("toy", from: good, reason: nil, actor: "tester")
        #expect(done.students == 1 && done.changed == 1 && done.ungraded == ["right"])
        let marks = try records.gradebook.manualMarks(assignmentID: "toy")
        #expect(marks.map(\.points) == [3.5] && marks.map(\.reason) == ["good"])
        #expect(try records.importMarks("toy", from: good, reason: nil, actor: "tester").changed == 0, "the same mark again changes nothing")
    }

    @Test func aMarkAnOverrideAndAnExtensionAreCheckedBeforeTheyAreRecorded() throws {
        let records = try Self.course()
        #expect(throws: ServiceFailure.self) { try records.setMark("toy", student: "right", item: "report", points: "4.5", reason: "r", actor: "t") }
        #expect(throws: ServiceFailure.self) { try records.setMark("toy", student: "right", item: "code", points: "1", reason: "r", actor: "t") }
        #expect(throws: ServiceFailure.self) { try records.setMark("toy", student: "Right", item: "report", points: "1", reason: "r", actor: "t") }
        let mark = try records.setMark("toy", student: "right", item: "report", points: "2,5", reason: "r", actor: "t")
        #expect(mark.points == 2.5 && mark.of == 4 && mark.changed)

        #expect(records.overrideTargets == ["toy", "quiz", "final"])
        #expect(throws: ServiceFailure.self) { try records.setOverride("practical9", student: "right", grade: "10", reason: "r", actor: "t") }
        #expect(throws: ServiceFailure.self) { try records.setOverride("final", student: "right", grade: "21", reason: "r", actor: "t") }
        #expect(throws: ServiceFailure.self) { try records.setOverride("final", student: "right", grade: "nan", reason: "r", actor: "t") }
        #expect(try records.setOverride("final", student: "right", grade: "12.5", reason: "r", actor: "t") == (12.5, true))
        #expect(try records.setOverride("final", student: "right", grade: nil, reason: "r", actor: "t") == (nil, true))

        // The deadline of 19 October 23:59 in Paris (summer time) moved by 8 days crosses the change to
        // winter time: it stays 23:59 on the wall clock.
        let (deadline, changed) = try records.setExtension("toy", student: "wrong", days: 8, reason: "r", actor: "t")
        #expect(changed)
        #expect(SubmissionTiming.format(deadline, in: records.policy.timeZone).hasPrefix("2026-10-27 23:59"))
        #expect(deadline == records.policy.deadline(of: records.policy.practicals[0]).addingTimeInterval(8 * 86_400 + 3_600))
        #expect(throws: ServiceFailure.self) { try records.setExtension("toy", student: "wrong", days: 0, reason: "r", actor: "t") }
        #expect(try records.gradebook.auditLog().map(\.action) == ["mark-set", "override-set", "override-clear", "extension-set"])
    }

    @Test func theCourseGradeComesFromTheRecordsAndUnreadableQuizAnswersAreReported() throws {
        let records = try Self.course()
        let grading = AssignmentGrading(layout: records.layout, gradebookPath: records.gradebookPath, registry: records.registry)
        _ = try grading.run(AssignmentGrading.Request(assignment: "toy"))
        _ = try records.setMark("toy", student: "right", item: "report", points: "2", reason: "r", actor: "t")
        let responses = try Self.write("student_id,q1,q2\nright,B,A\nwrong,A,\n", in: records, as: "responses.csv")
        let quiz = try records.importQuizResponses(from: responses, actor: "t")
        #expect(quiz.students == 2 && quiz.changed == 2 && quiz.withoutResponses == ["absent"])

        var grades = try records.grades()
        let right = try #require(grades.students.first { $0.student.id == "right" })
        // (4 automatic + 2 report) / 8 × 20 = 15 for the practical, 20 for the quiz: 0.6 × 15 + 0.4 × 20 = 17.
        #expect(right.practicals.map(\.grade) == [15] && right.quiz?.computed == 20 && right.final == 17)
        // wrong: 0 automatic, no report mark, two started days late (nothing to lose); quiz 0 of 2.
        let wrong = try #require(grades.students.first { $0.student.id == "wrong" })
        #expect(wrong.practicals.first?.timing?.lateness.daysLate == 2 && wrong.final == 0 && wrong.practicals.first?.unmarkedItems == ["report"])
        #expect(grades.students.first { $0.student.id == "absent" }?.practicals.first?.state == .missing)
        #expect(grades.unreadableQuizAnswers.isEmpty)

        // An answer stored by hand that is no option letter scores as a blank and is reported, not hidden.
        let queue = try DatabaseQueue(path: records.gradebookPath)
        try queue.write { try $0.execute(sql: "UPDATE quiz_responses SET answer = 'Z?' WHERE student_id = 'right' AND question_id = 'q2'") }
        grades = try records.grades()
        #expect(grades.unreadableQuizAnswers == ["right": ["q2"]])
        #expect(grades.students.first { $0.student.id == "right" }?.quiz?.computed == 10)
    }
}
