import CourseKit

/// A problem the grader sends as data, rebuilt in the submission process as a CourseKit objective.
public enum ObjectiveDescription: Codable, Sendable, Hashable {
    /// f(x) = ½ xᵀ A x − bᵀ x + c.
    case quadratic(Quadratic)
    /// The generalised Rosenbrock function.
    case rosenbrock(Rosenbrock)
    /// The regularised logistic-regression loss.
    case logistic(LogisticLoss)

    /// The objective this description stands for.
    public var objective: any Objective {
        switch self {
        case let .quadratic(q): return q
        case let .rosenbrock(r): return r
        case let .logistic(l): return l
        }
    }

    /// A short human description, for feedback, such as "quadratic in ℝ³".
    public var summary: String {
        switch self {
        case let .quadratic(q): return "quadratic in R^\(q.dimension)"
        case let .rosenbrock(r): return "Rosenbrock in R^\(r.dimension) (alpha \(r.alpha), beta \(r.beta))"
        case let .logistic(l): return "logistic loss, \(l.X.rows) samples x \(l.X.columns) features, lambda \(l.lambda)"
        }
    }
}

/// One call of a `Practical1` requirement, with its arguments.
public enum Practical1Call: Codable, Sendable, Hashable {
    /// `numericalGradient(of:at:step:)` on the objective's value.
    case numericalGradient(objective: ObjectiveDescription, x: Vector, step: Double)
    /// `gradientDescent(on:from:stepSize:tolerance:maxIterations:)`.
    case gradientDescent(objective: ObjectiveDescription, x0: Vector, stepSize: Double, tolerance: Double, maxIterations: Int)
    /// `armijoStep(on:at:direction:initialStep:c:rho:)`.
    case armijoStep(objective: ObjectiveDescription, x: Vector, direction: Vector, initialStep: Double, c: Double, rho: Double)
    /// `gradientDescentArmijo(on:from:initialStep:c:rho:tolerance:maxIterations:)`.
    case gradientDescentArmijo(objective: ObjectiveDescription, x0: Vector, initialStep: Double, c: Double, rho: Double,
                               tolerance: Double, maxIterations: Int)
    /// `newton(on:from:tolerance:maxIterations:)`.
    case newton(objective: ObjectiveDescription, x0: Vector, tolerance: Double, maxIterations: Int)
    /// `perceptron(inputs:labels:learningRate:epochs:)`.
    case perceptron(inputs: Matrix, labels: Vector, learningRate: Double, epochs: Int)
    /// `sigmoidPerceptron(inputs:labels:learningRate:iterations:)`.
    case sigmoidPerceptron(inputs: Matrix, labels: Vector, learningRate: Double, iterations: Int)

    /// The requirement's name, as assignment specs spell it in `call:`.
    public var name: String {
        switch self {
        case .numericalGradient: return "numericalGradient"
        case .gradientDescent: return "gradientDescent"
        case .armijoStep: return "armijoStep"
        case .gradientDescentArmijo: return "gradientDescentArmijo"
        case .newton: return "newton"
        case .perceptron: return "perceptron"
        case .sigmoidPerceptron: return "sigmoidPerceptron"
        }
    }

    /// Runs this call on `solution` and wraps what it returns.
    public func perform(on solution: some Practical1) -> Answer {
        switch self {
        case let .numericalGradient(objective, x, step):
            let f = objective.objective
            return .vector(solution.numericalGradient(of: { f.value(at: $0) }, at: x, step: step))
        case let .gradientDescent(objective, x0, stepSize, tolerance, maxIterations):
            return .iterates(solution.gradientDescent(on: objective.objective, from: x0, stepSize: stepSize,
                                                      tolerance: tolerance, maxIterations: maxIterations))
        case let .armijoStep(objective, x, direction, initialStep, c, rho):
            return .scalar(solution.armijoStep(on: objective.objective, at: x, direction: direction,
                                               initialStep: initialStep, c: c, rho: rho))
        case let .gradientDescentArmijo(objective, x0, initialStep, c, rho, tolerance, maxIterations):
            return .iterates(solution.gradientDescentArmijo(on: objective.objective, from: x0, initialStep: initialStep,
                                                            c: c, rho: rho, tolerance: tolerance, maxIterations: maxIterations))
        case let .newton(objective, x0, tolerance, maxIterations):
            return .iterates(solution.newton(on: objective.objective, from: x0, tolerance: tolerance, maxIterations: maxIterations))
        case let .perceptron(inputs, labels, learningRate, epochs):
            return .linearUnit(solution.perceptron(inputs: inputs, labels: labels, learningRate: learningRate, epochs: epochs))
        case let .sigmoidPerceptron(inputs, labels, learningRate, iterations):
            return .linearUnit(solution.sigmoidPerceptron(inputs: inputs, labels: labels, learningRate: learningRate,
                                                          iterations: iterations))
        }
    }
}

extension Practical1Call: ServedCall {
    /// A practical-1 call is answered by the student's `Practical1`.
    public func answer(with solution: any Practical1) -> Answer { perform(on: solution) }
}
