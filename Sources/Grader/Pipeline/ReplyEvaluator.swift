import CourseKit
import Figures
import Foundation
import Outcomes
import SafeText
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
/// check a returned model against the contract's bounds (beyond them, a protocol error) and the structure against
/// what the call must return, then judge.
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
        if let problem = Self.nameProblem(reply.answer) {
            return CaseVerdict(verdict: .protocolError, message: problem, credit: 0)
        }
        if case let .toolkitFault(reason) = reply.answer {
            // A reply cannot declare the grader's fault: the grader decides from what it can see of the files the call reads.
            if let problem = Self.unreadableFile(prepared.temporaryFiles) {
                return CaseVerdict(verdict: .graderError, message: "the submission toolkit could not prepare the call in the sandbox (\(problem)): "
                                   + SafeText.escapedLine(SafeText.bounded(reason, limit: 300)), credit: 0)
            }
            return CaseVerdict(verdict: .protocolError,
                               message: "the reply says the toolkit could not prepare the call (\(SafeText.escapedLine(SafeText.bounded(reason, limit: 200)))), "
                                   + "but every file the call reads is in place and readable: a reply cannot declare the grader's fault "
                                   + "(serve the solution with the toolkit's own entry point)", credit: 0)
        }
        if let problem = driver.boundsProblem(reply.answer, for: prepared) {
            return CaseVerdict(verdict: .protocolError, message: problem, credit: 0)
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
        let verdict: Verdict = judgement.passed ? .accepted : judgement.exceededBudget ? .cpuLimit : judgement.breaksContract ? .protocolError : .wrongAnswer
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

    /// Why one of `files` (the data a call reads, which the grader wrote into the folder it binds into the
    /// sandbox) could not be read there, as the grader sees it: missing, not a regular file, or closed to
    /// the sandbox's unprivileged user (the file, or the folder holding it); nil when all can be read.
    static func unreadableFile(_ files: [URL]) -> String? {
        for file in files {
            var info = stat()
            guard lstat(file.path, &info) == 0 else { return "\(file.lastPathComponent) is missing" }
            guard info.st_mode & S_IFMT == S_IFREG else { return "\(file.lastPathComponent) is not a regular file" }
            guard info.st_mode & S_IROTH != 0 else { return "\(file.lastPathComponent) is not readable by others" }
            let folder = file.deletingLastPathComponent()
            guard stat(folder.path, &info) == 0, info.st_mode & S_IXOTH != 0 else { return "the folder of \(file.lastPathComponent) is closed to others" }
        }
        return nil
    }

    /// The most characters a part's name may have: every name the course's answers use ("∂L/∂W", "generator",
    /// "block 2 ∂L/∂W") is far shorter, and messages quote names whole.
    static var maximumNameLength: Int { 64 }

    /// Why the names of `answer`'s parts cannot be quoted in a message, or nil: a name longer than
    /// `maximumNameLength`, at any depth.
    static func nameProblem(_ answer: Answer) -> String? {
        guard case let .fields(fields) = answer else { return nil }
        for field in fields {
            let length = field.name.unicodeScalars.count
            if length > maximumNameLength {
                return "a part of your answer has a name of \(length) characters (\(SafeText.escapedLine(SafeText.bounded(field.name, limit: 40)))); "
                    + "parts are named as the course names them, in at most \(maximumNameLength) characters"
            }
            if let problem = nameProblem(field.value) { return problem }
        }
        return nil
    }
}
