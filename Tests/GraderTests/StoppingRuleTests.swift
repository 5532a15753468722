import CourseDrivers
import CourseKit
import Foundation
import ReferenceEngine
import Testing
@testable import Grader

/// The stopping decision judged on the student's own iterates, up to rounding: correct implementations
/// that differ from the reference only by rounding are accepted on every problem, and every real
/// stopping-rule bug still fails, with a message that quotes the student's own iterate.
struct StoppingRuleTests {
    /// The trajectory tolerance of practical 1's spec.
    static let tolerance = Tolerance(absolute: 1e-9, relative: 1e-6)

    /// An iterative method written by a student: `step` from x and ∇f(x) (nil ends the run), the test
    /// `stops(‖∇f‖ as the student computes it)`, and `testAfterStep` for a loop that tests at its end.
    static func student(_ f: any Objective, from x0: Vector, maxIterations: Int, stops: (Vector) -> Bool,
                        step: (Vector, Vector) -> Vector?) -> [Vector] {
        var iterates = [x0]
        var x = x0
        for _ in 0..<maxIterations {
            let g = f.gradient(at: x)
            if stops(g) { break }
            guard let next = step(x, g) else { break }
            x = next
            iterates.append(x)
        }
        return iterates
    }

    /// Newton through an explicit inverse: H⁻¹ formed column by column, then multiplied.
    static func inverseNewtonStep(_ f: any Objective) -> (Vector, Vector) -> Vector? {
        { x, g in
            let h = f.hessian(at: x)
            var inverse = Matrix(rows: h.rows, columns: h.columns)
            for j in 0..<h.columns {
                guard let column = try? h.solve(Vector.basis(j, count: h.columns)) else { return nil }
                for i in 0..<h.rows { inverse[i, j] = column[i] }
            }
            return x - inverse * g
        }
    }

    @Test func newtonThroughAnExplicitInverseIsAcceptedAtEveryConditionNumber() throws {
        var continued = 0
        for seed in UInt64(1)...200 {
            var rng = SeededGenerator(seed: seed)
            let kappa = pow(10, 1 + 3 * rng.nextUniform())
            let (q, _) = ProblemFactory.quadratic(dimension: 2 + Int(rng.next() % 7), condition: kappa, mu: 1, rng: &rng)
            let x0 = rng.gaussianVector(q.dimension, standardDeviation: 2)
            let expected = ReferencePractical1().newton(on: q, from: x0, tolerance: 1e-10, maxIterations: 20)
            let got = Self.student(q, from: x0, maxIterations: 20, stops: { $0.norm <= 1e-10 }, step: Self.inverseNewtonStep(q))
            if got.count != expected.count { continued += 1 }
            let judgement = TrajectoryCheck.judge(got, reference: expected, tolerance: Self.tolerance, disclosure: .full,
                                                  stopping: StoppingRule(objective: q, tolerance: 1e-10, maxIterations: 20))
            #expect(judgement.passed, "seed \(seed), κ \(kappa): \(judgement.message)")
        }
        #expect(continued > 0, "the sweep must contain cases where the inverse decides differently from the solve")
    }

    @Test func armijoWithTheDecreaseRearrangedIsAccepted() throws {
        let loaded = try Practical1Driver.load("practical1", from: TestSupport.course, requireRubric: true)
        let (_, check) = try #require(loaded.spec.allChecks.first { $0.check.id == "gd-armijo-trajectory" })
        let driver = Practical1Driver()
        var differing = 0
        for seed in UInt64(1)...200 {
            let recipes = check.publicCases + (check.hidden?.recipes ?? [])
            let recipe = recipes[Int(seed) % recipes.count]
            let prepared = try driver.prepareCase(for: check, recipe: recipe, seed: seed)
            guard case let .gradientDescentArmijo(objective, x0, t0, c, rho, tol, budget) = prepared.call else { continue }
            let f = objective.objective
            let got = Self.student(f, from: x0, maxIterations: budget, stops: { $0.norm <= tol }) { x, g in
                var t = t0
                let fx = f.value(at: x), slope = -g.dot(g)
                var tries = 0
                while !(f.value(at: x - t * g) - fx <= c * t * slope), tries < 2000 { t *= rho; tries += 1 }
                return x - t * g
            }
            let reference = driver.referenceAnswer(for: prepared)
            if case let .iterates(expected) = reference, expected.count != got.count { differing += 1 }
            let judgement = driver.judge(.iterates(got), reference: reference, for: prepared, check: check,
                                         tolerance: check.effectiveTolerance(loaded.spec.defaults), disclosure: .full)
            #expect(judgement.passed, "seed \(seed): \(judgement.message)")
        }
        print("rearranged Armijo: \(differing) of 200 runs end at another iterate than the reference")
    }

    /// A well-conditioned quadratic and gradient descent at 1/L, where rounding decides nothing near 1e-8.
    static func wellConditioned() -> (Quadratic, Vector, [Vector], StoppingRule, (Vector, Vector) -> Vector?) {
        var rng = SeededGenerator(seed: 42)
        let (q, facts) = ProblemFactory.quadratic(dimension: 4, condition: 10, mu: 1, rng: &rng)
        let x0 = rng.gaussianVector(4, standardDeviation: 2)
        let eta = 1 / facts.smoothness!
        let expected = ReferencePractical1().gradientDescent(on: q, from: x0, stepSize: eta, tolerance: 1e-8, maxIterations: 500)
        return (q, x0, expected, StoppingRule(objective: q, tolerance: 1e-8, maxIterations: 500), { x, g in x - eta * g })
    }

    @Test func realStoppingRuleBugsStillFail() {
        let (q, x0, expected, rule, step) = Self.wellConditioned()
        func judge(_ got: [Vector]) -> Judgement {
            TrajectoryCheck.judge(got, reference: expected, tolerance: Self.tolerance, disclosure: .positionOnly, stopping: rule)
        }
        #expect(judge(Self.student(q, from: x0, maxIterations: 500, stops: { $0.norm <= 1e-8 }, step: step)).passed)

        let squared = judge(Self.student(q, from: x0, maxIterations: 500, stops: { $0.dot($0) <= 1e-8 }, step: step))
        #expect(!squared.passed && squared.message.contains("your ‖∇f(x_") && squared.message.contains("is above the tolerance"), "\(squared.message)")

        let infinityNorm = judge(Self.student(q, from: x0, maxIterations: 500, stops: { $0.normInfinity <= 1e-8 }, step: step))
        #expect(!infinityNorm.passed && infinityNorm.message.contains("is above the tolerance"), "\(infinityNorm.message)")

        let oneMore = judge(expected + [step(expected.last!, q.gradient(at: expected.last!))!])
        #expect(!oneMore.passed && oneMore.message.contains("is below the tolerance, so x_\(expected.count - 1) must be the last iterate"), "\(oneMore.message)")

        let oneFewer = judge(Array(expected.dropLast()))
        #expect(!oneFewer.passed && oneFewer.message.contains("you stopped at x_\(expected.count - 2), where your ‖∇f(x_\(expected.count - 2))‖"), "\(oneFewer.message)")

        let beyondBudget = TrajectoryCheck.judge(expected + Array(repeating: expected.last!, count: 3), reference: expected, tolerance: Self.tolerance,
                                                 disclosure: .full, stopping: StoppingRule(objective: q, tolerance: 1e-8, maxIterations: expected.count))
        #expect(!beyondBudget.passed && beyondBudget.message.contains("more than maxIterations + 1"), "\(beyondBudget.message)")
    }

    @Test func theMarginIsRoundingSizedOnWellConditionedProblemsAndGrowsWithTheCondition() {
        let (q, _, expected, rule, _) = Self.wellConditioned()
        #expect(rule.roundingMargin(at: expected.last!) < 1e-11)
        var rng = SeededGenerator(seed: 3)
        let (hard, facts) = ProblemFactory.quadratic(dimension: 4, condition: 1e4, mu: 1, rng: &rng)
        let margin = StoppingRule(objective: hard, tolerance: 1e-10, maxIterations: 20).roundingMargin(at: facts.minimizer!)
        #expect(margin > 1e-9 && margin < 1e-5, "\(margin)")
        _ = q
    }
}
