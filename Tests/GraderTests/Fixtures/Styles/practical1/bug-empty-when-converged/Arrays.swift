import CourseKit
import Foundation

// Arithmetic on plain [Double], written out by hand: no Vector operators.

func dotProduct(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in 0..<a.count { s += a[i] * b[i] }
    return s
}

func euclideanNorm(_ a: [Double]) -> Double {
    var s = 0.0
    for v in a { s += v * v }
    return sqrt(s)
}

/// a + s·b.
func axpy(_ a: [Double], _ s: Double, _ b: [Double]) -> [Double] {
    var out = a
    for i in 0..<a.count { out[i] += s * b[i] }
    return out
}

func gradientArray(_ f: any Objective, _ x: [Double]) -> [Double] { f.gradient(at: Vector(x)).storage }

func valueAt(_ f: any Objective, _ x: [Double]) -> Double { f.value(at: Vector(x)) }

/// Solves A x = b (A n×n, row-major) by Gaussian elimination with partial pivoting; nil when a pivot is zero.
func gaussSolve(_ matrix: Matrix, _ rhs: [Double]) -> [Double]? {
    let n = rhs.count
    var a: [[Double]] = (0..<n).map { r in (0..<n).map { c in matrix[r, c] } }
    var b = rhs
    for col in 0..<n {
        var best = col
        for r in col..<n where abs(a[r][col]) > abs(a[best][col]) { best = r }
        if a[best][col] == 0 || !a[best][col].isFinite { return nil }
        if best != col {
            a.swapAt(best, col)
            b.swapAt(best, col)
        }
        for r in (col + 1)..<n {
            let factor = a[r][col] / a[col][col]
            for c in col..<n { a[r][c] -= factor * a[col][c] }
            b[r] -= factor * b[col]
        }
    }
    var x = [Double](repeating: 0, count: n)
    for r in stride(from: n - 1, through: 0, by: -1) {
        var s = b[r]
        for c in (r + 1)..<n { s -= a[r][c] * x[c] }
        x[r] = s / a[r][r]
    }
    return x
}

/// The stopping rule on plain arrays: x₀ first, then `step` until ‖g‖ ≤ tolerance or k = maxIterations.
func runDescent(_ f: any Objective, _ x0: [Double], _ tolerance: Double, _ maxIterations: Int,
                _ step: ([Double], [Double]) -> [Double]?) -> [Vector] {
    // bug: nothing to do when x0 already meets the tolerance, so no iterate (not even x0) is returned.
    if euclideanNorm(gradientArray(f, x0)) <= tolerance { return [] }
    var path: [[Double]] = [x0]
    var x = x0
    var k = 0
    while k < maxIterations {
        let g = gradientArray(f, x)
        if euclideanNorm(g) <= tolerance { break }
        guard let next = step(x, g) else { break }
        x = next
        path.append(x)
        k += 1
    }
    return path.map { Vector($0) }
}
