import CourseKit
import Foundation
import SubmissionRuntime

/// A case ready to send: the call, what the grader knows about its problem, and how to describe it.
public struct PreparedCase<Call: Codable & Sendable>: Sendable {
    /// The call to make in the submission.
    public var call: Call
    /// Facts about the problem (μ, L, minimiser) that convergence checks use.
    public var facts: ProblemFacts
    /// The inputs in words, shown to the student for public cases only.
    public var inputs: String
    /// Held-out data a training check evaluates the returned model on (never sent to the submission).
    public var heldOut: DigitSet?
    /// Files written for this case only, removed once it is judged.
    public var temporaryFiles: [URL] = []

    /// Creates a prepared case.
    public init(call: Call, facts: ProblemFacts = ProblemFacts(), inputs: String, heldOut: DigitSet? = nil, temporaryFiles: [URL] = []) {
        self.call = call
        self.facts = facts
        self.inputs = inputs
        self.heldOut = heldOut
        self.temporaryFiles = temporaryFiles
    }
}

/// Where a driver finds course data and may write files a submission reads.
public struct DriverContext: Sendable {
    /// The course, for its data sets; nil when none is needed.
    public var course: CourseLayout?
    /// A folder the grader writes case data to, visible read-only inside the sandbox.
    public var dataFolder: URL?

    /// Creates a context.
    public init(course: CourseLayout? = nil, dataFolder: URL? = nil) {
        self.course = course
        self.dataFolder = dataFolder
    }
}

/// Everything the grading pipeline needs to know about one practical: its calls, how to generate
/// their cases, the reference answers and how each check kind judges an answer.
public protocol PracticalDriver: Sendable {
    /// The wire type of this practical's calls.
    associatedtype Call: Codable & Sendable

    /// The CourseKit protocol a submission implements, as specs name it in `protocol:`.
    static var protocolName: String { get }
    /// Each callable requirement with the check kinds that may judge it.
    static var calls: [String: Set<CheckKind>] { get }
    /// Each callable requirement with the problem families its recipes may name.
    static var problems: [String: Set<String>] { get }

    /// Creates the driver.
    init(context: DriverContext)

    /// A folder of case data the submission reads (bound read-only into its sandbox), if the practical has one.
    var sandboxData: URL? { get }

    /// Draws the case for `recipe` of `check`, with `seed`; `privateSeed`, when grading with the instructor
    /// secret, is a seed of the student's that nobody else can know (for data transformed per student).
    func prepareCase(for check: CheckSpec, recipe: CaseRecipe, seed: UInt64, privateSeed: UInt64?) throws -> PreparedCase<Call>
    /// Lets go of what preparing `prepared` left behind (data files), once its case is judged.
    func release(_ prepared: PreparedCase<Call>)
    /// The reference engine's answer.
    func referenceAnswer(to call: Call) -> Answer
    /// Judges the student's `answer` for `check`; only called on answers whose structure `shapeProblem` accepted.
    /// `cpuSeconds` is the CPU time the call used, when the sandbox measured it.
    func judge(_ answer: Answer, reference: Answer, for prepared: PreparedCase<Call>, check: CheckSpec,
               tolerance: Tolerance, disclosure: Disclosure, cpuSeconds: Double?) -> Judgement
    /// The most a correct answer to `call` can hold, which bounds the reply the grader reads.
    func replyBudget(for call: Call) -> ReplyBudget
    /// Why `answer` cannot be judged (the wrong kind of value, a dimension or shape that is not the call's), or nil.
    func shapeProblem(_ answer: Answer, for prepared: PreparedCase<Call>, reference: Answer) -> String?
    /// Checks that the course data `spec`'s cases need can be read, before anyone is graded.
    func preflight(_ spec: AssignmentSpec) throws
}

extension PracticalDriver {
    /// No case data by default.
    public var sandboxData: URL? { nil }

    /// The structure of the reference's answer.
    public func shapeProblem(_ answer: Answer, for prepared: PreparedCase<Call>, reference: Answer) -> String? {
        ReplyShape.problem(answer, against: reference)
    }

    /// Nothing to check by default.
    public func preflight(_ spec: AssignmentSpec) throws {}

    /// Nothing to let go of by default.
    public func release(_ prepared: PreparedCase<Call>) {}

    /// The case for `recipe` with only public seeds (a student's self-check, rehearsals, tests).
    public func prepareCase(for check: CheckSpec, recipe: CaseRecipe, seed: UInt64) throws -> PreparedCase<Call> {
        try prepareCase(for: check, recipe: recipe, seed: seed, privateSeed: nil)
    }

    /// Judges without a measured CPU time.
    public func judge(_ answer: Answer, reference: Answer, for prepared: PreparedCase<Call>, check: CheckSpec,
                      tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
        judge(answer, reference: reference, for: prepared, check: check, tolerance: tolerance, disclosure: disclosure, cpuSeconds: nil)
    }

    /// Problems in `spec` that only this driver can see: unknown calls, kinds a call does not support,
    /// problem families a call cannot use, and a protocol name that is not this practical's.
    public static func validate(_ spec: AssignmentSpec) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if spec.protocolName != protocolName {
            problems.append(Diagnostic(severity: .error, location: spec.location,
                                       message: "protocol '\(spec.protocolName)' is not '\(protocolName)', the protocol this practical is graded with"))
        }
        for (_, check) in spec.allChecks {
            guard let kinds = calls[check.call] else {
                problems.append(Diagnostic(severity: .error, location: check.callLocation,
                                           message: "check '\(check.id)' calls '\(check.call)', which \(protocolName) does not have; known calls: \(calls.keys.sorted().joined(separator: ", "))"))
                continue
            }
            if !kinds.contains(check.kind) {
                problems.append(Diagnostic(severity: .error, location: check.location,
                                           message: "check '\(check.id)': a \(check.kind.rawValue) check cannot judge '\(check.call)'; use one of \(kinds.map(\.rawValue).sorted().joined(separator: ", "))"))
            }
            let allowed = self.problems[check.call] ?? []
            for recipe in check.publicCases + (check.hidden?.recipes ?? []) where !allowed.contains(recipe.problem) {
                problems.append(Diagnostic(severity: .error, location: recipe.location,
                                           message: "problem '\(recipe.problem)' cannot be used with '\(check.call)'; use one of \(allowed.sorted().joined(separator: ", "))"))
            }
        }
        return problems
    }
}
