import CourseKit
import Figures
import Foundation
import Outcomes
import SubmissionRuntime

/// What a case's reply earned: its verdict, the message for the student and the fraction of its credit.
public struct CaseVerdict: Sendable, Equatable {
    /// The verdict.
    public var verdict: Verdict
    /// What to fix; empty or a short note when accepted.
    public var message: String
    /// The fraction of the case's credit earned.
    public var credit: Double
    /// The figure the check measured, where it has one (a training case's held-out accuracy).
    public var measurement: Double? = nil
    /// What the case shows in pictures (public cases with a well-formed answer, where the practical draws one).
    public var figures: [Figure] = []
}

/// The whole path from a submission's raw reply to a verdict: bound its size, decode, match the request,
/// check the structure against what the call must return, then judge.
///
/// Every step before judging treats the reply as hostile: decoding holds every value to CourseKit's
/// invariants, and the structure check runs before any arithmetic, so no reply can make the grader trap.
public struct ReplyEvaluator<Driver: PracticalDriver>: Sendable {
    /// The practical's driver.
    public let driver: Driver

    /// An evaluator for `driver`'s calls.
    public init(driver: Driver) { self.driver = driver }

    /// The verdict for `payload`, the reply to request `requestID` about `prepared`, which used `cpuSeconds` of CPU time when
    /// measured, on a machine `slowdown` times slower than the course's reference (`MachineBudget`).
    public func evaluate(_ payload: Data, requestID: UInt64, prepared: PreparedCase<Driver.Call>, reference: Answer,
                         check: CheckSpec, tolerance: Tolerance, disclosure: Disclosure, cpuSeconds: Double? = nil, slowdown: Double = 1) -> CaseVerdict {
        if let problem = driver.replyBudget(for: prepared.call).problem(with: payload) {
            return CaseVerdict(verdict: .protocolError, message: problem, credit: 0)
        }
        let reply: Reply
        do { reply = try WireFormat.decoder().decode(Reply.self, from: payload) } catch {
            return CaseVerdict(verdict: .protocolError, message: "your answer could not be read: \(Self.describe(error))", credit: 0)
        }
        guard reply.id == requestID else {
            return CaseVerdict(verdict: .protocolError, message: "the reply answers request \(reply.id), not \(requestID)", credit: 0)
        }
        if case let .toolkitFault(reason) = reply.answer {
            return CaseVerdict(verdict: .graderError, message: "the submission toolkit could not prepare the call in the sandbox: \(reason.prefix(300))", credit: 0)
        }
        if let problem = driver.shapeProblem(reply.answer, for: prepared, reference: reference) {
            return CaseVerdict(verdict: .wrongAnswer, message: problem, credit: 0)
        }
        let judgement = driver.judge(reply.answer, reference: reference, for: prepared, check: check, tolerance: tolerance, disclosure: disclosure,
                                     cpuSeconds: cpuSeconds, slowdown: slowdown)
        if judgement.isGraderFault {
            return CaseVerdict(verdict: .graderError, message: "the grader cannot judge this case: \(judgement.message)", credit: 0)
        }
        let figures = disclosure == .full ? Driver.Rules.figures(for: prepared.call, answer: reply.answer, reference: reference) + judgement.figures : []
        let verdict: Verdict = judgement.passed ? .accepted : judgement.exceededBudget ? .cpuLimit : .wrongAnswer
        return CaseVerdict(verdict: verdict, message: judgement.message, credit: judgement.credit,
                           measurement: judgement.measurement, figures: figures)
    }

    /// A decoding error in words, with where in the answer it happened: "at gradients[1].weights: a 3×4 matrix needs 12 entries in storage, not 0".
    static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "the reply is not valid" }
        let (context, what): (DecodingError.Context, String) = switch error {
        case let .dataCorrupted(context): (context, context.debugDescription)
        case let .keyNotFound(key, context): (context, "'\(key.stringValue)' is missing")
        case let .typeMismatch(type, context): (context, "expected \(type)")
        case let .valueNotFound(type, context): (context, "expected \(type), found null")
        @unknown default: (DecodingError.Context(codingPath: [], debugDescription: ""), "the reply is not valid")
        }
        let path = context.codingPath.compactMap { key -> String? in
            if let index = key.intValue { return "[\(index)]" }
            return key.stringValue.hasPrefix("_") || key.stringValue == "answer" ? nil : "." + key.stringValue
        }.joined()
        let place = path.hasPrefix(".") ? String(path.dropFirst()) : path
        let reason = context.codingPath.isEmpty && what.contains("JSON") ? "the reply is not valid JSON" : what
        return (place.isEmpty ? "" : "at \(place): ") + String(reason.prefix(300))
    }
}
