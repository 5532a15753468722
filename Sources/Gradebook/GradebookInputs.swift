import Foundation
import Outcomes

/// What a grading run is, as recorded in the run history.
public struct GradingRunInfo: Sendable {
    /// The assignment graded.
    public var assignmentID: String
    /// Its title.
    public var assignmentTitle: String
    /// `GraderVersion.current` at the time of the run.
    public var graderVersion: String
    /// The digest of the spec and rubric files.
    public var specHash: String
    /// When the run started.
    public var startedAt: Date
    /// A whole assignment (`.full`) or one student (`.student`).
    public var mode: GradingMode

    /// Creates a run description.
    public init(assignmentID: String, assignmentTitle: String, graderVersion: String, specHash: String, startedAt: Date, mode: GradingMode) {
        self.assignmentID = assignmentID
        self.assignmentTitle = assignmentTitle
        self.graderVersion = graderVersion
        self.specHash = specHash
        self.startedAt = startedAt
        self.mode = mode
    }
}

/// One task's points in a graded submission.
public struct TaskScore: Sendable, Hashable {
    /// The task.
    public var taskID: String
    /// Points earned.
    public var points: Double
    /// Points available.
    public var maxPoints: Double

    /// Creates a task score.
    public init(taskID: String, points: Double, maxPoints: Double) {
        self.taskID = taskID
        self.points = points
        self.maxPoints = maxPoints
    }
}

/// One check's result in a graded submission.
public struct CheckScore: Sendable, Hashable {
    /// The task the check belongs to.
    public var taskID: String
    /// The check.
    public var checkID: String
    /// Points earned.
    public var points: Double
    /// Points available.
    public var maxPoints: Double
    /// How many cases ran.
    public var cases: Int
    /// How many were accepted.
    public var passed: Int
    /// The verdicts that were not "accepted", counted: "wrong-answer ×2, time-limit ×1"; empty when all passed.
    public var verdicts: String

    /// Creates a check score.
    public init(taskID: String, checkID: String, points: Double, maxPoints: Double, cases: Int, passed: Int, verdicts: String) {
        self.taskID = taskID
        self.checkID = checkID
        self.points = points
        self.maxPoints = maxPoints
        self.cases = cases
        self.passed = passed
        self.verdicts = verdicts
    }
}

/// One case's result in a graded submission.
public struct CaseResult: Sendable, Hashable {
    /// The check the case belongs to.
    public var checkID: String
    /// "public 1", "hidden 3", …
    public var caseLabel: String
    /// Whether the case is hidden.
    public var isHidden: Bool
    /// The verdict, stored as its raw value ("accepted", "wrong-answer", …).
    public var verdict: Verdict
    /// Points earned by this case.
    public var points: Double
    /// Points this case is worth.
    public var maxPoints: Double
    /// The feedback message.
    public var message: String
    /// Wall time, in seconds.
    public var durationSeconds: Double

    /// Creates a case result.
    public init(checkID: String, caseLabel: String, isHidden: Bool, verdict: Verdict, points: Double, maxPoints: Double,
                message: String, durationSeconds: Double) {
        self.checkID = checkID
        self.caseLabel = caseLabel
        self.isHidden = isHidden
        self.verdict = verdict
        self.points = points
        self.maxPoints = maxPoints
        self.message = message
        self.durationSeconds = durationSeconds
    }
}

/// Everything recorded about one graded submission, written in one transaction.
public struct GradedSubmission: Sendable {
    /// The student (the folder name).
    public var studentID: String
    /// The student's name, when known.
    public var studentName: String?
    /// The student's email, when known.
    public var studentEmail: String?
    /// The assignment.
    public var assignmentID: String
    /// The digest of the sources graded.
    public var sourceHash: String
    /// When the student submitted, when known.
    public var submittedAt: Date?
    /// The submission's status, stored as its raw value ("graded", "compile-error", …).
    public var status: SubmissionStatus
    /// Automatic points earned.
    public var points: Double
    /// Automatic points available.
    public var maxPoints: Double
    /// Per-task points.
    public var tasks: [TaskScore]
    /// Per-case results.
    public var cases: [CaseResult]
    /// The feedback text given to the student.
    public var feedback: String
    /// Where `submittedAt` came from; nil when unknown.
    public var submittedAtSource: SubmissionTimeSource?
    /// Per-check points.
    public var checks: [CheckScore]
    /// The whole report as the grader encoded it (JSON), which feedback is written from again without regrading.
    public var report: String?

    /// Creates a graded submission.
    public init(studentID: String, studentName: String?, studentEmail: String?, assignmentID: String, sourceHash: String,
                submittedAt: Date?, status: SubmissionStatus, points: Double, maxPoints: Double, tasks: [TaskScore], cases: [CaseResult],
                feedback: String, submittedAtSource: SubmissionTimeSource? = nil, checks: [CheckScore] = [], report: String? = nil) {
        self.report = report
        self.submittedAtSource = submittedAtSource
        self.checks = checks
        self.studentID = studentID
        self.studentName = studentName
        self.studentEmail = studentEmail
        self.assignmentID = assignmentID
        self.sourceHash = sourceHash
        self.submittedAt = submittedAt
        self.status = status
        self.points = points
        self.maxPoints = maxPoints
        self.tasks = tasks
        self.cases = cases
        self.feedback = feedback
    }
}

/// One report mark to record.
public struct ManualMarkInput: Sendable, Hashable {
    /// The student.
    public var studentID: String
    /// The rubric's manual item, such as `report`.
    public var itemID: String
    /// The points given.
    public var points: Double
    /// Why this mark, when it has a reason of its own (such as a marker's comment); else the batch's reason.
    public var reason: String?
    /// The marker's comment for the student, shown on their feedback; nil keeps the comment recorded.
    public var comment: String?

    /// Creates a mark.
    public init(studentID: String, itemID: String, points: Double, reason: String? = nil, comment: String? = nil) {
        self.studentID = studentID
        self.itemID = itemID
        self.points = points
        self.reason = reason
        self.comment = comment
    }
}

/// One student's quiz answers to record: question id → the answer as written (`B`, `A;C`, or empty).
public struct QuizResponseInput: Sendable, Hashable {
    /// The student.
    public var studentID: String
    /// The answers.
    public var answers: [String: String]

    /// Creates a response sheet.
    public init(studentID: String, answers: [String: String]) {
        self.studentID = studentID
        self.answers = answers
    }
}
