import Figures
import Foundation
import Outcomes

/// One case's result.
public struct CaseReport: Sendable, Codable {
    /// "public 1" or "hidden 3".
    public var label: String
    /// Whether the case is hidden (its inputs and expected values are not shown).
    public var isHidden: Bool
    /// The verdict.
    public var verdict: Verdict
    /// What to fix; empty when accepted.
    public var message: String
    /// The inputs in words (public cases only).
    public var inputs: String?
    /// Wall time of the call, in seconds.
    public var durationSeconds: Double
    /// The fraction of the case's credit earned (1 if accepted; a training case may earn part).
    public var credit: Double = 0
    /// The figure the check measured, where it has one (a training case's held-out accuracy).
    public var measurement: Double? = nil
    /// The points this case earned, by the rubric's rule (`CreditRule.casePoints`); set when its check is scored.
    public var points: Double = 0
    /// The points this case is worth: its check's points over its number of cases.
    public var maxPoints: Double = 0
    /// What the case shows in pictures (public cases only).
    public var figures: [Figure] = []
}

/// One check's results and points.
public struct CheckReport: Sendable, Codable {
    /// The task the check belongs to.
    public var taskID: String
    /// The check.
    public var checkID: String
    /// The check's title, or its id.
    public var title: String
    /// The check kind.
    public var kind: CheckKind
    /// Points earned.
    public var points: Double
    /// Points available.
    public var maxPoints: Double
    /// Every case, public first.
    public var cases: [CaseReport]

    /// How many cases passed.
    public var passedCount: Int { cases.filter { $0.verdict.isAccepted }.count }

    /// The cases in words: "5/6 cases", or with part credit "0/2 cases passed, 2 with part of their credit".
    public var casesSummary: String {
        let partial = cases.filter { !$0.verdict.isAccepted && $0.credit > 0 }.count
        guard partial > 0 else { return "\(passedCount)/\(cases.count) cases" }
        return "\(passedCount)/\(cases.count) cases passed, \(partial) with part of \(partial == 1 ? "its" : "their") credit"
    }

    /// The cases the grader could not run through its own fault.
    public var graderErrors: [CaseReport] { cases.filter { $0.verdict == .graderError } }
}

/// One task's points.
public struct TaskReport: Sendable, Codable {
    /// The task.
    public var taskID: String
    /// Its title.
    public var title: String
    /// Points earned.
    public var points: Double
    /// Points available.
    public var maxPoints: Double
}

/// The whole result of grading one submission.
public struct SubmissionReport: Sendable {
    /// The folder and what its metadata says.
    public var folder: SubmissionFolder
    /// The digest of the sources graded.
    public var sourceHash: String
    /// The overall status.
    public var status: SubmissionStatus
    /// The compiler's messages, when the build failed.
    public var buildMessage: String?
    /// Per-check results.
    public var checks: [CheckReport]
    /// Per-task points.
    public var tasks: [TaskReport]
    /// Automatic points earned.
    public var points: Double
    /// Automatic points available.
    public var maxPoints: Double
    /// Wall time of building and running, in seconds.
    public var durationSeconds: Double
    /// Whether hidden cases were run.
    public var includesHidden: Bool

    /// What the grader could not do, when the status is `.graderError`: the first such case's message, or the build's.
    public var graderFault: String? {
        guard status == .graderError else { return nil }
        return checks.lazy.flatMap(\.graderErrors).first(where: { !$0.message.hasPrefix("not run: ") })?.message
            ?? buildMessage ?? checks.lazy.flatMap(\.graderErrors).first?.message
    }
}
