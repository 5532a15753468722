/// What the grader is doing inside one submission, for a person watching a slow run: reported as it
/// happens, to be shown (throttled) or ignored.
public struct GradingActivity: Sendable, Equatable, CustomStringConvertible {
    /// One step of a submission's grading.
    public enum Step: Sendable, Equatable {
        /// Compiling the sources (or finding them in the build cache).
        case building
        /// Running case `label` of `check`, the `number`th of the submission's `total` cases.
        case running(check: String, label: String, number: Int, total: Int)
        /// A training call of `check`'s case `label` that has used `cpuSeconds` of its budget of `budgetSeconds`.
        case training(check: String, label: String, cpuSeconds: Double, budgetSeconds: Double)
    }

    /// The student whose submission it is.
    public var studentID: String
    /// What is happening.
    public var step: Step

    /// An activity.
    public init(studentID: String, step: Step) {
        self.studentID = studentID
        self.step = step
    }

    /// The activity in words: "alice: mnist-training, hidden 1: training, 12.3 s of its 26.1 s CPU budget".
    public var description: String {
        switch step {
        case .building: return "\(studentID): building"
        case let .running(check, label, number, total): return "\(studentID): \(check), \(label) (case \(number) of \(total))"
        case let .training(check, label, used, budget):
            return "\(studentID): \(check), \(label): training, \(Feedback.number((used * 10).rounded() / 10)) s of its "
                + "\(Feedback.number((budget * 10).rounded() / 10)) s CPU budget"
        }
    }
}
