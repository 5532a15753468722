import SubmissionRuntime

extension CheckKind {
    /// The submission trains a model within a time budget; the grader scores it on held-out data.
    public static let training = CheckKind(rawValue: "training")
}

/// How a training check scores the model a submission returned, on data the submission never saw.
public protocol TrainedModelScorer: Sendable {
    /// The model's held-out accuracy, or why it cannot be scored.
    func score(_ answer: Answer) -> TrainedModelScore
}

/// A trained model's score: its accuracy in [0, 1], or why it cannot be evaluated (the student's fault).
public enum TrainedModelScore: Sendable, Equatable {
    /// The fraction of held-out examples classified right.
    case accuracy(Double)
    /// What is wrong with the model, in words for the student.
    case unusable(String)
}

/// The `training` check: the model the submission trained, scored on held-out data by the case's
/// `TrainedModelScorer` (for practical 2, the reference forward pass on held-out digits).
///
/// **Credit** rises continuously with the held-out accuracy: none up to `expect.partial-accuracy`
/// (default: `accuracy` − 0.05), all of it from `expect.accuracy` (default 0.95), linearly in between,
/// so a draw of the data or a tenth of a point never flips a whole grade.
///
/// **The budget** is CPU time: the call may use `seconds` × (1 + `budgetGrace`) + `budgetSlackSeconds` of
/// CPU time of the submission's process tree (measured by the sandbox's cgroup), which covers reading
/// the data and sending the answer. A call over that earns no credit, whatever its accuracy, and the
/// message says by how much it ran over. CPU time rather than wall time, so that a loaded machine
/// changes no verdict: the same code uses the same CPU time however many others run beside it.
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

    /// The fraction of the credit an accuracy earns (see the type's documentation).
    static func credit(accuracy: Double, expect: [String: Double]) -> Double {
        let target = expect["accuracy"] ?? 0.95
        let floor = min(expect["partial-accuracy"] ?? target - 0.05, target)
        if accuracy >= target { return 1 }
        guard accuracy > floor, target > floor else { return 0 }
        return (accuracy - floor) / (target - floor)
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
        return judge(answer, evidence: evidence, expect: context.check.expect, cpuSeconds: context.cpuSeconds)
    }

    public static func limitMessage(_ message: String, call: String) -> String {
        "\(call)() did not return in time (\(message)); it must stop within the seconds it is given"
    }

    static func judge(_ answer: Answer, evidence: Evidence, expect: [String: Double], cpuSeconds: Double?) -> Judgement {
        let seconds = evidence.seconds
        let accuracy: Double
        switch evidence.scorer.score(answer) {
        case let .accuracy(value): accuracy = value
        case let .unusable(problem): return .fail(problem)
        }
        let percent = { (value: Double) in Feedback.number((value * 1000).rounded() / 10) + "%" }
        let time = cpuSeconds.map { " in \(Feedback.number(($0 * 10).rounded() / 10)) s of CPU time (budget \(Feedback.number(seconds)) s)" } ?? ""
        if let cpuSeconds, cpuSeconds > allowedSeconds(seconds) {
            let over = Int(((cpuSeconds / seconds - 1) * 100).rounded())
            return Judgement(passed: false, message: "train() used \(Feedback.number((cpuSeconds * 10).rounded() / 10)) s of CPU time, \(over)% over its \(Feedback.number(seconds)) s budget "
                         + "(at most \(Feedback.number(allowedSeconds(seconds))) s with the grace): no credit for a run over budget (its held-out accuracy was \(percent(accuracy)))",
                             credit: 0, measurement: accuracy)
        }
        let target = expect["accuracy"] ?? 0.95
        let earned = credit(accuracy: accuracy, expect: expect)
        if earned >= 1 { return Judgement(passed: true, message: "held-out accuracy \(percent(accuracy))\(time)", measurement: accuracy) }
        let floor = min(expect["partial-accuracy"] ?? target - 0.05, target)
        if earned > 0 {
            return Judgement(passed: false, message: "held-out accuracy \(percent(accuracy))\(time): \(Feedback.number((earned * 100).rounded() / 100)) of the credit (none at \(percent(floor)), all from \(percent(target)))", credit: earned, measurement: accuracy)
        }
        return Judgement(passed: false, message: "held-out accuracy \(percent(accuracy))\(time), not above \(percent(floor)) (credit rises from \(percent(floor)) to \(percent(target)))",
                         credit: 0, measurement: accuracy)
    }
}
