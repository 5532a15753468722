import CourseKit
import ReferenceEngine
import SubmissionRuntime

/// Practical 1: gradient descent, Armijo, Newton and the perceptron.
public struct Practical1Driver: PracticalDriver {
    public typealias Call = Practical1Call

    /// Creates the driver; practical 1 needs no course data.
    public init(context: DriverContext = DriverContext()) {}

    public static let protocolName = "Practical1"

    public static let calls: [String: Set<CheckKind>] = [
        "numericalGradient": [.gradient, .compare],
        "gradientDescent": [.trajectory, .convergence],
        "armijoStep": [.compare],
        "gradientDescentArmijo": [.trajectory, .convergence],
        "newton": [.trajectory, .convergence],
        "perceptron": [.compare],
        "sigmoidPerceptron": [.compare],
    ]

    public static let problems: [String: Set<String>] = [
        "numericalGradient": ["quadratic", "rosenbrock", "logistic"],
        "gradientDescent": ["quadratic", "logistic"],
        "armijoStep": ["quadratic", "rosenbrock", "logistic"],
        "gradientDescentArmijo": ["quadratic", "rosenbrock", "logistic"],
        "newton": ["quadratic", "rosenbrock", "logistic"],
        "perceptron": ["separable", "overlapping"],
        "sigmoidPerceptron": ["classification"],
    ]

    public func prepareCase(for check: CheckSpec, recipe: CaseRecipe, seed: UInt64, privateSeed: UInt64?) throws -> PreparedCase<Practical1Call> {
        var sampler = RecipeSampler(recipe: recipe, settings: check.settings, seed: seed)
        switch check.call {
        case "perceptron":
            // `overlapping` classes are almost never separable, so every epoch moves the weights: a missing or extra epoch shows.
            let m = try sampler.integer("samples", default: 20), n = try sampler.integer("features", default: 2)
            let separable = recipe.problem == "separable"
            let margin = separable ? try sampler.real("margin", default: 0.1) : 0
            let (x, y) = ProblemFactory.labelledSamples(samples: m, features: n, separable: separable, margin: margin, rng: &sampler.rng)
            let eta = try sampler.real("learningRate", default: 1), epochs = try sampler.integer("epochs", default: 5)
            return PreparedCase(call: .perceptron(inputs: x, labels: y, learningRate: eta, epochs: epochs), facts: ProblemFacts(),
                                inputs: "\(m) \(separable ? "separable" : "overlapping") samples in R^\(n), learningRate \(Feedback.number(eta)), epochs \(epochs)")
        case "sigmoidPerceptron":
            let m = try sampler.integer("samples", default: 40), n = try sampler.integer("features", default: 3)
            let (x, y) = ProblemFactory.labelledSamples(samples: m, features: n, separable: false, margin: 0, rng: &sampler.rng)
            let eta = try sampler.real("learningRate", default: 0.5), iterations = try sampler.integer("iterations", default: 100)
            return PreparedCase(call: .sigmoidPerceptron(inputs: x, labels: y, learningRate: eta, iterations: iterations), facts: ProblemFacts(),
                                inputs: "\(m) samples in R^\(n), learningRate \(Feedback.number(eta)), iterations \(iterations)")
        default:
            break
        }
        var (objective, facts, start) = try makeObjective(recipe.problem, sampler: &sampler)
        // `start: minimizer` starts where the stopping rule already holds: the list must still hold x_0.
        switch try sampler.text("start", default: "random") {
        case "random": break
        case "minimizer":
            guard let minimizer = facts.minimizer else { throw RecipeSampler.ParameterError(description: "start: minimizer needs a problem whose minimiser is known") }
            start = minimizer
        case let other: throw RecipeSampler.ParameterError(description: "unknown start '\(other)'; use random or minimizer")
        }
        let f = objective.objective
        var inputs = "f = \(objective.summary), "
        switch check.call {
        case "numericalGradient":
            let h = try sampler.real("step", default: 1e-5)
            inputs += "x = \(Feedback.vector(start)), h = \(Feedback.number(h))"
            return PreparedCase(call: .numericalGradient(objective: objective, x: start, step: h), facts: facts, inputs: inputs)
        case "gradientDescent":
            let eta = try stepSize(&sampler, facts: facts)
            let tolerance = try sampler.real("tolerance", default: 1e-8), budget = try sampler.integer("maxIterations", default: 200)
            inputs += "x0 = \(Feedback.vector(start)), stepSize = \(Feedback.number(eta)), tolerance = \(Feedback.number(tolerance)), maxIterations = \(budget)"
            return PreparedCase(call: .gradientDescent(objective: objective, x0: start, stepSize: eta, tolerance: tolerance, maxIterations: budget),
                                facts: facts, inputs: inputs)
        case "armijoStep", "gradientDescentArmijo":
            let t0 = try sampler.real("initialStep", default: 1), c = try sampler.real("c", default: 1e-4), rho = try sampler.real("rho", default: 0.5)
            if check.call == "armijoStep" {
                let d = try direction(&sampler, gradient: f.gradient(at: start))
                inputs += "x = \(Feedback.vector(start)), d = \(Feedback.vector(d)), initialStep = \(Feedback.number(t0)), c = \(Feedback.number(c)), rho = \(Feedback.number(rho))"
                return PreparedCase(call: .armijoStep(objective: objective, x: start, direction: d, initialStep: t0, c: c, rho: rho),
                                    facts: facts, inputs: inputs)
            }
            let tolerance = try sampler.real("tolerance", default: 1e-8), budget = try sampler.integer("maxIterations", default: 100)
            inputs += "x0 = \(Feedback.vector(start)), initialStep = \(Feedback.number(t0)), c = \(Feedback.number(c)), rho = \(Feedback.number(rho)), tolerance = \(Feedback.number(tolerance)), maxIterations = \(budget)"
            return PreparedCase(call: .gradientDescentArmijo(objective: objective, x0: start, initialStep: t0, c: c, rho: rho,
                                                             tolerance: tolerance, maxIterations: budget), facts: facts, inputs: inputs)
        case "newton":
            let tolerance = try sampler.real("tolerance", default: 1e-10), budget = try sampler.integer("maxIterations", default: 20)
            inputs += "x0 = \(Feedback.vector(start)), tolerance = \(Feedback.number(tolerance)), maxIterations = \(budget)"
            return PreparedCase(call: .newton(objective: objective, x0: start, tolerance: tolerance, maxIterations: budget), facts: facts, inputs: inputs)
        default:
            throw RecipeSampler.ParameterError(description: "'\(check.call)' is not a Practical1 call")
        }
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

    public func replyBudget(for call: Practical1Call) -> ReplyBudget {
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

    /// The stopping rule an iterative method's call is held to.
    static func stoppingRule(of call: Practical1Call) -> StoppingRule? {
        switch call {
        case let .gradientDescent(objective, _, _, tolerance, maxIterations),
             let .gradientDescentArmijo(objective, _, _, _, _, tolerance, maxIterations),
             let .newton(objective, _, tolerance, maxIterations):
            return StoppingRule(objective: objective.objective, tolerance: tolerance, maxIterations: maxIterations)
        default:
            return nil
        }
    }

    public func referenceAnswer(to call: Practical1Call) -> Answer {
        call.perform(on: ReferencePractical1())
    }

    public func judge(_ answer: Answer, reference: Answer, for prepared: PreparedCase<Practical1Call>, check: CheckSpec,
                      tolerance: Tolerance, disclosure: Disclosure, cpuSeconds: Double?) -> Judgement {
        switch check.kind {
        case .trajectory:
            guard case let .iterates(got) = answer, case let .iterates(expected) = reference else {
                return CompareCheck.judge(answer, reference: reference, tolerance: tolerance, disclosure: disclosure)
            }
            return TrajectoryCheck.judge(got, reference: expected, tolerance: tolerance, disclosure: disclosure, stopping: Self.stoppingRule(of: prepared.call))
        case .compare:
            return CompareCheck.judge(answer, reference: reference, tolerance: tolerance, disclosure: disclosure)
        case .gradient:
            guard case let .numericalGradient(objective, x, h) = prepared.call else { return .fail("not a gradient call") }
            guard case let .vector(numerical) = answer else { return .fail("expected a vector, got \(answer.kindName)") }
            let f = objective.objective
            return GradientCheck.judge(numerical: numerical, analytic: f.gradient(at: x), tolerance: tolerance, disclosure: disclosure,
                                       mistakes: GradientCheck.mistakes(of: { f.value(at: $0) }, at: x, step: h))
        case .training:
            return .fail("practical 1 has no training check")
        case .convergence:
            guard case let .iterates(iterates) = answer else { return .fail("expected a list of iterates, got \(answer.kindName)") }
            switch prepared.call {
            case let .gradientDescent(objective, start, _, tolerance, budget):
                guard let minimizer = prepared.facts.minimizer, let mu = prepared.facts.mu, let l = prepared.facts.smoothness else {
                    return .fail("the contraction check needs a quadratic problem")
                }
                return ConvergenceCheck.contraction(iterates, start: start, objective: objective.objective, minimizer: minimizer, mu: mu, smoothness: l,
                                                    tolerance: tolerance, maxIterations: budget, slack: check.expect["slack"] ?? 1e-6)
            case let .newton(objective, start, _, budget), let .gradientDescentArmijo(objective, start, _, _, _, _, budget):
                return ConvergenceCheck.reaches(iterates, start: start, objective: objective.objective, gradientNorm: check.expect["gradientNorm"] ?? 1e-10,
                                                maxSteps: Int(check.expect["maxSteps"] ?? Double(budget)))
            default:
                return .fail("no convergence rule for '\(check.call)'")
            }
        }
    }
}
