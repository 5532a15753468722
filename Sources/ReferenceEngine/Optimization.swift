import CourseKit

/// The instructor's implementation of every `Practical1` requirement.
///
/// Each method follows the formula in the protocol's doc comment literally, so the grader's
/// expected values are the course's definitions, not a library's.
public struct ReferencePractical1: Practical1 {
    /// The most times Armijo backtracking shrinks the step before giving up and returning it.
    public static let maximumBacktracks = 200

    /// Creates the reference.
    public init() {}

    /// g_i = (f(x + h e_i) − f(x − h e_i)) / (2h) for every coordinate i.
    public func numericalGradient(of f: @Sendable (Vector) -> Double, at x: Vector, step h: Double) -> Vector {
        var gradient = Vector.zeros(x.count)
        var probe = x
        for i in 0..<x.count {
            probe[i] = x[i] + h
            let forward = f(probe)
            probe[i] = x[i] - h
            let backward = f(probe)
            probe[i] = x[i]
            gradient[i] = (forward - backward) / (2 * h)
        }
        return gradient
    }

    /// x_{k+1} = x_k − η ∇f(x_k), every iterate returned under the stopping rule.
    public func gradientDescent(on f: any Objective, from x0: Vector, stepSize eta: Double,
                                tolerance: Double, maxIterations: Int) -> [Vector] {
        descend(f, from: x0, tolerance: tolerance, maxIterations: maxIterations) { x, gradient in x - eta * gradient }
    }

    /// The first t in t₀, ρt₀, ρ²t₀, … with f(x + t d) ≤ f(x) + c t ∇f(x)ᵀd.
    ///
    /// Safety bound: after `maximumBacktracks` reductions, t₀ ρ^maximumBacktracks is returned even
    /// if the condition still fails. That happens only when d is not a descent direction or f is
    /// NaN along it (a NaN value never satisfies the condition); the protocol rules both out.
    public func armijoStep(on f: any Objective, at x: Vector, direction d: Vector,
                           initialStep: Double, c: Double, rho: Double) -> Double {
        let value = f.value(at: x)
        let slope = f.gradient(at: x).dot(d)
        var t = initialStep
        var reductions = 0
        while reductions < Self.maximumBacktracks && !(f.value(at: x + t * d) <= value + c * t * slope) {
            t *= rho
            reductions += 1
        }
        return t
    }

    /// x_{k+1} = x_k − t_k ∇f(x_k) with t_k from Armijo backtracking restarted at `initialStep`.
    public func gradientDescentArmijo(on f: any Objective, from x0: Vector, initialStep: Double, c: Double,
                                      rho: Double, tolerance: Double, maxIterations: Int) -> [Vector] {
        descend(f, from: x0, tolerance: tolerance, maxIterations: maxIterations) { x, gradient in
            let direction = -gradient
            let t = armijoStep(on: f, at: x, direction: direction, initialStep: initialStep, c: c, rho: rho)
            return x + t * direction
        }
    }

    /// x_{k+1} = x_k + d_k with ∇²f(x_k) d_k = −∇f(x_k).
    ///
    /// If `Matrix.solve(_:)` throws on ∇²f(x_k) (a zero pivot: the Hessian is singular), there is no
    /// Newton step: the iteration stops and x₀ … x_k are returned.
    public func newton(on f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int) -> [Vector] {
        descend(f, from: x0, tolerance: tolerance, maxIterations: maxIterations) { x, gradient in
            guard let step = try? f.hessian(at: x).solve(-gradient) else { return nil }
            return x + step
        }
    }

    /// The stopping rule shared by the three descent methods.
    ///
    /// Starting from x₀, stops at the first k with ‖∇f(x_k)‖₂ ≤ `tolerance` or k = `maxIterations`,
    /// otherwise appends `step(x_k, ∇f(x_k))`; a nil step also stops.
    private func descend(_ f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int,
                         step: (Vector, Vector) -> Vector?) -> [Vector] {
        var iterates = [x0]
        var x = x0
        for _ in 0..<max(0, maxIterations) {
            let gradient = f.gradient(at: x)
            if gradient.norm <= tolerance { return iterates }
            guard let next = step(x, gradient) else { return iterates }
            x = next
            iterates.append(x)
        }
        return iterates
    }
}
