import Foundation
import GRDB
import Outcomes

/// A row of `students`.
struct StudentRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "students"
    var id: String
    var name: String?
    var email: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let name = Column(CodingKeys.name)
        static let email = Column(CodingKeys.email)
    }
}

/// A row of `assignments`.
struct AssignmentRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "assignments"
    var id: String
    var title: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let title = Column(CodingKeys.title)
    }
}

/// A row of `grading_runs`: one `grade` run over an assignment (or one student of it).
struct GradingRunRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "grading_runs"
    var id: Int64?
    var assignmentID: String
    var graderVersion: String
    var specHash: String
    var mode: GradingMode
    var startedAt: Date
    var finishedAt: Date?
    var submissionsGraded: Int

    enum CodingKeys: String, CodingKey {
        case id, mode
        case assignmentID = "assignment_id", graderVersion = "grader_version", specHash = "spec_hash"
        case startedAt = "started_at", finishedAt = "finished_at", submissionsGraded = "submissions_graded"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let assignmentID = Column(CodingKeys.assignmentID)
        static let graderVersion = Column(CodingKeys.graderVersion)
        static let specHash = Column(CodingKeys.specHash)
        static let mode = Column(CodingKeys.mode)
        static let startedAt = Column(CodingKeys.startedAt)
        static let finishedAt = Column(CodingKeys.finishedAt)
        static let submissionsGraded = Column(CodingKeys.submissionsGraded)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `submissions`: one graded submission, kept forever as history.
struct SubmissionRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "submissions"
    var id: Int64?
    var runID: Int64
    var studentID: String
    var assignmentID: String
    var sourceHash: String
    var submittedAt: Date?
    var status: SubmissionStatus
    var points: Double
    var maxPoints: Double
    var feedback: String
    var gradedAt: Date
    var submittedAtSource: SubmissionTimeSource?
    var report: String?

    enum CodingKeys: String, CodingKey {
        case id, status, points, feedback, report
        case runID = "run_id", studentID = "student_id", assignmentID = "assignment_id", sourceHash = "source_hash"
        case submittedAt = "submitted_at", maxPoints = "max_points", gradedAt = "graded_at", submittedAtSource = "submitted_at_source"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let runID = Column(CodingKeys.runID)
        static let studentID = Column(CodingKeys.studentID)
        static let assignmentID = Column(CodingKeys.assignmentID)
        static let sourceHash = Column(CodingKeys.sourceHash)
        static let submittedAt = Column(CodingKeys.submittedAt)
        static let status = Column(CodingKeys.status)
        static let points = Column(CodingKeys.points)
        static let maxPoints = Column(CodingKeys.maxPoints)
        static let feedback = Column(CodingKeys.feedback)
        static let gradedAt = Column(CodingKeys.gradedAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `task_scores`: one task's points in one submission.
struct TaskScoreRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "task_scores"
    var submissionID: Int64
    var taskID: String
    var points: Double
    var maxPoints: Double

    enum CodingKeys: String, CodingKey {
        case points
        case submissionID = "submission_id", taskID = "task_id", maxPoints = "max_points"
    }

    enum Columns {
        static let submissionID = Column(CodingKeys.submissionID)
        static let taskID = Column(CodingKeys.taskID)
        static let points = Column(CodingKeys.points)
        static let maxPoints = Column(CodingKeys.maxPoints)
    }
}

/// A row of `case_results`: one case's verdict in one submission.
struct CaseResultRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "case_results"
    var id: Int64?
    var submissionID: Int64
    var checkID: String
    var caseLabel: String
    var isHidden: Bool
    var verdict: Verdict
    var points: Double
    var maxPoints: Double
    var message: String
    var durationSeconds: Double

    enum CodingKeys: String, CodingKey {
        case id, verdict, points, message
        case submissionID = "submission_id", checkID = "check_id", caseLabel = "case_label", isHidden = "is_hidden"
        case maxPoints = "max_points", durationSeconds = "duration_seconds"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let submissionID = Column(CodingKeys.submissionID)
        static let checkID = Column(CodingKeys.checkID)
        static let caseLabel = Column(CodingKeys.caseLabel)
        static let isHidden = Column(CodingKeys.isHidden)
        static let verdict = Column(CodingKeys.verdict)
        static let points = Column(CodingKeys.points)
        static let maxPoints = Column(CodingKeys.maxPoints)
        static let message = Column(CodingKeys.message)
        static let durationSeconds = Column(CodingKeys.durationSeconds)
    }
}

/// A row of `grades`: the current grade of a student for an assignment, from their latest graded submission.
struct GradeRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "grades"
    var studentID: String
    var assignmentID: String
    var submissionID: Int64
    var points: Double
    var maxPoints: Double
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case points
        case studentID = "student_id", assignmentID = "assignment_id", submissionID = "submission_id"
        case maxPoints = "max_points", updatedAt = "updated_at"
    }

    enum Columns {
        static let studentID = Column(CodingKeys.studentID)
        static let assignmentID = Column(CodingKeys.assignmentID)
        static let submissionID = Column(CodingKeys.submissionID)
        static let points = Column(CodingKeys.points)
        static let maxPoints = Column(CodingKeys.maxPoints)
        static let updatedAt = Column(CodingKeys.updatedAt)
    }
}

/// A row of `check_scores`: one check's points in one submission, with its cases counted.
struct CheckScoreRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "check_scores"
    var submissionID: Int64
    var taskID: String
    var checkID: String
    var points: Double
    var maxPoints: Double
    var cases: Int
    var passed: Int
    var verdicts: String

    enum CodingKeys: String, CodingKey {
        case points, cases, passed, verdicts
        case submissionID = "submission_id", taskID = "task_id", checkID = "check_id", maxPoints = "max_points"
    }

    enum Columns {
        static let submissionID = Column(CodingKeys.submissionID)
    }
}

/// A row of `manual_marks`: one student's mark for one manual item of an assignment's rubric.
struct ManualMarkRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "manual_marks"
    var studentID: String
    var assignmentID: String
    var itemID: String
    var points: Double
    var reason: String
    var updatedAt: Date
    var comment: String?

    enum CodingKeys: String, CodingKey {
        case points, reason, comment
        case studentID = "student_id", assignmentID = "assignment_id", itemID = "item_id", updatedAt = "updated_at"
    }

    enum Columns {
        static let studentID = Column(CodingKeys.studentID)
        static let assignmentID = Column(CodingKeys.assignmentID)
        static let itemID = Column(CodingKeys.itemID)
    }
}

/// A row of `overrides`: a grade set by hand for a practical, the quiz or the final grade.
struct OverrideRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "overrides"
    var studentID: String
    var target: String
    var grade: Double
    var reason: String
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case target, grade, reason
        case studentID = "student_id", updatedAt = "updated_at"
    }

    enum Columns {
        static let studentID = Column(CodingKeys.studentID)
        static let target = Column(CodingKeys.target)
    }
}

/// A row of `extensions`: extra calendar days one student has for one assignment.
struct ExtensionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "extensions"
    var studentID: String
    var assignmentID: String
    var days: Int
    var reason: String
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case days, reason
        case studentID = "student_id", assignmentID = "assignment_id", updatedAt = "updated_at"
    }

    enum Columns {
        static let studentID = Column(CodingKeys.studentID)
        static let assignmentID = Column(CodingKeys.assignmentID)
    }
}

/// A row of `trusted_times`: when one student handed in one assignment, by a source they cannot write.
struct TrustedTimeRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "trusted_times"
    var studentID: String
    var assignmentID: String
    var submittedAt: Date
    var source: String
    var importedAt: Date

    enum CodingKeys: String, CodingKey {
        case source
        case studentID = "student_id", assignmentID = "assignment_id", submittedAt = "submitted_at", importedAt = "imported_at"
    }

    enum Columns {
        static let studentID = Column(CodingKeys.studentID)
        static let assignmentID = Column(CodingKeys.assignmentID)
    }
}

/// A row of `quiz_responses`: one student's answer to one question, as written (`B`, `A;C`, empty).
struct QuizResponseRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "quiz_responses"
    var studentID: String
    var questionID: String
    var answer: String
    var importedAt: Date

    enum CodingKeys: String, CodingKey {
        case answer
        case studentID = "student_id", questionID = "question_id", importedAt = "imported_at"
    }

    enum Columns {
        static let studentID = Column(CodingKeys.studentID)
        static let questionID = Column(CodingKeys.questionID)
    }
}

/// A row of `audit_log`: one change made by hand.
struct AuditLogRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "audit_log"
    var id: Int64?
    var at: Date
    var actor: String
    var action: String
    var studentID: String?
    var target: String?
    var item: String?
    var oldValue: String?
    var newValue: String?
    var reason: String

    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, target, item, reason
        case studentID = "student_id", oldValue = "old_value", newValue = "new_value"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let studentID = Column(CodingKeys.studentID)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `grader_faults`: the grader failed on a submission in a run, and recorded nothing else for it.
struct FaultRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "grader_faults"
    var id: Int64?
    var runID: Int64
    var studentID: String
    var assignmentID: String
    var message: String
    var at: Date

    enum CodingKeys: String, CodingKey {
        case id, message, at
        case runID = "run_id", studentID = "student_id", assignmentID = "assignment_id"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
