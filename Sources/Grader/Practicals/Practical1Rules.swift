import CourseKit
import Figures
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

    public static func figures(for call: Practical1Call, answer: Answer, reference: Answer) -> [Figure] {
        switch call {
        case let .gradientDescent(objective, _, _, _, _), let .gradientDescentArmijo(objective, _, _, _, _, _, _), let .newton(objective, _, _, _):
            guard case let .iterates(mine) = answer, case let .iterates(theirs) = reference else { return [] }
            return OptimisationFigures.figures(of: call.name, on: objective.objective, student: mine, reference: theirs, captions: captions(of: call))
        case let .perceptron(inputs, labels, _, _), let .sigmoidPerceptron(inputs, labels, _, _):
            guard case let .linearUnit(mine) = answer, case let .linearUnit(theirs) = reference else { return [] }
            return ClassifierFigures.boundary(of: call.name, inputs: inputs, labels: labels, student: mine, reference: theirs).map { [$0] } ?? []
        case .numericalGradient, .armijoStep:
            return []
        }
    }

    /// What the figures of a descent method's run show: gradient steps and their linear rate, or Newton's
    /// steps and their quadratic rate.
    static func captions(of call: Practical1Call) -> OptimisationFigures.Captions {
        if case .newton = call {
            return OptimisationFigures.Captions(
                path: "Newton's step goes to the minimum of the local quadratic model, not straight down the slope: on a quadratic the first step lands on the minimiser.",
                gradientNorms: "On a log scale Newton's quadratic convergence bends down ever more steeply near the solution; a straight line would be only a linear rate.")
        }
        return OptimisationFigures.Captions(
            path: "Gradient steps cross the level lines at right angles; a zigzag means a step too long for the narrow direction.",
            gradientNorms: "On a log scale a linear rate is a straight line, steeper the faster it contracts.")
    }
}
