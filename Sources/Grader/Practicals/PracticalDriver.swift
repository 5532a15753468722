import CourseKit
import Foundation
import SubmissionRuntime

/// A case ready to send: the call, the evidence its check's judge needs, and how to describe it.
public struct PreparedCase<Call: Codable & Sendable>: Sendable {
    /// The call to make in the submission.
    public var call: Call
    /// The inputs in words, shown to the student for public cases only.
    public var inputs: String
    /// What the judges of the call's check kinds read (a stopping rule, a trusted gradient, held-out data,
    /// never sent to the submission).
    public var evidence: CaseEvidence
    /// Files written for this case only, removed once it is judged.
    public var temporaryFiles: [URL] = []
    /// The reference's answer, when preparing the case computed it already (otherwise the driver's
    /// `referenceAnswer(to:)` gives it); it must be what `referenceAnswer(to:)` would return.
    public var reference: Answer?

    /// Creates a prepared case.
    public init(call: Call, inputs: String, evidence: [any Sendable] = [], temporaryFiles: [URL] = []) {
        self.call = call
        self.inputs = inputs
        self.evidence = CaseEvidence(evidence)
        self.temporaryFiles = temporaryFiles
    }
}

/// What a call's case preparation is given: the check, the recipe and its seeds.
public struct CaseRequest: Sendable {
    /// The check the case belongs to.
    public var check: CheckSpec
    /// The recipe the case is drawn from.
    public var recipe: CaseRecipe
    /// The case's seed.
    public var seed: UInt64
    /// With the instructor secret, a seed of the student's nobody else can know (for data transformed per student).
    public var privateSeed: UInt64?
}

/// One callable requirement of a practical, declared once: its name as specs spell it in `call:`, the
/// judges of the check kinds that may judge it, the problem families its recipes may name, and how a
/// case of it is drawn.
public struct CallDefinition<Driver: PracticalDriver>: Sendable {
    /// What the practical's rules say of the call: its name, its judges and its problem families.
    public let signature: CallSignature
    /// Draws a case from the recipe's parameters (read through the sampler, which holds the seeded generator).
    public let prepare: @Sendable (Driver, inout RecipeSampler, CaseRequest) throws -> PreparedCase<Driver.Call>

    /// Declares how the call of `signature` is drawn.
    public init(_ signature: CallSignature,
                prepare: @escaping @Sendable (Driver, inout RecipeSampler, CaseRequest) throws -> PreparedCase<Driver.Call>) {
        self.signature = signature
        self.prepare = prepare
    }

    /// The requirement's name.
    public var name: String { signature.name }
    /// The judges that may judge it, one per check kind.
    public var judges: [any CheckJudge.Type] { signature.judges }
    /// The problem families its recipes may name.
    public var problems: Set<String> { signature.problems }

    /// The check kinds that may judge the call.
    public var kinds: Set<CheckKind> { Set(judges.map { $0.kind }) }

    /// The judge of `kind` for this call, if it may judge it.
    public func judge(of kind: CheckKind) -> (any CheckJudge.Type)? { judges.first { $0.kind == kind } }
}

/// The Swift program that serves a practical's calls in a submission process: a generated `@main` and,
/// for a practical whose wire types are not in the submission toolkit, their sources.
public struct SubmissionEntryPoint: Sendable {
    /// The source of the file holding `@main`.
    public let source: String
    /// Further sources compiled with every submission, by file name.
    public let supportFiles: [String: String]

    /// An entry point with `source` and `supportFiles`.
    public init(source: String, supportFiles: [String: String] = [:]) {
        self.source = source
        self.supportFiles = supportFiles
    }

    /// The entry point that answers calls of the toolkit's wire type `call` with the student's `Solution()`.
    public static func serving<Call: ServedCall>(_ call: Call.Type) -> SubmissionEntryPoint {
        // Module selectors (`Module::name`) name the toolkit's declarations whatever a submission declares: not its
        // own `serve` overload (an unqualified call would pick a more specific overload of theirs), not a type of
        // the call type's name, and not a type named `SubmissionRuntime` (which would shadow the module in `A.b`).
        let qualified = String(reflecting: call)
        let selected = qualified.firstIndex(of: ".").map { qualified[..<$0] + "::" + qualified[qualified.index(after: $0)...] } ?? qualified
        return SubmissionEntryPoint(source: "import SubmissionRuntime\n@main enum GradeEntryPoint { static func main() { SubmissionRuntime::serve(\(selected).self, Solution()) } }\n")
    }
}

/// Where a driver finds course data and may write files a submission reads.
public struct DriverContext: Sendable {
    /// The course, for its data sets; nil when none is needed.
    public var course: CourseLayout?
    /// A folder the grader writes case data to, visible read-only inside the sandbox.
    public var dataFolder: URL?
    /// The assignment whose cases are drawn, when the driver serves one only (stored cases are per assignment).
    public var assignment: String?

    /// Creates a context.
    public init(course: CourseLayout? = nil, dataFolder: URL? = nil, assignment: String? = nil) {
        self.course = course
        self.dataFolder = dataFolder
        self.assignment = assignment
    }
}

/// Everything the grading pipeline needs to know about one practical: its rules (`PracticalRules`: the
/// calls, reply budgets and shapes, the program that serves the calls), how to generate its cases, and
/// the reference answers.
///
/// A practical is known to the grader by its line in `PracticalRegistry.course` (and its rules by theirs in `CourseRules`).
public protocol PracticalDriver: Sendable {
    /// What is known of the practical without its reference solution.
    associatedtype Rules: PracticalRules
    /// The wire type of this practical's calls.
    typealias Call = Rules.Call

    /// Every callable requirement with how its cases are drawn (`PracticalRules.callTable(_:preparing:)`).
    static var callTable: [CallDefinition<Self>] { get }

    /// Creates the driver.
    init(context: DriverContext)

    /// A folder of case data the submission reads (bound read-only into its sandbox), if the practical has one.
    var sandboxData: URL? { get }

    /// Lets go of what preparing `prepared` left behind (data files), once its case is judged.
    func release(_ prepared: PreparedCase<Call>)
    /// The reference engine's answer.
    func referenceAnswer(to call: Call) -> Answer
    /// The reference solution's answer as a submission gives it, through the wire type (for the fairness
    /// sweep: a correct submission must pass every case). By default the reference answer.
    func referenceAnswerAsSubmission(to call: Call) -> Answer
    /// Checks that the course data `spec`'s cases need can be read, before anyone is graded.
    func preflight(_ spec: AssignmentSpec) throws
}

extension PracticalDriver {
    /// The CourseKit protocol a submission implements, as specs name it in `protocol:`.
    public static var protocolName: String { Rules.protocolName }
    /// The program that serves calls in a submission process.
    public static var entryPoint: SubmissionEntryPoint { Rules.entryPoint }

    /// The most a correct answer to `call` can hold (`PracticalRules.replyBudget(for:)`).
    public func replyBudget(for call: Call) -> ReplyBudget { Rules.replyBudget(for: call) }
    /// `call` with its CPU budget set to `seconds` (`PracticalRules.withBudget(_:seconds:)`).
    public func withBudget(_ call: Call, seconds: Double) -> Call { Rules.withBudget(call, seconds: seconds) }
    /// `call` with its data files named by `relocate` (`PracticalRules.relocatingData(_:_:)`).
    public func relocatingData(_ call: Call, _ relocate: (String) -> String) -> Call { Rules.relocatingData(call, relocate) }
    /// Why `answer` is outside the call's contract, or nil (`PracticalRules.boundsProblem(_:for:)`).
    public func boundsProblem(_ answer: Answer, for prepared: PreparedCase<Call>) -> String? {
        Rules.boundsProblem(answer, for: prepared)
    }

    /// Why `answer` cannot be judged, or nil (`PracticalRules.shapeProblem(_:for:reference:)`).
    public func shapeProblem(_ answer: Answer, for prepared: PreparedCase<Call>, reference: Answer) -> String? {
        Rules.shapeProblem(answer, for: prepared, reference: reference)
    }
}

extension PracticalDriver {
    public func referenceAnswerAsSubmission(to call: Call) -> Answer { referenceAnswer(to: call) }

    /// The reference's answer to a prepared case: the one its preparation computed, or the engine's.
    public func referenceAnswer(for prepared: PreparedCase<Call>) -> Answer { prepared.reference ?? referenceAnswer(to: prepared.call) }

    /// Each callable requirement with the check kinds that may judge it.
    public static var calls: [String: Set<CheckKind>] {
        Dictionary(callTable.map { ($0.name, $0.kinds) }, uniquingKeysWith: { $0.union($1) })
    }

    /// Each callable requirement with the problem families its recipes may name.
    public static var problems: [String: Set<String>] {
        Dictionary(callTable.map { ($0.name, $0.problems) }, uniquingKeysWith: { $0.union($1) })
    }

    /// The check kinds some call of this practical may be judged by.
    public static var checkKinds: Set<CheckKind> { Set(callTable.flatMap { $0.judges.map { $0.kind } }) }

    /// The declaration of the call `name`.
    public static func definition(of name: String) -> CallDefinition<Self>? { callTable.first { $0.name == name } }

    /// The judge of `check`: its kind's, as the call declares it.
    public static func judge(of check: CheckSpec) -> (any CheckJudge.Type)? { definition(of: check.call)?.judge(of: check.kind) }

    /// Draws the case for `recipe` of `check`, with `seed`; `privateSeed`, when grading with the instructor
    /// secret, is a seed of the student's that nobody else can know (for data transformed per student).
    public func prepareCase(for check: CheckSpec, recipe: CaseRecipe, seed: UInt64, privateSeed: UInt64?) throws -> PreparedCase<Call> {
        guard let definition = Self.definition(of: check.call) else {
            throw RecipeSampler.ParameterError(description: "'\(check.call)' is not a \(Self.protocolName) call")
        }
        var sampler = RecipeSampler(recipe: recipe, settings: check.settings, seed: seed)
        return try definition.prepare(self, &sampler, CaseRequest(check: check, recipe: recipe, seed: seed, privateSeed: privateSeed))
    }

    /// Judges the student's `answer` for `check` with the judge its call declares for the check's kind; only
    /// called on answers whose structure `shapeProblem` accepted. `cpuSeconds` is the CPU time the call used,
    /// when the sandbox measured it, on a machine `slowdown` times slower than the course's reference.
    public func judge(_ answer: Answer, reference: Answer, for prepared: PreparedCase<Call>, check: CheckSpec,
                      tolerance: Tolerance, disclosure: Disclosure, cpuSeconds: Double? = nil, slowdown: Double = 1) -> Judgement {
        guard let judge = Self.judge(of: check) else {
            return .graderFault("\(Self.protocolName) has no \(check.kind) judge for '\(check.call)'")
        }
        return judge.judge(answer, reference: reference,
                           context: JudgingContext(check: check, tolerance: tolerance, disclosure: disclosure, cpuSeconds: cpuSeconds,
                                                   slowdown: slowdown, evidence: prepared.evidence))
    }

    /// No case data by default.
    public var sandboxData: URL? { nil }

    /// Nothing to check by default.
    public func preflight(_ spec: AssignmentSpec) throws {}

    /// Nothing to let go of by default.
    public func release(_ prepared: PreparedCase<Call>) {}

    /// The case for `recipe` with only public seeds (a student's self-check, rehearsals, tests).
    public func prepareCase(for check: CheckSpec, recipe: CaseRecipe, seed: UInt64) throws -> PreparedCase<Call> {
        try prepareCase(for: check, recipe: recipe, seed: seed, privateSeed: nil)
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
