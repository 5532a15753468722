/// The reason a linear system could not be solved.
public enum LinearSolveError: Error, Equatable, CustomStringConvertible {
    /// The matrix is not square or its size does not match the right-hand side.
    case shapeMismatch(rows: Int, columns: Int, rightHandSide: Int)
    /// A pivot was exactly zero (or not finite): the matrix is singular.
    ///
    /// Only an exact zero is detected. A matrix that is singular in exact arithmetic but not after
    /// rounding, such as [[1, 2, 3], [4, 5, 6], [7, 8, 9]], yields a tiny pivot and a meaningless solution.
    case singular(pivotColumn: Int)

    /// A sentence describing the failure.
    public var description: String {
        switch self {
        case let .shapeMismatch(rows, columns, rhs):
            return "cannot solve a \(rows)x\(columns) system with a right-hand side of dimension \(rhs)"
        case let .singular(column):
            return "the matrix is singular (zero pivot in column \(column))"
        }
    }
}

extension Matrix {
    /// Solves the square linear system A x = b, as Newton's method needs for H(x) d = −∇f(x).
    ///
    /// Uses Gaussian elimination with partial pivoting (an LU factorisation, P A = L U),
    /// then forward and back substitution. Cost: O(n³).
    ///
    /// - Throws: `LinearSolveError.singular` when a pivot is exactly zero,
    ///   `LinearSolveError.shapeMismatch` when A is not n×n with b of dimension n.
    public func solve(_ b: Vector) throws -> Vector {
        guard rows == columns, b.count == rows else {
            throw LinearSolveError.shapeMismatch(rows: rows, columns: columns, rightHandSide: b.count)
        }
        let n = rows
        var a = storage
        var x = b.storage
        for k in 0..<n {
            var pivotRow = k
            var pivotMagnitude = Swift.abs(a[k * n + k])
            for i in (k + 1)..<n where Swift.abs(a[i * n + k]) > pivotMagnitude {
                pivotRow = i
                pivotMagnitude = Swift.abs(a[i * n + k])
            }
            guard pivotMagnitude > 0, pivotMagnitude.isFinite else { throw LinearSolveError.singular(pivotColumn: k) }
            if pivotRow != k {
                for j in 0..<n { a.swapAt(k * n + j, pivotRow * n + j) }
                x.swapAt(k, pivotRow)
            }
            let pivot = a[k * n + k]
            for i in (k + 1)..<n {
                let factor = a[i * n + k] / pivot
                if factor == 0 { continue }
                for j in k..<n { a[i * n + j] -= factor * a[k * n + j] }
                x[i] -= factor * x[k]
            }
        }
        for k in stride(from: n - 1, through: 0, by: -1) {
            var sum = x[k]
            for j in (k + 1)..<n { sum -= a[k * n + j] * x[j] }
            x[k] = sum / a[k * n + k]
        }
        return Vector(x)
    }
}
