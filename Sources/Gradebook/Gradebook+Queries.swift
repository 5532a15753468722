import Foundation
import GRDB

extension Gradebook {
    /// The most recent submission of `studentID` for `assignmentID`, with its run's spec digest and grader version.
    public func latestSubmission(assignmentID: String, studentID: String) throws -> StoredSubmission? {
        try writer.read { db in
            try StoredSubmission.fetchOne(db, sql: """
                SELECT s.id AS submission_id, s.student_id, s.source_hash, r.spec_hash, r.grader_version, s.status, s.points, s.max_points, s.graded_at
                FROM submissions s JOIN grading_runs r ON r.id = s.run_id
                WHERE s.assignment_id = ? AND s.student_id = ?
                ORDER BY s.id DESC LIMIT 1
                """, arguments: [assignmentID, studentID])
        }
    }

    /// Every student's current grade for `assignmentID`, sorted by student id.
    public func currentGrades(assignmentID: String) throws -> [CurrentGrade] {
        try writer.read { db in
            try CurrentGrade.fetchAll(db, sql: """
                SELECT g.student_id, st.name, g.points, g.max_points, s.status, g.submission_id, s.submitted_at, s.submitted_at_source
                FROM grades g JOIN students st ON st.id = g.student_id JOIN submissions s ON s.id = g.submission_id
                WHERE g.assignment_id = ? ORDER BY g.student_id
                """, arguments: [assignmentID])
        }
    }

    /// The feedback recorded with each student's current grade for `assignmentID`, by student id.
    public func currentFeedback(assignmentID: String) throws -> [String: String] {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT g.student_id, s.feedback FROM grades g JOIN submissions s ON s.id = g.submission_id WHERE g.assignment_id = ?
                """, arguments: [assignmentID])
            return Dictionary(rows.map { ($0["student_id"] as String, $0["feedback"] as String) }, uniquingKeysWith: { $1 })
        }
    }

    /// What each student's current grade for `assignmentID` was recorded with, for writing their feedback
    /// again: the report (nil when recorded before reports were kept), the feedback text, and when and how it was graded.
    public func currentReports(assignmentID: String) throws -> [RecordedGrade] {
        try writer.read { db in
            try RecordedGrade.fetchAll(db, sql: """
                SELECT g.student_id, st.name, s.id AS submission_id, s.status, s.points, s.max_points, s.graded_at, s.report, s.feedback,
                       s.submitted_at, s.submitted_at_source
                FROM grades g JOIN submissions s ON s.id = g.submission_id JOIN students st ON st.id = g.student_id
                WHERE g.assignment_id = ? ORDER BY g.student_id
                """, arguments: [assignmentID])
        }
    }

    /// Records that the grader failed on `studentID`'s submission in run `runID` (nothing else is recorded for it).
    public func recordFault(studentID: String, message: String, inRun runID: Int64, at now: Date = Date()) throws {
        try writer.write { db in
            guard let run = try GradingRunRecord.fetchOne(db, key: runID) else { throw GradebookError.unknownRun(runID, in: path) }
            var fault = FaultRecord(id: nil, runID: runID, studentID: studentID, assignmentID: run.assignmentID, message: message, at: now)
            try fault.insert(db)
        }
    }

    /// The grader's faults on `assignmentID` not yet resolved: each student's latest fault, unless a later
    /// run has graded their submission since. Ordered by student.
    public func unresolvedFaults(assignmentID: String) throws -> [GraderFaultRecord] {
        try writer.read { db in
            try GraderFaultRecord.fetchAll(db, sql: """
                SELECT f.student_id, f.message, f.at, f.run_id FROM grader_faults f
                WHERE f.assignment_id = ?
                  AND f.id = (SELECT MAX(g.id) FROM grader_faults g WHERE g.assignment_id = f.assignment_id AND g.student_id = f.student_id)
                  AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.assignment_id = f.assignment_id AND s.student_id = f.student_id
                                  AND s.run_id > f.run_id)
                ORDER BY f.student_id
                """, arguments: [assignmentID])
        }
    }

    /// The grading runs of `assignmentID`, oldest first.
    public func runs(assignmentID: String) throws -> [RunSummary] {
        try writer.read { db in
            try GradingRunRecord
                .filter(GradingRunRecord.Columns.assignmentID == assignmentID)
                .order(GradingRunRecord.Columns.id)
                .fetchAll(db)
                .map {
                    RunSummary(id: $0.id!, graderVersion: $0.graderVersion, specHash: $0.specHash, mode: $0.mode, startedAt: $0.startedAt,
                               finishedAt: $0.finishedAt, submissionsGraded: $0.submissionsGraded)
                }
        }
    }

    /// The case results of submission `submissionID`, in the order they were recorded.
    public func caseResults(submissionID: Int64) throws -> [CaseResult] {
        try writer.read { db in
            try CaseResultRecord
                .filter(CaseResultRecord.Columns.submissionID == submissionID)
                .order(CaseResultRecord.Columns.id)
                .fetchAll(db)
                .map {
                    CaseResult(checkID: $0.checkID, caseLabel: $0.caseLabel, isHidden: $0.isHidden, verdict: $0.verdict, points: $0.points,
                               maxPoints: $0.maxPoints, message: $0.message, durationSeconds: $0.durationSeconds)
                }
        }
    }

    /// The task scores of submission `submissionID`, in the order they were recorded.
    public func taskScores(submissionID: Int64) throws -> [TaskScore] {
        try writer.read { db in
            try TaskScoreRecord
                .filter(TaskScoreRecord.Columns.submissionID == submissionID)
                .order(Column.rowID)
                .fetchAll(db)
                .map { TaskScore(taskID: $0.taskID, points: $0.points, maxPoints: $0.maxPoints) }
        }
    }

    /// The current grades as CSV: `student_id,name,email,<assignment id>…`, one row per student sorted by id.
    ///
    /// There is one column per assignment, sorted by id. Points have at most two decimals, trailing
    /// zeros removed ("17.5", "20"); a student without a grade for an assignment has an empty cell.
    /// Text cells are protected against formula injection (see `CSVWriter`).
    public func gradesCSV() throws -> String {
        try writer.read { db in
            let assignments = try AssignmentRecord.order(AssignmentRecord.Columns.id).fetchAll(db).map(\.id)
            let students = try StudentRecord.order(StudentRecord.Columns.id).fetchAll(db)
            var points: [String: [String: Double]] = [:]
            for grade in try GradeRecord.fetchAll(db) { points[grade.studentID, default: [:]][grade.assignmentID] = grade.points }
            var csv = CSVWriter()
            csv.append(["student_id", "name", "email"].map(CSVWriter.Cell.text) + assignments.map(CSVWriter.Cell.text))
            for student in students {
                let own = points[student.id] ?? [:]
                csv.append([.text(student.id), .text(student.name ?? ""), .text(student.email ?? "")]
                           + assignments.map { own[$0].map(CSVWriter.Cell.number) ?? .empty })
            }
            return csv.text
        }
    }
}
