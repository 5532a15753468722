import CourseKit
import Figures
import MachineSpeed
import SubmissionRuntime

extension CheckKind {
    /// The submission trains a model within a time budget; the grader scores it on held-out data.
    public static let training = CheckKind(rawValue: "training")
}

/// How a training check scores the model a submission returned, on data the submission never saw.
public protocol TrainedModelScorer: Sendable {
    /// What the score measures; `accuracy` by default.
    var metric: TrainingMetric { get }
    /// The model's score, or why it cannot be scored.
    func score(_ answer: Answer) -> TrainedModelScore
    /// What the model does on the held-out data, in pictures (a confusion matrix, samples over the
    /// modes), for a public case whose model could be scored. None by default.
    func figures(_ answer: Answer) -> [Figure]
}

extension TrainedModelScorer {
    public var metric: TrainingMetric { .accuracy }

    public func figures(_ answer: Answer) -> [Figure] { [] }
}

/// What a training check's score measures: its name in messages and the `expect` keys of its targets
/// (`<key>` for all the credit, `partial-<key>` for none).
public struct TrainingMetric: Sendable, Equatable, Codable {
    /// The `expect` key of the full-credit target.
    public let key: String
    /// The score in words, as messages write it ("held-out accuracy").
    public let name: String

    /// A metric.
    public init(key: String, name: String) {
        self.key = key
        self.name = name
    }

    /// The fraction of held-out examples classified right.
    public static let accuracy = TrainingMetric(key: "accuracy", name: "held-out accuracy")
}

/// A trained model's score in [0, 1], with what it is made of, or why it cannot be evaluated (the student's fault).
public enum TrainedModelScore: Sendable, Equatable {
    /// The score, and the figures behind it in words (empty when the score says it all).
    case measured(Double, detail: String)
    /// Why the model is outside what the contract accepts (another kind of answer, the wrong shape, more
    /// layers, parameters or work per sample than the stated bounds), in words for the student: the grader
    /// refuses to evaluate it, and the reply is a protocol error, as one over its size budget is.
    case unusable(String)
    /// The model is within the contract but its weights hold NaN or infinity (checked by `nonFinite(_:)`):
    /// training diverged, a wrong answer.
    case nonFiniteWeights
    /// The model could be scored but is not, here: the data it is scored on is not at hand (a student's
    /// kit holds no held-out images). Why, in words; the budget still applies.
    case unmeasured(String)

    /// A held-out accuracy.
    public static func accuracy(_ value: Double) -> TrainedModelScore { .measured(value, detail: "") }

    /// Whether any weight or bias of `layers` is NaN or infinite.
    public static func nonFinite(_ layers: [DenseLayer]) -> Bool {
        layers.contains { $0.weights.storage.contains { !$0.isFinite } || $0.bias.storage.contains { !$0.isFinite } }
    }

    /// Whether any weight or bias of `network` is NaN or infinite.
    public static func nonFinite(_ network: ConvolutionalNetwork) -> Bool {
        network.blocks.contains { !$0.convolution.weights.storage.allSatisfy(\.isFinite) || !$0.convolution.bias.storage.allSatisfy(\.isFinite) }
            || nonFinite(network.dense)
    }
}

/// The `training` check: the model the submission trained, scored on held-out data by the case's
/// `TrainedModelScorer` (for practical 2, the reference forward pass on held-out digits).
///
/// **Credit** rises continuously with the score (the held-out accuracy, or the scorer's own metric m):
/// none up to `expect.partial-m` (default: `m` − 0.05), all of it from `expect.m` (default 0.95),
/// linearly in between, so a draw of the data or a tenth of a point never flips a whole grade.
///
/// **The budget** is CPU time: the call may use its budget × (1 + `budgetGrace`) + `budgetSlackSeconds` of
/// CPU time of the submission's process tree (measured by the sandbox's cgroup), which covers reading
/// the data and sending the answer. A call over that earns no credit, whatever its accuracy, and the
/// message says by how much it ran over. CPU time rather than wall time, so that other processes taking
/// turns on the CPU change nothing; and the spec's seconds are seconds at the course's reference speed,
/// stretched by the slowdown measured just before the call (`MachineBudget`), so that a machine whose
/// CPU seconds do less work (a shared core, a busy host, a slower processor) gives the same code the same
/// work and the same credit.
public enum TrainingCheck: CheckJudge {
    public static let kind = CheckKind.training

    /// Training takes its whole budget: `grade-bench training` measures the reference's spread instead.
    public static let isSweptForFairness = false

    /// The share of the budget allowed on top of it.
    static let budgetGrace = 0.1
    /// Seconds allowed on top of the budget, for reading the data and answering.
    static let budgetSlackSeconds = 1.0

    /// The CPU seconds a call budgeted `seconds` may use.
    static func allowedSeconds(_ seconds: Double) -> Double { seconds * (1 + budgetGrace) + budgetSlackSeconds }

    /// The score that earns all the credit, and the one up to which none is earned.
    static func targets(_ metric: TrainingMetric, expect: [String: Double]) -> (full: Double, none: Double) {
        let target = expect[metric.key] ?? 0.95
        return (target, min(expect["partial-" + metric.key] ?? target - 0.05, target))
    }

    /// A training check reads `<metric>` and `partial-<metric>`, scores in [0, 1], of the metric its
    /// cases are scored by (when the rehearsed case carries its scorer; otherwise of one metric).
    public static func expectProblem(_ expect: [String: Double], evidence: CaseEvidence) -> String? {
        let named = Set(expect.keys.map { $0.hasPrefix("partial-") ? String($0.dropFirst("partial-".count)) : $0 })
        let metric = evidence.first(Evidence.self)?.scorer.metric.key ?? (named.count == 1 ? named.first! : nil)
        guard let metric else {
            return named.isEmpty ? nil : "a training check's 'expect' names the targets of one score (as 'accuracy' and 'partial-accuracy'); found \(ExpectTargets.list(expect.keys))"
        }
        if let problem = ExpectTargets.problem(expect, kind: kind, known: [metric: 0...1, "partial-" + metric: 0...1]) { return problem }
        if let full = expect[metric], let none = expect["partial-" + metric], none > full {
            return "expect.partial-\(metric) (\(Feedback.number(none))) is the score up to which no credit is earned: it cannot exceed expect.\(metric) (\(Feedback.number(full)))"
        }
        return nil
    }

    /// The fraction of the credit a score earns (see the type's documentation).
    static func credit(score: Double, metric: TrainingMetric = .accuracy, expect: [String: Double]) -> Double {
        let (target, floor) = targets(metric, expect: expect)
        if score >= target { return 1 }
        guard score > floor, target > floor else { return 0 }
        return (score - floor) / (target - floor)
    }

    /// What a training case carries: the budget the call was given and how to score the model it returns.
    public struct Evidence: Sendable {
        /// The CPU seconds the call was given.
        public let seconds: Double
        /// Scores the returned model on data the submission never saw.
        public let scorer: any TrainedModelScorer

        /// Creates the evidence.
        public init(seconds: Double, scorer: any TrainedModelScorer) {
            self.seconds = seconds
            self.scorer = scorer
        }
    }

    public static func judge(_ answer: Answer, reference: Answer, context: JudgingContext) -> Judgement {
        guard let evidence = context.evidence.first(Evidence.self) else { return .graderFault("the case has no held-out data") }
        var judgement = judge(answer, evidence: evidence, expect: context.check.expect, cpuSeconds: context.cpuSeconds, slowdown: context.slowdown)
        if context.disclosure == .full, judgement.measurement != nil { judgement.figures = evidence.scorer.figures(answer) }
        return judgement
    }

    public static func limitMessage(_ message: String, call: String) -> String {
        "\(call)() did not return in time (\(message)); it must stop within the seconds it is given"
    }

    static func judge(_ answer: Answer, evidence: Evidence, expect: [String: Double], cpuSeconds: Double?, slowdown: Double = 1) -> Judgement {
        let budget = MachineBudget(referenceSeconds: evidence.seconds, slowdown: slowdown)
        let seconds = budget.seconds, metric = evidence.scorer.metric
        let percent = { (value: Double) in Feedback.number((value * 1000).rounded() / 10) + "%" }
        let time = cpuSeconds.map { " in \(Feedback.number(($0 * 10).rounded() / 10)) s of CPU time (budget \(budget.description))" } ?? ""
        // A run over budget earns nothing, whatever its score.
        let overBudget = cpuSeconds.flatMap { used -> String? in
            guard used > allowedSeconds(seconds) else { return nil }
            let over = Int(((used / seconds - 1) * 100).rounded())
            return "train() used \(Feedback.number((used * 10).rounded() / 10)) s of CPU time, \(over)% over its budget of \(budget.description) "
                + "(at most \(Feedback.number((allowedSeconds(seconds) * 10).rounded() / 10)) s with the grace): no credit for a run over budget"
        }
        let accuracy: Double, detail: String
        switch evidence.scorer.score(answer) {
        case let .measured(value, figures): (accuracy, detail) = (value, figures.isEmpty ? "" : " (\(figures))")
        case let .unusable(problem):
            var judgement = Judgement.fail(problem)
            judgement.breaksContract = true
            return judgement
        case .nonFiniteWeights: return .fail("the returned weights contain NaN or infinity")
        case let .unmeasured(reason):
            guard let overBudget else { return Judgement(passed: true, message: "trained\(time); \(reason)") }
            var judgement = Judgement.fail(overBudget)
            judgement.exceededBudget = true
            return judgement
        }
        if let overBudget {
            var judgement = Judgement(passed: false, message: overBudget + " (its \(metric.name) was \(percent(accuracy))\(detail))", credit: 0, measurement: accuracy)
            judgement.exceededBudget = true
            return judgement
        }
        let (target, floor) = targets(metric, expect: expect)
        let earned = credit(score: accuracy, metric: metric, expect: expect)
        let measured = "\(metric.name) \(percent(accuracy))\(detail)\(time)"
        if earned >= 1 { return Judgement(passed: true, message: measured, measurement: accuracy) }
        if earned > 0 {
            return Judgement(passed: false, message: "\(measured), so \(percent(earned)) of this case's credit (none at \(percent(floor)) or below, all from \(percent(target)))", credit: earned, measurement: accuracy)
        }
        return Judgement(passed: false, message: "\(measured), not above \(percent(floor)) (credit rises from \(percent(floor)) to \(percent(target)))",
                         credit: 0, measurement: accuracy)
    }
}

/// A training call's CPU budget on this machine: the spec's seconds, which are seconds at the course's
/// reference speed, times the machine's slowdown (`SpeedProbe`) measured just before the call with
/// nothing of the submission running. The one rule for turning a spec's budget into a call's.
public struct MachineBudget: Sendable, Equatable {
    /// The spec's budget: CPU seconds at the course's reference speed.
    public let referenceSeconds: Double
    /// How many times slower than the reference this machine runs (1 on the reference machine).
    public let slowdown: Double

    /// A budget of `referenceSeconds` on a machine `slowdown` times slower than the reference.
    public init(referenceSeconds: Double, slowdown: Double) {
        self.referenceSeconds = referenceSeconds
        self.slowdown = slowdown
    }

    /// The budget measured now: the speed probe's slowdown, taken over five runs of its workload.
    public static func measure(referenceSeconds: Double) -> MachineBudget {
        MachineBudget(referenceSeconds: referenceSeconds, slowdown: SpeedProbe.slowdown())
    }

    /// The CPU seconds the call is given on this machine.
    public var seconds: Double { referenceSeconds * slowdown }

    /// Why training cannot be graded fairly at this speed (the machine is far slower or faster than any
    /// the budgets stretch to: overloaded, or the probe is wrong), or nil. A grader fault, never the student's.
    public var problem: String? {
        guard slowdown.isFinite, SpeedProbe.plausibleSlowdowns.contains(slowdown) else {
            return "this machine measured \(Feedback.number((slowdown * 100).rounded() / 100))× the CPU time of the course's reference machine for the same work "
                + "(a plausible machine is \(Feedback.number(SpeedProbe.plausibleSlowdowns.lowerBound))× to \(Feedback.number(SpeedProbe.plausibleSlowdowns.upperBound))×); "
                + "grade when it is less loaded"
        }
        return nil
    }

    /// The budget in words: "10 s" on the reference machine, otherwise also what it is at the reference speed
    /// ("21.3 s: 10 s at the course's reference speed, this machine taking 2.13× its CPU time").
    public var description: String {
        let here = Feedback.number((seconds * 10).rounded() / 10)
        guard abs(slowdown - 1) >= 0.005 else { return "\(Feedback.number(referenceSeconds)) s" }
        return "\(here) s: \(Feedback.number(referenceSeconds)) s at the course's reference speed, this machine taking \(Feedback.number((slowdown * 100).rounded() / 100))× its CPU time"
    }
}
