import CourseKit
import Grader
import ReferenceEngine
import SubmissionRuntime

/// Practical 1: gradient descent, Armijo, Newton and the perceptron.
public struct Practical1Driver: PracticalDriver {
    public typealias Rules = Practical1Rules

    /// Creates the driver; practical 1 needs no course data.
    public init(context: DriverContext = DriverContext()) {}

    public static let callTable = Practical1Rules.callTable(Practical1Driver.self, preparing: drawing)

    /// How each call's cases are drawn.
    private static let drawing: [String: CaseDrawing<Practical1Driver>] = [
        "numericalGradient": { driver, sampler, request in
            let (objective, _, start, summary) = try driver.objectiveCase(&sampler, request)
            let h = try sampler.real("step", default: 1e-5)
            return PreparedCase(call: .numericalGradient(objective: objective, x: start, step: h),
                                inputs: summary + "x = \(Feedback.vector(start)), h = \(Feedback.number(h))",
                                evidence: [GradientCheck.NumericalGradient(objective: objective.objective, x: start, step: h)])
        },
        "gradientDescent": { driver, sampler, request in
            let (objective, facts, start, summary) = try driver.objectiveCase(&sampler, request)
            let eta = try driver.stepSize(&sampler, facts: facts)
            let tolerance = try sampler.real("tolerance", default: 1e-8), budget = try sampler.integer("maxIterations", default: 200)
            var evidence: [any Sendable] = [StoppingRule(objective: objective.objective, tolerance: tolerance, maxIterations: budget)]
            if let minimizer = facts.minimizer, let mu = facts.mu, let l = facts.smoothness {
                evidence.append(ConvergenceCheck.Rule.contraction(objective: objective.objective, start: start, minimizer: minimizer, mu: mu, smoothness: l,
                                                                  tolerance: tolerance, maxIterations: budget))
            }
            return PreparedCase(call: .gradientDescent(objective: objective, x0: start, stepSize: eta, tolerance: tolerance, maxIterations: budget),
                                inputs: summary + "x0 = \(Feedback.vector(start)), stepSize = \(Feedback.number(eta)), tolerance = \(Feedback.number(tolerance)), maxIterations = \(budget)",
                                evidence: evidence)
        },
        "armijoStep": { driver, sampler, request in
            let (objective, _, start, summary) = try driver.objectiveCase(&sampler, request)
            let (t0, c, rho) = try Self.armijoParameters(&sampler)
            let d = try driver.direction(&sampler, gradient: objective.objective.gradient(at: start))
            return PreparedCase(call: .armijoStep(objective: objective, x: start, direction: d, initialStep: t0, c: c, rho: rho),
                                inputs: summary + "x = \(Feedback.vector(start)), d = \(Feedback.vector(d)), initialStep = \(Feedback.number(t0)), c = \(Feedback.number(c)), rho = \(Feedback.number(rho))")
        },
        "gradientDescentArmijo": { driver, sampler, request in
            let (objective, _, start, summary) = try driver.objectiveCase(&sampler, request)
            let (t0, c, rho) = try Self.armijoParameters(&sampler)
            let tolerance = try sampler.real("tolerance", default: 1e-8), budget = try sampler.integer("maxIterations", default: 100)
            return PreparedCase(call: .gradientDescentArmijo(objective: objective, x0: start, initialStep: t0, c: c, rho: rho, tolerance: tolerance, maxIterations: budget),
                                inputs: summary + "x0 = \(Feedback.vector(start)), initialStep = \(Feedback.number(t0)), c = \(Feedback.number(c)), rho = \(Feedback.number(rho)), tolerance = \(Feedback.number(tolerance)), maxIterations = \(budget)",
                                evidence: [StoppingRule(objective: objective.objective, tolerance: tolerance, maxIterations: budget),
                                           ConvergenceCheck.Rule.reaches(objective: objective.objective, start: start, maxIterations: budget)])
        },
        "newton": { driver, sampler, request in
            let (objective, _, start, summary) = try driver.objectiveCase(&sampler, request)
            let tolerance = try sampler.real("tolerance", default: 1e-10), budget = try sampler.integer("maxIterations", default: 20)
            return PreparedCase(call: .newton(objective: objective, x0: start, tolerance: tolerance, maxIterations: budget),
                                inputs: summary + "x0 = \(Feedback.vector(start)), tolerance = \(Feedback.number(tolerance)), maxIterations = \(budget)",
                                evidence: [StoppingRule(objective: objective.objective, tolerance: tolerance, maxIterations: budget),
                                           ConvergenceCheck.Rule.reaches(objective: objective.objective, start: start, maxIterations: budget)])
        },
        "perceptron": { _, sampler, request in
            // `overlapping` classes are almost never separable, so every epoch moves the weights: a missing or extra epoch shows.
            let m = try sampler.integer("samples", default: 20), n = try sampler.integer("features", default: 2)
            let separable = request.recipe.problem == "separable"
            let margin = separable ? try sampler.real("margin", default: 0.1) : 0
            let (x, y) = ProblemFactory.labelledSamples(samples: m, features: n, separable: separable, margin: margin, rng: &sampler.rng)
            let eta = try sampler.real("learningRate", default: 1), epochs = try sampler.integer("epochs", default: 5)
            return PreparedCase(call: .perceptron(inputs: x, labels: y, learningRate: eta, epochs: epochs),
                                inputs: "\(m) \(separable ? "separable" : "overlapping") samples in R^\(n), learningRate \(Feedback.number(eta)), epochs \(epochs)")
        },
        "sigmoidPerceptron": { _, sampler, _ in
            let m = try sampler.integer("samples", default: 40), n = try sampler.integer("features", default: 3)
            let (x, y) = ProblemFactory.labelledSamples(samples: m, features: n, separable: false, margin: 0, rng: &sampler.rng)
            let eta = try sampler.real("learningRate", default: 0.5), iterations = try sampler.integer("iterations", default: 100)
            return PreparedCase(call: .sigmoidPerceptron(inputs: x, labels: y, learningRate: eta, iterations: iterations),
                                inputs: "\(m) samples in R^\(n), learningRate \(Feedback.number(eta)), iterations \(iterations)")
        },
    ]

    /// The objective of an optimisation case, what is known about it, its start, and "f = …, " for its inputs.
    /// `start: minimizer` starts where the stopping rule already holds: the list must still hold x_0.
    private func objectiveCase(_ sampler: inout RecipeSampler, _ request: CaseRequest) throws -> (ObjectiveDescription, ProblemFacts, Vector, String) {
        var (objective, facts, start) = try makeObjective(request.recipe.problem, sampler: &sampler)
        switch try sampler.text("start", default: "random") {
        case "random": break
        case "minimizer":
            guard let minimizer = facts.minimizer else { throw RecipeSampler.ParameterError(description: "start: minimizer needs a problem whose minimiser is known") }
            start = minimizer
        case let other: throw RecipeSampler.ParameterError(description: "unknown start '\(other)'; use random or minimizer")
        }
        return (objective, facts, start, "f = \(objective.summary), ")
    }

    /// Armijo's initial step, sufficient-decrease constant c and backtracking factor ρ.
    private static func armijoParameters(_ sampler: inout RecipeSampler) throws -> (Double, Double, Double) {
        (try sampler.real("initialStep", default: 1), try sampler.real("c", default: 1e-4), try sampler.real("rho", default: 0.5))
    }

    /// The objective a recipe names, what is known about it, and a starting point.
    private func makeObjective(_ problem: String, sampler: inout RecipeSampler) throws -> (ObjectiveDescription, ProblemFacts, Vector) {
        switch problem {
        case "quadratic":
            let n = try sampler.integer("dimension", default: 3), kappa = try sampler.real("condition", default: 10)
            let mu = try sampler.real("mu", default: 1)
            let (q, facts) = ProblemFactory.quadratic(dimension: n, condition: kappa, mu: mu, rng: &sampler.rng)
            return (.quadratic(q), facts, sampler.rng.gaussianVector(n, standardDeviation: try sampler.real("spread", default: 2)))
        case "rosenbrock":
            let n = try sampler.integer("dimension", default: 2), beta = try sampler.real("beta", default: 100)
            let spread = try sampler.real("spread", default: 0.3)
            let start = Vector(repeating: 1, count: n) + sampler.rng.gaussianVector(n, standardDeviation: spread)
            return (.rosenbrock(Rosenbrock(dimension: n, alpha: 1, beta: beta)), ProblemFacts(minimizer: Vector(repeating: 1, count: n)), start)
        case "logistic":
            let m = try sampler.integer("samples", default: 30), n = try sampler.integer("features", default: 3)
            let lambda = try sampler.real("lambda", default: 0.1)
            let (loss, facts) = ProblemFactory.logistic(samples: m, features: n, lambda: lambda, rng: &sampler.rng)
            return (.logistic(loss), facts, sampler.rng.gaussianVector(n, standardDeviation: try sampler.real("spread", default: 1)))
        default:
            throw RecipeSampler.ParameterError(description: "unknown problem '\(problem)'")
        }
    }

    /// The fixed step: `stepSize` when given, else `stepRule` "1/L" (default) or "2/(L+mu)".
    private func stepSize(_ sampler: inout RecipeSampler, facts: ProblemFacts) throws -> Double {
        let explicit = try sampler.real("stepSize", default: .nan)
        if !explicit.isNaN { return explicit }
        guard let l = facts.smoothness else { throw RecipeSampler.ParameterError(description: "this problem needs an explicit stepSize") }
        switch try sampler.text("stepRule", default: "1/L") {
        case "1/L": return 1 / l
        case "2/(L+mu)":
            guard let mu = facts.mu else { throw RecipeSampler.ParameterError(description: "stepRule 2/(L+mu) needs a strongly convex problem") }
            return 2 / (l + mu)
        case let other: throw RecipeSampler.ParameterError(description: "unknown stepRule '\(other)'; use 1/L or 2/(L+mu)")
        }
    }

    /// The search direction: steepest descent −g, or with `direction: perturbed` a random descent direction.
    private func direction(_ sampler: inout RecipeSampler, gradient g: Vector) throws -> Vector {
        let steepest = -g
        guard try sampler.text("direction", default: "steepest") == "perturbed" else { return steepest }
        let noise = sampler.rng.gaussianVector(g.count)
        let candidate = steepest + (0.5 * g.norm / max(noise.norm, 1e-12)) * noise
        return candidate.dot(g) < 0 ? candidate : steepest
    }

    public func referenceAnswer(to call: Practical1Call) -> Answer {
        call.perform(on: ReferencePractical1())
    }
}
