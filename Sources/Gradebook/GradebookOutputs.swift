import Foundation

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
    /// Its status, such as "graded" or "compile-error".
    public var status: String
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
    public var status: String
    /// The submission the grade comes from.
    public var submissionID: Int64
}

/// One grading run of an assignment's history.
public struct RunSummary: Sendable, Hashable {
    /// The run's id.
    public var id: Int64
    /// The grader version.
    public var graderVersion: String
    /// The spec digest.
    public var specHash: String
    /// "full" or "student".
    public var mode: String
    /// When it started.
    public var startedAt: Date
    /// When it finished; nil for a run that was interrupted or is still going.
    public var finishedAt: Date?
    /// How many submissions it recorded, counted when it finished.
    public var submissionsGraded: Int
}
