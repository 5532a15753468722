import Figures
import Foundation

/// The result of judging one answer.
public struct Judgement: Sendable, Equatable {
    /// Whether the case passes.
    public var passed: Bool
    /// What the student should know: empty when it passed.
    public var message: String
    /// The fraction of the case's credit earned: 1 when passed, 0 when failed, in between for partial credit.
    public var credit: Double
    /// The figure the check measured, where it has one (a training case's held-out accuracy).
    public var measurement: Double?
    /// Whether the grader, not the answer, is at fault (a case without the evidence its check needs):
    /// the case is a grader error, never a student's result.
    public var isGraderFault = false
    /// What the judge drew of the case (a trained model's confusion matrix), for a public case.
    public var figures: [Figure] = []
    /// Whether the call returned but used more CPU time than its budget allows: the case failed on a
    /// limit (`Verdict.cpuLimit`), as one stopped at its CPU limit does, not on a wrong answer.
    public var exceededBudget = false
    /// Whether the answer is outside what the call's contract accepts, so the grader did not evaluate it (a
    /// returned network larger or costlier than the stated bounds): the case failed on a protocol error
    /// (`Verdict.protocolError`), not on a wrong answer.
    public var breaksContract = false

    /// A judgement; `credit` defaults to 1 when passed and 0 otherwise.
    public init(passed: Bool, message: String, credit: Double? = nil, measurement: Double? = nil) {
        self.passed = passed
        self.message = message
        self.credit = credit ?? (passed ? 1 : 0)
        self.measurement = measurement
    }

    /// A passing judgement.
    public static let pass = Judgement(passed: true, message: "")

    /// A failing judgement with `message`.
    public static func fail(_ message: String) -> Judgement { Judgement(passed: false, message: message) }

    /// The grader's own fault, with what went wrong: no credit and no penalty, the submission is not graded.
    public static func graderFault(_ message: String) -> Judgement {
        var judgement = Judgement(passed: false, message: message)
        judgement.isGraderFault = true
        return judgement
    }
}

/// Whether a failing message may show expected values: for public cases yes, for hidden ones only where and by how much.
public enum Disclosure: Sendable {
    /// Public case: inputs, expected and got are shown.
    case full
    /// Hidden case: the position and size of the error are shown, not the expected values.
    case positionOnly

    /// The end of a message about one wrong value, after its name and position: for a public case
    /// ": expected E, got G (allowed difference A)", for a hidden case ", off by D (allowed A)".
    public func mismatch(expected: String, got: String, offBy: Double, allowed: Double) -> String {
        switch self {
        case .full: return ": expected \(expected), got \(got) (allowed difference \(Feedback.number(allowed)))"
        case .positionOnly: return ", off by \(Feedback.number(offBy)) (allowed \(Feedback.number(allowed)))"
        }
    }

    /// The same, for two numbers.
    public func mismatch(expected: Double, got: Double, allowed: Double) -> String {
        mismatch(expected: Feedback.number(expected), got: Feedback.number(got), offBy: abs(got - expected), allowed: allowed)
    }

    /// `detail` for a public case, nothing for a hidden one: values a hidden case must not reveal.
    public func publicOnly(_ detail: @autoclosure () -> String) -> String {
        self == .full ? detail() : ""
    }
}
