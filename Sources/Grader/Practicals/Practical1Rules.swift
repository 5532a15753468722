import CourseKit
import SubmissionRuntime

/// Practical 1's rules: gradient descent, Armijo, Newton and the perceptron.
public enum Practical1Rules: PracticalRules {
    public typealias Call = Practical1Call

    public static let protocolName = "Practical1"

    public static let signatures = [
        CallSignature("numericalGradient", judgedBy: [GradientCheck.self, CompareCheck.self], problems: ["quadratic", "rosenbrock", "logistic"]),
        CallSignature("gradientDescent", judgedBy: [TrajectoryCheck.self, ConvergenceCheck.self], problems: ["quadratic", "logistic"]),
        CallSignature("armijoStep", judgedBy: [CompareCheck.self], problems: ["quadratic", "rosenbrock", "logistic"]),
        CallSignature("gradientDescentArmijo", judgedBy: [TrajectoryCheck.self, ConvergenceCheck.self], problems: ["quadratic", "rosenbrock", "logistic"]),
        CallSignature("newton", judgedBy: [TrajectoryCheck.self, ConvergenceCheck.self], problems: ["quadratic", "rosenbrock", "logistic"]),
        CallSignature("perceptron", judgedBy: [CompareCheck.self], problems: ["separable", "overlapping"]),
        CallSignature("sigmoidPerceptron", judgedBy: [CompareCheck.self], problems: ["classification"]),
    ]

    public static func replyBudget(for call: Practical1Call) -> ReplyBudget {
        func iterates(_ x0: Vector, _ maxIterations: Int) -> ReplyBudget {
            let count = ReplyBudget.sum(max(0, maxIterations), 1)
            return ReplyBudget(numbers: ReplyBudget.product(count, x0.count), containers: count,
                               description: "(maxIterations + 1) × n = \(count) × \(x0.count) numbers")
        }
        switch call {
        case let .numericalGradient(_, x, _): return ReplyBudget(numbers: x.count, description: "n = \(x.count) numbers")
        case .armijoStep: return ReplyBudget(numbers: 1, description: "one number")
        case let .gradientDescent(_, x0, _, _, maxIterations), let .gradientDescentArmijo(_, x0, _, _, _, _, maxIterations),
             let .newton(_, x0, _, maxIterations):
            return iterates(x0, maxIterations)
        case let .perceptron(inputs, _, _, _), let .sigmoidPerceptron(inputs, _, _, _):
            return ReplyBudget(numbers: inputs.columns + 1, description: "\(inputs.columns) weights and a bias")
        }
    }
}
