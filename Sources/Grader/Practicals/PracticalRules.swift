import Figures
import Foundation
import SubmissionRuntime

/// A callable requirement of a practical as specs and judges know it: its name in `call:`, the judges of
/// the check kinds that may judge it, and the problem families its recipes may name.
public struct CallSignature: Sendable {
    /// The requirement's name.
    public let name: String
    /// The judges that may judge it, one per check kind.
    public let judges: [any CheckJudge.Type]
    /// The problem families its recipes may name.
    public let problems: Set<String>

    /// A signature.
    public init(_ name: String, judgedBy judges: [any CheckJudge.Type], problems: Set<String>) {
        self.name = name
        self.judges = judges
        self.problems = problems
    }
}

/// How a driver draws a case of one call from the recipe's parameters (read through the sampler, which
/// holds the seeded generator).
public typealias CaseDrawing<Driver: PracticalDriver> = @Sendable (Driver, inout RecipeSampler, CaseRequest) throws -> PreparedCase<Driver.Call>

/// What the grader knows of a practical without its reference solution: the protocol and its calls, how
/// large a correct reply can be, what structure it must have, and how a training call's budget and data
/// files are set. Everything that judges a reply to a case lives here, so that a case stored with its
/// reference answer (`StoredCase`) is judged by the same rules where the reference engine is absent.
///
/// A practical's driver (`PracticalDriver`) adds how cases are drawn and answered by the reference.
public protocol PracticalRules: Sendable {
    /// The wire type of the practical's calls.
    associatedtype Call: Codable & Sendable

    /// The CourseKit protocol a submission implements, as specs name it in `protocol:`.
    static var protocolName: String { get }
    /// Every callable requirement, in the order specs are validated against.
    static var signatures: [CallSignature] { get }
    /// The program that serves calls in a submission process.
    static var entryPoint: SubmissionEntryPoint { get }

    /// The most a correct answer to `call` can hold, which bounds the reply the grader reads.
    static func replyBudget(for call: Call) -> ReplyBudget
    /// `call` with its CPU budget set to `seconds`, for a training call (`MachineBudget`); other calls unchanged, as by default.
    static func withBudget(_ call: Call, seconds: Double) -> Call
    /// `call` with every data file it reads (a training set's images and labels) named by `relocate` of its
    /// path: for storing a case with its data (`PublicCaseBundle`) and reading it back elsewhere. Other
    /// calls unchanged, as by default.
    static func relocatingData(_ call: Call, _ relocate: (String) -> String) -> Call
    /// Why `answer` is outside what the call's contract accepts, so the grader will not evaluate it (a returned
    /// model with more layers, parameters or work per sample than the stated bounds), or nil: a protocol
    /// error, checked before `shapeProblem`. None by default.
    static func boundsProblem(_ answer: Answer, for prepared: PreparedCase<Call>) -> String?
    /// Why `answer` cannot be judged (the wrong kind of value, a dimension or shape that is not the call's), or nil.
    static func shapeProblem(_ answer: Answer, for prepared: PreparedCase<Call>, reference: Answer) -> String?
    /// What a public case shows in pictures: the student's well-formed `answer` to `call` beside the
    /// reference's (iterates over contour lines, a decision boundary). None by default. Never called for
    /// a hidden case, whose expected values stay undisclosed.
    static func figures(for call: Call, answer: Answer, reference: Answer) -> [Figure]
}

extension PracticalRules where Call: ServedCall {
    /// A wire type of the toolkit's is served by its own `serve`.
    public static var entryPoint: SubmissionEntryPoint { .serving(Call.self) }
}

extension PracticalRules {
    /// No call has a CPU budget by default.
    public static func withBudget(_ call: Call, seconds: Double) -> Call { call }

    /// No call reads data files by default.
    public static func relocatingData(_ call: Call, _ relocate: (String) -> String) -> Call { call }

    /// No bounds beyond the reference's structure by default.
    public static func boundsProblem(_ answer: Answer, for prepared: PreparedCase<Call>) -> String? { nil }

    /// The structure of the reference's answer.
    public static func shapeProblem(_ answer: Answer, for prepared: PreparedCase<Call>, reference: Answer) -> String? {
        ReplyShape.problem(answer, against: reference)
    }

    /// No figures by default.
    public static func figures(for call: Call, answer: Answer, reference: Answer) -> [Figure] { [] }

    /// The signature of the call `name`.
    public static func signature(of name: String) -> CallSignature? { signatures.first { $0.name == name } }

    /// The call table of a driver of this practical: every signature with the way `preparing` draws its
    /// cases, in signature order. Every call must be prepared, and nothing else: a driver that misses one
    /// or names an unknown call is a programming error, caught the first time its table is read.
    public static func callTable<Driver: PracticalDriver>(_ driver: Driver.Type, preparing: [String: CaseDrawing<Driver>]) -> [CallDefinition<Driver>] {
        let names = Set(signatures.map(\.name))
        precondition(Set(preparing.keys) == names,
                     "\(Driver.self) prepares \(preparing.keys.sorted()) but \(protocolName) has the calls \(names.sorted())")
        return signatures.map { signature in
            CallDefinition(signature, prepare: preparing[signature.name]!)
        }
    }
}

/// The rules of every practical of the course, in the order they are taught: the one list of practicals
/// this grader knows (the course's drivers, `PracticalRegistry.course`, have a driver for each).
public enum CourseRules {
    /// Every practical's rules.
    public static let all: [any PracticalRules.Type] = [
        Practical1Rules.self,
        Practical2Rules.self,
        Practical3Rules.self,
    ]

    /// The check kinds some practical's call may be judged by: the kinds a spec may name.
    public static var checkKinds: Set<CheckKind> {
        Set(all.flatMap { $0.signatures.flatMap { $0.judges.map { $0.kind } } })
    }
}
