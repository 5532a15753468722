/// A linear unit: weights w and bias b, predicting from w·x + b.
public struct LinearUnit: Sendable, Hashable, Codable {
    /// The weights w, one per input feature.
    public var weights: Vector
    /// The bias b.
    public var bias: Double

    /// Creates a unit with weights `weights` and bias `bias`.
    public init(weights: Vector, bias: Double) {
        self.weights = weights
        self.bias = bias
    }
}

/// Practical 1: gradient descent, Armijo backtracking, Newton's method and the perceptron.
///
/// Implement this protocol in a type named `Solution` (any `.swift` files of your folder,
/// `import CourseKit` at the top of each). The grader calls each requirement on public and
/// hidden cases and compares what you return with its own implementation.
///
/// ## The stopping rule (all three descent methods)
/// Produce iterates x₀, x₁, x₂, … and return **all of them, starting with x₀**. Stop at the
/// first k with ‖∇f(x_k)‖₂ ≤ `tolerance`, or when k = `maxIterations`, whichever comes
/// first; x_k is then the last element. So the result has between 1 and
/// `maxIterations + 1` elements, and x₀ alone is returned when x₀ already satisfies the test.
public protocol Practical1: Sendable {
    /// The central-difference approximation of ∇f(x).
    ///
    /// For each coordinate i, with e_i the i-th basis vector and step h:
    ///
    ///     g_i = ( f(x + h e_i) − f(x − h e_i) ) / (2h)
    ///
    /// The error is O(h²), against O(h) for the one-sided difference (f(x + h e_i) − f(x))/h.
    /// - Parameters:
    ///   - f: the function, which you may only evaluate.
    ///   - x: the point.
    ///   - h: the step, for example 1e-5.
    func numericalGradient(of f: @Sendable (Vector) -> Double, at x: Vector, step h: Double) -> Vector

    /// Gradient descent with a fixed step η: x_{k+1} = x_k − η ∇f(x_k).
    ///
    /// Returns every iterate, x₀ first, under the stopping rule described on the protocol.
    func gradientDescent(on f: any Objective, from x0: Vector, stepSize eta: Double,
                         tolerance: Double, maxIterations: Int) -> [Vector]

    /// Armijo backtracking: the step accepted along a descent direction d at x.
    ///
    /// Start from t = `initialStep`. While the sufficient-decrease (Armijo) condition fails,
    ///
    ///     f(x + t d) > f(x) + c · t · ∇f(x)ᵀ d,
    ///
    /// shrink the step: t ← ρ t. Return the first t that satisfies
    /// f(x + t d) ≤ f(x) + c t ∇f(x)ᵀ d. Here 0 < c < 1 and 0 < ρ < 1, and d is a descent
    /// direction (∇f(x)ᵀ d < 0), so the loop ends.
    func armijoStep(on f: any Objective, at x: Vector, direction d: Vector,
                    initialStep: Double, c: Double, rho: Double) -> Double

    /// Gradient descent with Armijo backtracking.
    ///
    /// At each iterate take d_k = −∇f(x_k), let t_k = `armijoStep(on: f, at: x_k, direction: d_k,
    /// initialStep: initialStep, c: c, rho: rho)` (restarting from `initialStep` every time) and set
    /// x_{k+1} = x_k + t_k d_k. Returns every iterate, x₀ first, under the stopping rule.
    func gradientDescentArmijo(on f: any Objective, from x0: Vector, initialStep: Double, c: Double,
                               rho: Double, tolerance: Double, maxIterations: Int) -> [Vector]

    /// Newton's method: x_{k+1} = x_k + d_k, where d_k solves ∇²f(x_k) d_k = −∇f(x_k).
    ///
    /// Solve the linear system (for example with `Matrix.solve(_:)`); do not step along the
    /// gradient. On a quadratic with positive definite A, one step lands on the minimiser.
    /// Returns every iterate, x₀ first, under the stopping rule.
    func newton(on f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int) -> [Vector]

    /// The perceptron learning rule with the step activation.
    ///
    /// Start from w = 0 and b = 0. For each epoch, visit the samples in the given order; for
    /// sample (x_i, y_i) with y_i ∈ {0, 1}, predict ŷ = H(w·x_i + b), where the step (Heaviside)
    /// function is H(t) = 1 if t ≥ 0 and 0 otherwise, then update
    ///
    ///     w ← w + η (y_i − ŷ) x_i,    b ← b + η (y_i − ŷ).
    ///
    /// - Parameters:
    ///   - inputs: one sample per row.
    ///   - labels: 0 or 1 per sample.
    ///   - learningRate: η > 0.
    ///   - epochs: the number of full passes over the data.
    func perceptron(inputs: Matrix, labels: Vector, learningRate: Double, epochs: Int) -> LinearUnit

    /// A sigmoid perceptron trained by full-batch gradient descent on the binary cross-entropy.
    ///
    /// With p_i = σ(w·x_i + b), σ(t) = 1/(1 + e^{−t}), the loss over the m samples is
    ///
    ///     L(w, b) = −(1/m) Σ_i [ y_i log p_i + (1 − y_i) log(1 − p_i) ],
    ///
    /// whose gradient is ∂L/∂w = (1/m) Σ_i (p_i − y_i) x_i and ∂L/∂b = (1/m) Σ_i (p_i − y_i).
    /// Start from w = 0, b = 0 and take `iterations` steps w ← w − η ∂L/∂w, b ← b − η ∂L/∂b
    /// (both gradients evaluated at the same current (w, b)).
    func sigmoidPerceptron(inputs: Matrix, labels: Vector, learningRate: Double, iterations: Int) -> LinearUnit
}
