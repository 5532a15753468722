import SubmissionRuntime

/// A kind of check, as specs name it in `kind:`: `compare`, `trajectory`, `convergence`, `gradient`, `training`.
///
/// Open: each kind's file declares its name beside its judge (`extension CheckKind { static let compare … }`),
/// so a new kind is a new file, and a practical uses it by naming its judge in its call table.
public struct CheckKind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The name specs use.
    public let rawValue: String

    /// The kind named `rawValue`.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
}

/// A check kind's judge: the rule by which an answer earns a case's credit.
///
/// A judge knows nothing of any practical. What it needs beyond the answer and the reference's comes
/// from the case's evidence (`CaseEvidence`), which the practical's driver attaches when it prepares
/// the case: a stopping rule, a trusted gradient, held-out data and how to score a model on it.
public protocol CheckJudge: Sendable {
    /// The name specs use in `kind:`.
    static var kind: CheckKind { get }
    /// Judges the student's `answer` against the reference's, whose structure `ReplyShape` has already compared.
    static func judge(_ answer: Answer, reference: Answer, context: JudgingContext) -> Judgement
    /// Why a case prepared with `evidence` cannot be judged by this kind, or nil: reported when a spec is
    /// loaded, since every recipe is rehearsed then.
    static func missingEvidence(in evidence: CaseEvidence) -> String?
    /// The message for a case whose call of `call` ran out of time, given the sandbox's `message`.
    static func limitMessage(_ message: String, call: String) -> String
    /// Whether the fairness sweep asks the reference every case of this kind over many seeds; false for a
    /// kind whose answer is costly to compute (training), whose fairness is measured by a benchmark instead.
    static var isSweptForFairness: Bool { get }
    /// Why the check's `expect` targets are not ones this kind reads (an unknown key, a value out of its
    /// range), or nil; `evidence` is a rehearsed case's. Reported when a spec is loaded, so that a
    /// misspelled target is an error rather than a silent default.
    static func expectProblem(_ expect: [String: Double], evidence: CaseEvidence) -> String?
}

extension CheckJudge {
    /// Every case can be judged by default.
    public static func missingEvidence(in evidence: CaseEvidence) -> String? { nil }

    /// The sandbox's message by default.
    public static func limitMessage(_ message: String, call: String) -> String { message }

    /// Swept by default.
    public static var isSweptForFairness: Bool { true }

    /// By default a kind reads no `expect` targets.
    public static func expectProblem(_ expect: [String: Double], evidence: CaseEvidence) -> String? {
        expect.isEmpty ? nil : "a \(kind) check reads no 'expect' targets; found \(ExpectTargets.list(expect.keys))"
    }
}

/// Helpers for the `expect` targets judges read.
public enum ExpectTargets {
    /// `keys` sorted and quoted: "'accuracy', 'partial'".
    static func list<Keys: Sequence<String>>(_ keys: Keys) -> String { keys.sorted().map { "'\($0)'" }.joined(separator: ", ") }

    /// Why `expect` has a key outside `known`, or a value outside its range in `ranges`, or nil.
    static func problem(_ expect: [String: Double], kind: CheckKind, known ranges: [String: ClosedRange<Double>]) -> String? {
        let unknown = expect.keys.filter { ranges[$0] == nil }
        if !unknown.isEmpty {
            return "a \(kind) check reads only \(list(ranges.keys)) in 'expect'; \(list(unknown)) is not one of them"
        }
        for (key, value) in expect.sorted(by: { $0.key < $1.key }) {
            if let range = ranges[key], !range.contains(value) {
                return "expect.\(key) must be within \(Feedback.number(range.lowerBound))…\(Feedback.number(range.upperBound)), not \(Feedback.number(value))"
            }
        }
        return nil
    }
}

/// Everything a judge is given about one case besides the two answers.
public struct JudgingContext: Sendable {
    /// The check, for its `expect` targets and settings.
    public var check: CheckSpec
    /// The tolerance that applies.
    public var tolerance: Tolerance
    /// How much a failing message may show.
    public var disclosure: Disclosure
    /// The CPU time the call used, when the sandbox measured it.
    public var cpuSeconds: Double?
    /// How many times slower than the course's reference machine this one ran when the call was given its
    /// budget (`MachineBudget`); 1 when the call has none.
    public var slowdown: Double
    /// What the practical's driver attached to the case for its judges.
    public var evidence: CaseEvidence

    /// Creates a context.
    public init(check: CheckSpec, tolerance: Tolerance, disclosure: Disclosure, cpuSeconds: Double? = nil, slowdown: Double = 1,
                evidence: CaseEvidence = CaseEvidence()) {
        self.check = check
        self.tolerance = tolerance
        self.disclosure = disclosure
        self.cpuSeconds = cpuSeconds
        self.slowdown = slowdown
        self.evidence = evidence
    }
}

/// What a driver attaches to a prepared case for the judges of its check kinds, looked up by type:
/// a `StoppingRule` for `trajectory`, a `GradientSubject` for `gradient`, a `TrainingCheck.Evidence` for `training`.
public struct CaseEvidence: Sendable {
    private var items: [any Sendable]

    /// Evidence made of `items`.
    public init(_ items: [any Sendable] = []) { self.items = items }

    /// Adds `item`.
    public mutating func add(_ item: any Sendable) { items.append(item) }

    /// Every item, in the order added.
    public var all: [any Sendable] { items }

    /// The first item of type `T` (a concrete type or a protocol), if any.
    public func first<T>(_ type: T.Type) -> T? {
        for item in items { if let match = item as? T { return match } }
        return nil
    }
}
