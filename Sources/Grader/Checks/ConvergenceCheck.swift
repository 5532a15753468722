import CourseKit
import Foundation
import SubmissionRuntime

extension CheckKind {
    /// Rates and budgets, such as Newton's quadratic convergence or gradient descent's contraction.
    public static let convergence = CheckKind(rawValue: "convergence")
}

/// The `convergence` check: the method converges as theory says it must, whatever the exact iterates.
///
/// Evidence it needs: a `ConvergenceCheck.Rule`, the theorem the case's method and problem fall under.
/// Targets it reads from the check's `expect`: `slack` (contraction, default 10⁻⁶), `gradientNorm`
/// (default 10⁻¹⁰) and `maxSteps` (default the call's budget).
public enum ConvergenceCheck: CheckJudge {
    public static let kind = CheckKind.convergence

    /// The theorem a case is held to.
    public enum Rule: Sendable {
        /// Gradient descent at step 2/(L + μ) on a μ-strongly convex, L-smooth quadratic with minimiser x*,
        /// which must contract and obey the stopping rule (`tolerance`, `maxIterations`).
        case contraction(objective: any Objective, start: Vector, minimizer: Vector, mu: Double, smoothness: Double,
                         tolerance: Double, maxIterations: Int)
        /// A method that must reach the target gradient norm within `maxIterations` steps (Newton's method
        /// on a strongly convex problem, Armijo's backtracking).
        case reaches(objective: any Objective, start: Vector, maxIterations: Int)
    }

    public static func judge(_ answer: Answer, reference: Answer, context: JudgingContext) -> Judgement {
        guard let rule = context.evidence.first(Rule.self) else { return .graderFault("the case has no convergence rule") }
        guard case let .iterates(iterates) = answer else { return .fail("expected a list of iterates, got \(answer.kindName)") }
        let expect = context.check.expect
        switch rule {
        case let .contraction(objective, start, minimizer, mu, smoothness, tolerance, maxIterations):
            return contraction(iterates, start: start, objective: objective, minimizer: minimizer, mu: mu, smoothness: smoothness,
                               tolerance: tolerance, maxIterations: maxIterations, slack: expect["slack"] ?? Tolerance.Fixed.contractionSlack)
        case let .reaches(objective, start, maxIterations):
            return reaches(iterates, start: start, objective: objective, gradientNorm: expect["gradientNorm"] ?? Tolerance.Fixed.convergedGradientNorm,
                           maxSteps: Int(expect["maxSteps"] ?? Double(maxIterations)))
        }
    }

    /// The largest `maxSteps` a spec may set.
    static let maximumSteps = 1_000_000

    public static func expectProblem(_ expect: [String: Double], evidence: CaseEvidence) -> String? {
        if let problem = ExpectTargets.problem(expect, kind: kind, known: ["slack": 0...1, "gradientNorm": Double.leastNonzeroMagnitude...1,
                                                                          "maxSteps": 1...Double(maximumSteps)]) { return problem }
        if let steps = expect["maxSteps"], steps.rounded() != steps { return "expect.maxSteps must be a whole number of steps, not \(Feedback.number(steps))" }
        return nil
    }

    public static func missingEvidence(in evidence: CaseEvidence) -> String? {
        evidence.first(Rule.self) == nil ? "no convergence theorem applies to this problem (gradient descent's contraction needs a quadratic, whose minimiser, μ and L are known)" : nil
    }

    /// Gradient descent at step 2/(L + μ) on a μ-strongly convex, L-smooth quadratic contracts the error:
    /// ‖x_k − x*‖ ≤ ((κ − 1)/(κ + 1))^k ‖x₀ − x*‖ with κ = L/μ, for every k. The iterates must also
    /// obey the stopping rule, so an early stop cannot pass.
    static func contraction(_ iterates: [Vector], start: Vector, objective: any Objective, minimizer: Vector, mu: Double,
                            smoothness: Double, tolerance: Double, maxIterations: Int, slack: Double) -> Judgement {
        if let problem = startsAt(start, iterates) { return problem }
        let x0 = iterates[0]
        let kappa = smoothness / mu
        let rate = (kappa - 1) / (kappa + 1)
        let initial = (x0 - minimizer).norm
        for (k, x) in iterates.enumerated() {
            guard x.count == minimizer.count else { return .fail("x_\(k) has dimension \(x.count), expected \(minimizer.count)") }
            let error = (x - minimizer).norm
            let bound = pow(rate, Double(k)) * initial * (1 + slack) + Tolerance.Fixed.contractionRounding * max(1, minimizer.norm)
            if !(error <= bound) {
                return .fail("‖x_\(k) − x*‖ = \(Feedback.number(error)) exceeds the contraction bound ((κ−1)/(κ+1))^k ‖x_0 − x*‖ = \(Feedback.number(bound)) with κ = \(Feedback.number(kappa)); gradient descent at step 2/(L+μ) must contract at least this fast")
            }
        }
        return stoppingRule(iterates, rule: StoppingRule(objective: objective, tolerance: tolerance, maxIterations: maxIterations))
    }

    /// The method reaches ‖∇f‖ ≤ `gradientNorm` within `maxSteps` steps (as Newton's method does on a strongly convex problem).
    static func reaches(_ iterates: [Vector], start: Vector, objective: any Objective, gradientNorm target: Double, maxSteps: Int) -> Judgement {
        if let problem = startsAt(start, iterates) { return problem }
        let last = iterates[iterates.count - 1]
        let norm = objective.gradient(at: last).norm
        let steps = iterates.count - 1
        if !(norm <= target) {
            return .fail("after \(steps) steps ‖∇f(x_\(steps))‖ = \(Feedback.number(norm)), which is not ≤ \(Feedback.number(target))")
        }
        if steps > maxSteps {
            return .fail("reached ‖∇f‖ ≤ \(Feedback.number(target)) only after \(steps) steps; the method should need at most \(maxSteps)")
        }
        return .pass
    }

    /// A failure when the iterates do not begin with the starting point x₀ (compared exactly: it must be returned as given).
    static func startsAt(_ start: Vector, _ iterates: [Vector]) -> Judgement? {
        guard let first = iterates.first else { return .fail("you returned no iterates; the list must start with x_0") }
        if first.count != start.count || Tolerance(absolute: 0, relative: 0).firstMismatch(first, start) != nil {
            return .fail("the first element of your list is not the starting point x_0: the list must start with x_0, unchanged")
        }
        return nil
    }

    /// The last iterate is where the stopping rule holds (up to rounding), or the iteration budget is spent.
    static func stoppingRule(_ iterates: [Vector], rule: StoppingRule) -> Judgement {
        let last = iterates.count - 1
        if last > rule.maxIterations { return .fail("you returned \(Feedback.count(iterates.count, "iterate")) but maxIterations is \(rule.maxIterations)") }
        if last < rule.maxIterations && !rule.mayStop(at: iterates[last]) {
            return .fail("you stopped at x_\(last) although your ‖∇f(x_\(last))‖ = \(Feedback.number(rule.gradientNorm(at: iterates[last]))) > tolerance \(Feedback.number(rule.tolerance)) and k < maxIterations")
        }
        return .pass
    }
}
