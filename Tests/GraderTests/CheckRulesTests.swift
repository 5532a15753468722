import CourseKit
import Foundation
import Testing
@testable import Grader

/// The tolerance rule and each check kind's verdicts and messages.
@Suite struct CheckRulesTests {
    let tolerance = Tolerance(absolute: 1e-9, relative: 1e-6)

    @Test func theToleranceRuleIsAbsoluteOrRelativeToTheScale() {
        #expect(tolerance.accepts(1.0 + 9e-7, 1.0, scale: 1))
        #expect(!tolerance.accepts(1.0 + 2e-6, 1.0, scale: 1))
        #expect(tolerance.accepts(5e-10, 0, scale: 0))
        #expect(!tolerance.accepts(5e-9, 0, scale: 0))
        // A tiny coordinate is judged at the vector's scale.
        #expect(tolerance.firstMismatch([1000, 1e-12], [1000, 5e-4]) == nil)
        #expect(tolerance.firstMismatch([1000, 1e-12], [1000, 2e-3])?.index == 1)
        #expect(!tolerance.accepts(.nan, .nan, scale: 1))
        #expect(tolerance.accepts(.infinity, .infinity, scale: 1))
        #expect(!tolerance.accepts(.infinity, 1e308, scale: 1e308))
    }

    @Test func trajectoryNamesTheFirstDifferingIterate() {
        let reference: [Vector] = [[0, 0], [1, 1], [1.5, 1.5], [1.75, 1.75]]
        #expect(TrajectoryCheck.judge(reference, reference: reference, tolerance: tolerance, disclosure: .full) == .pass)
        var wrong = reference
        wrong[2] = [1.5, 1.6]
        let judgement = TrajectoryCheck.judge(wrong, reference: reference, tolerance: tolerance, disclosure: .full)
        #expect(!judgement.passed)
        #expect(judgement.message.hasPrefix("iterates agree up to x_1; x_2 differs at coordinate 1: expected [1.5, 1.5], got [1.5, 1.6]"))
        let hidden = TrajectoryCheck.judge(wrong, reference: reference, tolerance: tolerance, disclosure: .positionOnly)
        #expect(hidden.message == "iterates agree up to x_1; x_2 differs at coordinate 1, off by 0.1 (allowed 1.6e-06)")
        #expect(TrajectoryCheck.judge(Array(reference.dropFirst()), reference: reference, tolerance: tolerance, disclosure: .full).message
                    == "your first iterate is x_1, not x_0: the list must start with the starting point x_0")
        #expect(TrajectoryCheck.judge(Array(reference.prefix(2)), reference: reference, tolerance: tolerance, disclosure: .full).message
                    .hasPrefix("you returned 2 iterates, expected 4: you stopped at x_1"))
        #expect(TrajectoryCheck.judge(reference + [[2, 2]], reference: reference, tolerance: tolerance, disclosure: .full).message
                    .hasPrefix("you returned 5 iterates, expected 4: x_3 must be the last"))
        #expect(TrajectoryCheck.judge([reference[3]], reference: reference, tolerance: tolerance, disclosure: .full).message
                    == "you returned only the last iterate: return every iterate x_0, x_1, …, starting with x_0")
        #expect(TrajectoryCheck.judge([], reference: reference, tolerance: tolerance, disclosure: .full).message
                    == "you returned no iterates; the list must start with x_0")
    }

    @Test func gradientCheckReportsTheWorstCoordinate() {
        let check = Tolerance(absolute: 1e-7, relative: 1e-7)
        #expect(GradientCheck.judge(numerical: [1 + 1e-9, 200], analytic: [1, 200], tolerance: check, disclosure: .full) == .pass)
        let off = GradientCheck.judge(numerical: [1.00001, 200.01], analytic: [1, 200], tolerance: check, disclosure: .positionOnly)
        #expect(!off.passed)
        #expect(off.message == "worst coordinate 1: relative error 4.999750012e-05, allowed 1e-07", "an answer matching no known mistake gets no hint")
        let nan = GradientCheck.judge(numerical: [.nan, 0], analytic: [1, 0], tolerance: check, disclosure: .full)
        #expect(nan.message.hasPrefix("worst coordinate 0: relative error inf"))
    }

    /// Hints name the mistake only when the answer is that mistake: each is tested on the bug it targets
    /// and on one it must not fire for.
    @Test func gradientHintsNameOnlyTheMistakeTheAnswerIs() {
        let check = Tolerance(absolute: 1e-7, relative: 1e-7)
        let f = Rosenbrock(dimension: 3, alpha: 1, beta: 100)
        let x: Vector = [0.3, -0.2, 0.9], h = 1e-5
        let value = { (v: Vector) in f.value(at: v) }
        let mistakes = GradientCheck.mistakes(of: value, at: x, step: h)
        func judge(_ numerical: Vector) -> Judgement {
            GradientCheck.judge(numerical: numerical, analytic: f.gradient(at: x), tolerance: check, disclosure: .positionOnly, mistakes: mistakes)
        }
        func student(_ entry: (inout Vector, Int) -> Double) -> Vector {
            var probe = x
            return Vector((0..<x.count).map { entry(&probe, $0) })
        }
        let oneSided = judge(student { p, i in p[i] = x[i] + h; let up = value(p); p[i] = x[i]; return (up - value(p)) / h })
        #expect(oneSided.message.contains("Your values match the one-sided difference (f(x+h e_i) − f(x))/h"), "\(oneSided.message)")
        let overH = judge(student { p, i in p[i] = x[i] + h; let up = value(p); p[i] = x[i] - h; let down = value(p); p[i] = x[i]; return (up - down) / h })
        #expect(overH.message.contains("Your values match the central difference divided by h instead of 2h"), "\(overH.message)")
        // The probe is moved but never put back: a different bug, which no hint must claim.
        let notRestored = judge(student { p, i in p[i] = x[i] + h; let up = value(p); p[i] = x[i] - h; let down = value(p); return (up - down) / (2 * h) })
        #expect(!notRestored.passed && !notRestored.message.contains("Your values match"), "\(notRestored.message)")
        let right = judge(student { p, i in p[i] = x[i] + h; let up = value(p); p[i] = x[i] - h; let down = value(p); p[i] = x[i]; return (up - down) / (2 * h) })
        #expect(right.passed)
    }

    @Test func backpropagationScaleHintsStateTheFactorAndNameACauseOnlyWhenItIsOne() {
        var rng = SeededGenerator(seed: 9)
        let reference = [LayerGradient(weights: rng.gaussianMatrix(rows: 3, columns: 4), bias: rng.gaussianVector(3))]
        func scaled(_ k: Double) -> [LayerGradient] { reference.map { LayerGradient(weights: k * $0.weights, bias: k * $0.bias) } }
        #expect(BackpropagationCheck.scaleHint(scaled(8), reference, batchSize: 8, loss: .softmaxCrossEntropy)
                == "every entry of your gradients is 8 times the reference's, and 8 is the batch size: average the loss over the batch (divide by m) exactly once")
        #expect(BackpropagationCheck.scaleHint(scaled(0.125), reference, batchSize: 8, loss: .mse)
                == "every entry of your gradients is 1/8 of the reference's, and 8 is the batch size: you divide by m twice")
        // MSE without its ½: a factor 2 that is not the batch size.
        let mse = BackpropagationCheck.scaleHint(scaled(2), reference, batchSize: 8, loss: .mse)
        #expect(mse?.contains("no factor 2") == true && mse?.contains("divide by m") == false)
        #expect(BackpropagationCheck.scaleHint(scaled(2), reference, batchSize: 8, loss: .softmaxCrossEntropy) == "every entry of your gradients is 2 times the reference's")
        var skewed = scaled(8)
        skewed[0].bias[0] *= 1.5
        #expect(BackpropagationCheck.scaleHint(skewed, reference, batchSize: 8, loss: .mse) == nil, "not proportional: no hint")
        #expect(BackpropagationCheck.scaleHint(scaled(1.37), reference, batchSize: 8, loss: .mse) == nil)
    }

    @Test func contractionHoldsForGradientDescentAndFailsForAnEarlyStop() throws {
        var rng = SeededGenerator(seed: 7)
        let (q, facts) = ProblemFactory.quadratic(dimension: 4, condition: 20, mu: 1, rng: &rng)
        let eta = 2 / (facts.smoothness! + facts.mu!)
        var x = Vector([3, -1, 2, 0.5])
        var iterates = [x]
        for _ in 0..<300 {
            if q.gradient(at: x).norm <= 1e-9 { break }
            x = x - eta * q.gradient(at: x)
            iterates.append(x)
        }
        let ok = ConvergenceCheck.contraction(iterates, start: iterates[0], objective: q, minimizer: facts.minimizer!, mu: facts.mu!,
                                              smoothness: facts.smoothness!, tolerance: 1e-9, maxIterations: 300, slack: 1e-6)
        #expect(ok == .pass)
        let early = ConvergenceCheck.contraction(Array(iterates.prefix(3)), start: iterates[0], objective: q, minimizer: facts.minimizer!,
                                                 mu: facts.mu!, smoothness: facts.smoothness!, tolerance: 1e-9, maxIterations: 300, slack: 1e-6)
        #expect(early.message.hasPrefix("you stopped at x_2 although"))
        // Half the optimal step contracts more slowly than (κ−1)/(κ+1): the bound is violated.
        var slow = [iterates[0]]
        for _ in 0..<20 { slow.append(slow.last! - (eta / 4) * q.gradient(at: slow.last!)) }
        let tooSlow = ConvergenceCheck.contraction(slow, start: slow[0], objective: q, minimizer: facts.minimizer!, mu: facts.mu!,
                                                   smoothness: facts.smoothness!, tolerance: 1e-9, maxIterations: 20, slack: 1e-6)
        #expect(tooSlow.message.contains("exceeds the contraction bound"))
        let shifted = ConvergenceCheck.contraction(Array(iterates.dropFirst()), start: iterates[0], objective: q, minimizer: facts.minimizer!,
                                                   mu: facts.mu!, smoothness: facts.smoothness!, tolerance: 1e-9, maxIterations: 300, slack: 1e-6)
        #expect(shifted.message.hasPrefix("the first element of your list is not the starting point x_0"))
    }

    @Test func newtonConvergenceNeedsTheTargetWithinTheBudget() {
        let q = Quadratic(A: Matrix([[2, 0], [0, 4]]), b: [2, 4])
        #expect(ConvergenceCheck.reaches([[0, 0], [1, 1]], start: [0, 0], objective: q, gradientNorm: 1e-10, maxSteps: 1) == .pass)
        #expect(ConvergenceCheck.reaches([[0, 0], [0.5, 0.5]], start: [0, 0], objective: q, gradientNorm: 1e-10, maxSteps: 5).message
                    .hasPrefix("after 1 steps ‖∇f(x_1)‖ = "))
        #expect(ConvergenceCheck.reaches([[0, 0], [0.5, 0.5], [1, 1]], start: [0, 0], objective: q, gradientNorm: 1e-10, maxSteps: 1).message
                    == "reached ‖∇f‖ ≤ 1e-10 only after 2 steps; the method should need at most 1")
    }

    @Test func generatedQuadraticsHaveTheRequestedSpectrum() throws {
        var rng = SeededGenerator(seed: 3)
        let (q, facts) = ProblemFactory.quadratic(dimension: 5, condition: 1000, mu: 1, rng: &rng)
        #expect(facts.mu == 1)
        #expect(abs(facts.smoothness! - 1000) < 1e-9)
        // A is symmetric and A x* = b.
        #expect(Tolerance(absolute: 0, relative: 0).firstMismatch(Vector(q.A.storage), Vector(q.A.transposed.storage)) == nil)
        #expect(Tolerance(absolute: 1e-9, relative: 1e-9).firstMismatch(q.A * facts.minimizer!, q.b) == nil)
        // The Rayleigh quotient of random vectors lies within [μ, L].
        for _ in 0..<20 {
            let v = rng.gaussianVector(5)
            let r = v.dot(q.A * v) / v.dot(v)
            #expect(r >= 1 - 1e-9 && r <= 1000 + 1e-6)
        }
    }
}

/// The one scoring formula: a check's case points add up to its points, whatever the rule and the credits.
struct CaseScoringTests {
    @Test func casePointsAddUpToTheCheckAndNeverExceedTheirShare() {
        let credits: [Double] = [1, 0.5, 0, 1]
        let proportional = CreditRule.proportional.casePoints(credits: credits, available: 3.5)
        #expect(proportional == [0.875, 0.4375, 0, 0.875])
        let total: Double = proportional.reduce(0, +)
        #expect(abs(total - 2.1875) < 1e-12, "3.5 points × 2.5 credits of 4 cases")
        #expect(CreditRule.allOrNothing.casePoints(credits: credits, available: 2) == [0, 0, 0, 0])
        #expect(CreditRule.allOrNothing.casePoints(credits: [1, 1], available: 2) == [1, 1])
        #expect(CreditRule.proportional.casePoints(credits: [], available: 2).isEmpty)
        #expect(CreditRule.proportional.casePoints(credits: [7, -1], available: 2) == [1, 0], "credits are held to 0…1")
    }

    @Test func aGradedReportsCasePointsAddUpToEachCheck() throws {
        let grader = try TestSupport.practical1Grader()
        let report = grader.grade(TestSupport.submission("farid", files: TestSupport.sampleFiles("farid")))
        for check in report.checks {
            let points: Double = check.cases.map(\.points).reduce(0, +)
            let available: Double = check.cases.map(\.maxPoints).reduce(0, +)
            let withinShare = check.cases.allSatisfy { $0.points <= $0.maxPoints + 1e-12 }
            #expect(abs(points - check.points) < 1e-12, "\(check.checkID)")
            #expect(abs(available - check.maxPoints) < 1e-12, "\(check.checkID)")
            #expect(withinShare)
        }
        #expect(report.points == 15.5)
    }
}
