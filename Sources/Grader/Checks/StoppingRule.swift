import CourseKit
import Foundation

/// The course's stopping rule — stop at the first k with ‖∇f(x_k)‖₂ ≤ tolerance, or at k = maxIterations —
/// judged on the student's own iterates, with the margin rounding leaves.
///
/// A decision "‖∇f(x_k)‖ ≤ tolerance" made on an iterate known only up to rounding cannot be held against
/// anyone when ‖∇f(x_k)‖ is that close to the tolerance: two correct implementations (an explicit inverse
/// instead of a solve, an algebraically identical rearrangement) compute iterates that differ by the
/// forward error of a backward-stable step, about κ(H)·ε·‖x‖, which moves ∇f by up to ‖H‖ times that.
/// So a student's decision that differs from the reference's is accepted when the student's own
/// ‖∇f(x_k)‖ lies within `roundingMargin(at:)` = `marginFactor` · ε · κ_F(H) · ‖H‖_F · max(‖x‖, 1) of the
/// tolerance (Frobenius norms: an overestimate of κ₂ and ‖H‖₂ by at most the dimension), with H = ∇²f(x).
/// On well-conditioned problems the margin is far below the tolerance, so every real stopping-rule bug
/// (a squared or ∞-norm, a step too many or too few) still fails there.
public struct StoppingRule: Sendable {
    /// The objective whose gradient decides.
    public let objective: any Objective
    /// The tolerance on ‖∇f(x_k)‖₂.
    public let tolerance: Double
    /// The iteration budget.
    public let maxIterations: Int

    /// The factor on ε · κ_F(H) · ‖H‖_F · max(‖x‖, 1) that makes the rounding margin.
    public static let marginFactor = 8.0

    /// Creates the rule.
    public init(objective: any Objective, tolerance: Double, maxIterations: Int) {
        self.objective = objective
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    /// ‖∇f(x)‖₂.
    public func gradientNorm(at x: Vector) -> Double { objective.gradient(at: x).norm }

    /// How far rounding can move ‖∇f‖ at `x` (see the type's documentation); the tolerance itself when the
    /// Hessian there is singular, since then no bound holds.
    public func roundingMargin(at x: Vector) -> Double {
        let hessian = objective.hessian(at: x)
        let n = hessian.rows
        var inverseSquares = 0.0
        for i in 0..<n {
            guard let column = try? hessian.solve(Vector.basis(i, count: n)) else { return tolerance }
            inverseSquares += column.dot(column)
        }
        let norm = hessian.frobeniusNorm
        let margin = Self.marginFactor * Double.ulpOfOne * norm * inverseSquares.squareRoot() * norm * max(x.norm, 1)
        return margin.isFinite ? margin : tolerance
    }

    /// Whether stopping at `x` is consistent with the rule up to rounding: ‖∇f(x)‖ ≤ tolerance + margin.
    public func mayStop(at x: Vector) -> Bool { gradientNorm(at: x) <= tolerance + roundingMargin(at: x) }

    /// Whether continuing from `x` is consistent with the rule up to rounding: ‖∇f(x)‖ ≥ tolerance − margin.
    public func mayContinue(at x: Vector) -> Bool { gradientNorm(at: x) >= tolerance - roundingMargin(at: x) }
}
