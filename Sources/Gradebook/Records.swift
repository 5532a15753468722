import Foundation
import GRDB

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
    }
}

/// A row of `grading_runs`.
struct GradingRunRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "grading_runs"
    var id: Int64?
    var assignmentID: String
    var graderVersion: String
    var specHash: String
    var mode: String
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
        static let startedAt = Column(CodingKeys.startedAt)
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
    var status: String
    var points: Double
    var maxPoints: Double
    var feedback: String
    var gradedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, status, points, feedback
        case runID = "run_id", studentID = "student_id", assignmentID = "assignment_id", sourceHash = "source_hash"
        case submittedAt = "submitted_at", maxPoints = "max_points", gradedAt = "graded_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let runID = Column(CodingKeys.runID)
        static let studentID = Column(CodingKeys.studentID)
        static let assignmentID = Column(CodingKeys.assignmentID)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `task_scores`.
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
    }
}

/// A row of `case_results`.
struct CaseResultRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "case_results"
    var submissionID: Int64
    var checkID: String
    var caseLabel: String
    var isHidden: Bool
    var verdict: String
    var points: Double
    var maxPoints: Double
    var message: String
    var durationSeconds: Double

    enum CodingKeys: String, CodingKey {
        case verdict, points, message
        case submissionID = "submission_id", checkID = "check_id", caseLabel = "case_label", isHidden = "is_hidden"
        case maxPoints = "max_points", durationSeconds = "duration_seconds"
    }

    enum Columns {
        static let submissionID = Column(CodingKeys.submissionID)
    }
}

/// A row of `grades`: the current grade of a student for an assignment.
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
    }
}
