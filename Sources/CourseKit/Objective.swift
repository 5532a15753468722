import Foundation

/// A twice-differentiable function f: ℝⁿ → ℝ to minimise.
///
/// - `value(at:)` is f(x);
/// - `gradient(at:)` is ∇f(x), the vector of partial derivatives ∂f/∂x_i;
/// - `hessian(at:)` is ∇²f(x), the n×n matrix of second derivatives ∂²f/∂x_i∂x_j.
///
/// A point x* is a stationary point when ∇f(x*) = 0; it is a strict local minimum when,
/// in addition, ∇²f(x*) is positive definite.
public protocol Objective: Sendable {
    /// The dimension n of the input space.
    var dimension: Int { get }
    /// f(x).
    func value(at x: Vector) -> Double
    /// ∇f(x).
    func gradient(at x: Vector) -> Vector
    /// ∇²f(x).
    func hessian(at x: Vector) -> Matrix
}

/// The quadratic f(x) = ½ xᵀ A x − bᵀ x + c with A symmetric.
///
/// ∇f(x) = A x − b and ∇²f(x) = A. When A is positive definite the unique minimiser is
/// x* = A⁻¹ b; with eigenvalues μ = λ_min and L = λ_max, gradient descent with step η
/// converges for 0 < η < 2/L, fastest at η = 2/(L + μ).
public struct Quadratic: Objective, Codable, Hashable {
    /// The symmetric matrix A.
    public var A: Matrix
    /// The linear term b.
    public var b: Vector
    /// The constant c.
    public var c: Double

    /// Creates f(x) = ½ xᵀ A x − bᵀ x + c.
    public init(A: Matrix, b: Vector, c: Double = 0) {
        precondition(A.rows == A.columns && A.rows == b.count, "Quadratic: A must be n×n with b of dimension n")
        self.A = A
        self.b = b
        self.c = c
    }

    /// n, the size of A.
    public var dimension: Int { b.count }
    /// ½ xᵀ A x − bᵀ x + c.
    public func value(at x: Vector) -> Double { 0.5 * x.dot(A * x) - b.dot(x) + c }
    /// A x − b.
    public func gradient(at x: Vector) -> Vector { A * x - b }
    /// A.
    public func hessian(at x: Vector) -> Matrix { A }
}

/// The generalised Rosenbrock function f(x) = Σ_{i<n−1} [ β (x_{i+1} − x_i²)² + (α − x_i)² ].
///
/// With α = 1 and β = 100 (the classic choice, as in SciPy's `rosen`) its global minimum is
/// x* = (1, …, 1) with f(x*) = 0, at the bottom of a long curved valley that makes
/// gradient descent slow.
public struct Rosenbrock: Objective, Codable, Hashable {
    /// The dimension n ≥ 2.
    public var dimension: Int
    /// α, the location of the minimum along each coordinate.
    public var alpha: Double
    /// β, the steepness of the valley walls.
    public var beta: Double

    /// Creates the n-dimensional Rosenbrock function with parameters α and β.
    public init(dimension: Int, alpha: Double = 1, beta: Double = 100) {
        precondition(dimension >= 2, "Rosenbrock: dimension must be at least 2")
        self.dimension = dimension
        self.alpha = alpha
        self.beta = beta
    }

    /// Σ β (x_{i+1} − x_i²)² + (α − x_i)².
    public func value(at x: Vector) -> Double {
        var sum = 0.0
        for i in 0..<(dimension - 1) {
            let valley = x[i + 1] - x[i] * x[i]
            let offset = alpha - x[i]
            sum += beta * valley * valley + offset * offset
        }
        return sum
    }

    /// ∂f/∂x_i = −4β x_i (x_{i+1} − x_i²) − 2(α − x_i) + 2β (x_i − x_{i−1}²), with absent terms dropped.
    public func gradient(at x: Vector) -> Vector {
        var g = Vector.zeros(dimension)
        for i in 0..<(dimension - 1) {
            let valley = x[i + 1] - x[i] * x[i]
            g[i] += -4 * beta * x[i] * valley - 2 * (alpha - x[i])
            g[i + 1] += 2 * beta * valley
        }
        return g
    }

    /// The tridiagonal Hessian of the sum.
    public func hessian(at x: Vector) -> Matrix {
        var h = Matrix(rows: dimension, columns: dimension)
        for i in 0..<(dimension - 1) {
            h[i, i] += 12 * beta * x[i] * x[i] - 4 * beta * x[i + 1] + 2
            h[i + 1, i + 1] += 2 * beta
            h[i, i + 1] += -4 * beta * x[i]
            h[i + 1, i] += -4 * beta * x[i]
        }
        return h
    }
}

/// The L2-regularised logistic-regression loss f(w) = (1/m) Σ_i [ log(1 + e^{z_i}) − y_i z_i ] + (λ/2) ‖w‖²,
/// where z = X w, the rows of X are the m samples and y_i ∈ {0, 1}.
///
/// ∇f(w) = (1/m) Xᵀ (σ(z) − y) + λ w and ∇²f(w) = (1/m) Xᵀ diag(σ(z) ⊙ (1 − σ(z))) X + λ I,
/// with σ(t) = 1/(1 + e^{−t}). For λ > 0 the loss is λ-strongly convex.
public struct LogisticLoss: Objective, Codable, Hashable {
    /// The m×n design matrix, one sample per row.
    public var X: Matrix
    /// The m labels, each 0 or 1.
    public var y: Vector
    /// The regularisation weight λ ≥ 0.
    public var lambda: Double

    /// Creates the regularised logistic loss for samples `X`, labels `y` and weight `lambda`.
    public init(X: Matrix, y: Vector, lambda: Double) {
        precondition(X.rows == y.count, "LogisticLoss: X has \(X.rows) rows but y has \(y.count) labels")
        self.X = X
        self.y = y
        self.lambda = lambda
    }

    /// n, the number of features.
    public var dimension: Int { X.columns }

    /// The logistic function σ(t) = 1/(1 + e^{−t}), evaluated without overflow.
    public static func sigmoid(_ t: Double) -> Double {
        t >= 0 ? 1 / (1 + exp(-t)) : exp(t) / (1 + exp(t))
    }

    /// log(1 + e^t) evaluated without overflow.
    static func softplus(_ t: Double) -> Double { t > 0 ? t + log1p(exp(-t)) : log1p(exp(t)) }

    /// (1/m) Σ [log(1 + e^{z_i}) − y_i z_i] + (λ/2)‖w‖².
    public func value(at w: Vector) -> Double {
        let z = X * w
        var sum = 0.0
        for i in 0..<z.count { sum += LogisticLoss.softplus(z[i]) - y[i] * z[i] }
        return sum / Double(X.rows) + 0.5 * lambda * w.dot(w)
    }

    /// (1/m) Xᵀ(σ(Xw) − y) + λ w.
    public func gradient(at w: Vector) -> Vector {
        let residual = (X * w).map(LogisticLoss.sigmoid) - y
        return (1 / Double(X.rows)) * (X.transposed * residual) + lambda * w
    }

    /// (1/m) Xᵀ diag(σ(1 − σ)) X + λ I.
    public func hessian(at w: Vector) -> Matrix {
        let p = (X * w).map(LogisticLoss.sigmoid)
        var h = Matrix(rows: dimension, columns: dimension)
        for i in 0..<X.rows {
            let weight = p[i] * (1 - p[i]) / Double(X.rows)
            for r in 0..<dimension {
                let xr = X[i, r] * weight
                for c in 0..<dimension { h[r, c] += xr * X[i, c] }
            }
        }
        for r in 0..<dimension { h[r, r] += lambda }
        return h
    }
}
