import Foundation
import GRDB
import Outcomes

/// The last graded submission of a student, with what identifies what was graded.
///
/// A grader compares its source, spec and grader digests with the current ones to skip a
/// submission whose grade could not change.
public struct StoredSubmission: Sendable, Hashable {
    /// The submission row's id.
    public var submissionID: Int64
    /// The student.
    public var studentID: String
    /// The digest of the sources graded.
    public var sourceHash: String
    /// The digest of the spec and rubric of its run.
    public var specHash: String
    /// The grader version of its run.
    public var graderVersion: String
    /// Its status.
    public var status: SubmissionStatus
    /// Automatic points earned.
    public var points: Double
    /// Automatic points available.
    public var maxPoints: Double
    /// When it was graded.
    public var gradedAt: Date
}

/// A student's current grade for an assignment: the one from the latest graded submission.
public struct CurrentGrade: Sendable, Hashable {
    /// The student.
    public var studentID: String
    /// The student's name, when known.
    public var name: String?
    /// Points earned.
    public var points: Double
    /// Points available.
    public var maxPoints: Double
    /// The status of the submission the grade comes from.
    public var status: SubmissionStatus
    /// The submission the grade comes from.
    public var submissionID: Int64
    /// When the student submitted, when known.
    public var submittedAt: Date?
    /// Where `submittedAt` came from.
    public var submittedAtSource: SubmissionTimeSource?
}

/// One grading run of an assignment's history.
public struct RunSummary: Sendable, Hashable {
    /// The run's id.
    public var id: Int64
    /// The grader version.
    public var graderVersion: String
    /// The spec digest.
    public var specHash: String
    /// A whole assignment or one student.
    public var mode: GradingMode
    /// When it started.
    public var startedAt: Date
    /// When it finished; nil for a run that was interrupted or is still going.
    public var finishedAt: Date?
    /// How many submissions it recorded, counted when it finished.
    public var submissionsGraded: Int
}

/// A recorded report mark.
public struct ManualMark: Sendable, Hashable {
    /// The student.
    public var studentID: String
    /// The assignment.
    public var assignmentID: String
    /// The rubric's manual item.
    public var itemID: String
    /// The points given.
    public var points: Double
    /// Why (or where the mark came from).
    public var reason: String
    /// When it was last set.
    public var updatedAt: Date
    /// The marker's comment for the student (a marks file's `comment`), when there is one.
    public var comment: String? = nil
}

/// A grade set by hand in place of the computed one.
public struct GradeOverride: Sendable, Hashable {
    /// The student.
    public var studentID: String
    /// What is overridden: a practical id, "quiz" or "final".
    public var target: String
    /// The grade, on the course scale.
    public var grade: Double
    /// Why.
    public var reason: String
    /// When it was last set.
    public var updatedAt: Date
}

/// Extra days a student was given for an assignment.
public struct Extension: Sendable, Hashable {
    /// The student.
    public var studentID: String
    /// The assignment.
    public var assignmentID: String
    /// The extra days.
    public var days: Int
    /// Why.
    public var reason: String
    /// When it was last set.
    public var updatedAt: Date
}

/// One change made by hand, as the audit log keeps it.
public struct AuditEntry: Sendable, Hashable {
    /// The entry's id (the log's order).
    public var id: Int64
    /// When.
    public var at: Date
    /// Who: the system user who ran the command.
    public var actor: String
    /// What: mark-set, mark-import, override-set, override-clear, extension-set, extension-clear or quiz-import.
    public var action: String
    /// The student.
    public var studentID: String?
    /// The assignment, "quiz" or "final".
    public var target: String?
    /// The rubric item of a mark.
    public var item: String?
    /// The value before, nil when there was none.
    public var oldValue: String?
    /// The value after, nil when removed.
    public var newValue: String?
    /// Why.
    public var reason: String
}

/// When a student handed in an assignment, by a source they cannot write (the course site's record).
public struct TrustedTime: Sendable, Hashable {
    /// The student.
    public var studentID: String
    /// The assignment.
    public var assignmentID: String
    /// When the work was handed in.
    public var submittedAt: Date
    /// Where the time comes from (`SubmissionTimeSource`'s raw value, such as `moodle-worksheet`).
    public var source: String
    /// When it was imported.
    public var importedAt: Date

    /// A trusted time.
    public init(studentID: String, assignmentID: String, submittedAt: Date, source: String, importedAt: Date) {
        self.studentID = studentID
        self.assignmentID = assignmentID
        self.submittedAt = submittedAt
        self.source = source
        self.importedAt = importedAt
    }
}

/// A student's current grade for an assignment with what it was recorded with.
public struct RecordedGrade: Sendable, Hashable {
    /// The student.
    public var studentID: String
    /// The student's name, when known.
    public var name: String?
    /// The submission the grade comes from.
    public var submissionID: Int64
    /// Its status.
    public var status: SubmissionStatus
    /// Automatic points earned.
    public var points: Double
    /// Automatic points available.
    public var maxPoints: Double
    /// When it was graded.
    public var gradedAt: Date
    /// The grader's whole report, encoded; nil when recorded before reports were kept.
    public var report: String?
    /// The feedback text written when it was graded.
    public var feedback: String
    /// When the student submitted, by the submission folder (the trusted time, if any, is recorded apart).
    public var submittedAt: Date?
    /// Where `submittedAt` came from.
    public var submittedAtSource: SubmissionTimeSource?
}

/// The grader's fault on one submission: nothing was recorded, the previous grade stands.
public struct GraderFaultRecord: Sendable, Hashable {
    /// The student.
    public var studentID: String
    /// What the grader could not do.
    public var message: String
    /// When.
    public var at: Date
    /// The run it happened in.
    public var runID: Int64
}

// Rows of the gradebook's joined queries, read by column name (the queries name their columns so).

extension StoredSubmission: FetchableRecord, Decodable {
    enum CodingKeys: String, CodingKey {
        case status, points
        case submissionID = "submission_id", studentID = "student_id", sourceHash = "source_hash", specHash = "spec_hash",
             graderVersion = "grader_version", maxPoints = "max_points", gradedAt = "graded_at"
    }
}

extension CurrentGrade: FetchableRecord, Decodable {
    enum CodingKeys: String, CodingKey {
        case name, points, status
        case studentID = "student_id", maxPoints = "max_points", submissionID = "submission_id", submittedAt = "submitted_at",
             submittedAtSource = "submitted_at_source"
    }
}

extension RecordedGrade: FetchableRecord, Decodable {
    enum CodingKeys: String, CodingKey {
        case name, status, points, report, feedback
        case studentID = "student_id", submissionID = "submission_id", maxPoints = "max_points", gradedAt = "graded_at",
             submittedAt = "submitted_at", submittedAtSource = "submitted_at_source"
    }
}

extension GraderFaultRecord: FetchableRecord, Decodable {
    enum CodingKeys: String, CodingKey {
        case message, at
        case studentID = "student_id", runID = "run_id"
    }
}
