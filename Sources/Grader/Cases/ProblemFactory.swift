import CourseKit
import Foundation

/// What the grader knows about a generated problem beyond the objective itself.
public struct ProblemFacts: Sendable, Hashable {
    /// The strong-convexity constant μ (smallest Hessian eigenvalue), when known exactly.
    public var mu: Double?
    /// The smoothness constant L (largest Hessian eigenvalue or a bound on it), when known.
    public var smoothness: Double?
    /// The minimiser, when known in closed form.
    public var minimizer: Vector?

    /// Creates facts.
    public init(mu: Double? = nil, smoothness: Double? = nil, minimizer: Vector? = nil) {
        self.mu = mu
        self.smoothness = smoothness
        self.minimizer = minimizer
    }
}

/// Random problem families for hidden and public cases, drawn from a seeded generator.
package enum ProblemFactory {
    /// A symmetric positive definite quadratic with eigenvalues log-spaced from μ to L = κ μ.
    ///
    /// A = Q diag(λ) Qᵀ with Q orthogonal (Gram–Schmidt on a Gaussian matrix), b Gaussian;
    /// the minimiser x* = A⁻¹ b is returned among the facts.
    package static func quadratic(dimension n: Int, condition kappa: Double, mu: Double, rotated: Bool = true, rng: inout SeededGenerator) -> (Quadratic, ProblemFacts) {
        let q = rotated ? orthogonalMatrix(n, rng: &rng) : Matrix.identity(n)
        let eigenvalues = (0..<n).map { i in mu * pow(kappa, n == 1 ? 0 : Double(i) / Double(n - 1)) }
        var a = q * Matrix.diagonal(Vector(eigenvalues)) * q.transposed
        for i in 0..<n { for j in 0..<i { let s = 0.5 * (a[i, j] + a[j, i]); a[i, j] = s; a[j, i] = s } }
        let b = rng.gaussianVector(n)
        let objective = Quadratic(A: a, b: b, c: 0)
        let minimizer = try? a.solve(b)
        return (objective, ProblemFacts(mu: eigenvalues.first, smoothness: eigenvalues.last, minimizer: minimizer))
    }

    /// An orthogonal n×n matrix: Gram–Schmidt (twice, for stability) on Gaussian columns.
    package static func orthogonalMatrix(_ n: Int, rng: inout SeededGenerator) -> Matrix {
        var columns: [Vector] = []
        while columns.count < n {
            var v = rng.gaussianVector(n)
            for _ in 0..<2 { for u in columns { v -= v.dot(u) * u } }
            let norm = v.norm
            if norm > 1e-8 { columns.append(v / norm) }
        }
        return Matrix(rowVectors: columns).transposed
    }

    /// A logistic-regression loss on Gaussian features with labels drawn from a random true model.
    package static func logistic(samples m: Int, features n: Int, lambda: Double, rng: inout SeededGenerator) -> (LogisticLoss, ProblemFacts) {
        let (x, y) = labelledSamples(samples: m, features: n, separable: false, margin: 0, rng: &rng)
        // L ≤ λ + ‖X‖²_F / (4m), a bound on the largest Hessian eigenvalue.
        let bound = lambda + x.storage.reduce(0) { $0 + $1 * $1 } / (4 * Double(m))
        return (LogisticLoss(X: x, y: y, lambda: lambda), ProblemFacts(mu: lambda > 0 ? lambda : nil, smoothness: bound))
    }

    /// Gaussian samples labelled 0/1 by a random hyperplane: noisily, or exactly with a margin when `separable`.
    package static func labelledSamples(samples m: Int, features n: Int, separable: Bool, margin: Double,
                                rng: inout SeededGenerator) -> (Matrix, Vector) {
        let truth = rng.gaussianVector(n)
        let direction = truth / max(truth.norm, 1e-12)
        let offset = 0.5 * rng.nextGaussian()
        var rows: [Vector] = []
        var labels: [Double] = []
        while rows.count < m {
            let x = rng.gaussianVector(n)
            let score = direction.dot(x) + offset
            if separable {
                if abs(score) < margin { continue }
                labels.append(score > 0 ? 1 : 0)
            } else {
                labels.append(rng.nextUniform() < LogisticLoss.sigmoid(3 * score) ? 1 : 0)
            }
            rows.append(x)
        }
        return (Matrix(rowVectors: rows), Vector(labels))
    }
}
