import CourseKit
import Foundation

// Hand-written loops instead of BLAS: every product is spelled out as nested loops over row-major storage.
// The innermost loop always runs over contiguous memory (an "axpy"), so the compiler can vectorise it;
// raw pointers keep bounds checks out of those inner loops.

/// Runs `body` on raw pointers to `a`, `b` and `out` (all non-empty).
@inline(__always)
func withPointers(_ a: [Double], _ b: [Double], _ out: inout [Double],
                  _ body: (UnsafePointer<Double>, UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void) {
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { po in
                body(pa.baseAddress!, pb.baseAddress!, po.baseAddress!)
            }
        }
    }
}

/// Z = A Bᵀ for A (m × k) and B (n × k): Z[r][o] = Σ_i A[r][i] B[o][i].
func loopTimesTransposed(_ a: Matrix, _ b: Matrix) -> Matrix {
    let m = a.rows, k = a.columns, n = b.rows
    precondition(b.columns == k, "A Bᵀ: inner dimensions \(k) and \(b.columns) differ")
    var out = [Double](repeating: 0, count: m * n)
    guard m > 0, n > 0, k > 0 else { return Matrix(rows: m, columns: n, storage: out) }
    // Bᵀ (k × n), so that the inner loop walks along an output row.
    var bt = [Double](repeating: 0, count: k * n)
    for o in 0..<n { for i in 0..<k { bt[i * n + o] = b.storage[o * k + i] } }
    withPointers(a.storage, bt, &out) { A, BT, Z in
        for r in 0..<m {
            for i in 0..<k {
                let x = A[r * k + i]
                if x == 0 { continue } // MNIST inputs are mostly zeros
                for o in 0..<n { Z[r * n + o] += x * BT[i * n + o] }
            }
        }
    }
    return Matrix(rows: m, columns: n, storage: out)
}

/// Dᵀ A for D (m × n) and A (m × k): G[o][i] = Σ_r D[r][o] A[r][i] (n × k).
func loopTransposedTimes(_ d: Matrix, _ a: Matrix) -> Matrix {
    let m = d.rows, n = d.columns, k = a.columns
    precondition(a.rows == m, "Dᵀ A: \(m) and \(a.rows) rows")
    var out = [Double](repeating: 0, count: n * k)
    guard m > 0, n > 0, k > 0 else { return Matrix(rows: n, columns: k, storage: out) }
    withPointers(d.storage, a.storage, &out) { D, A, G in
        for r in 0..<m {
            for o in 0..<n {
                let x = D[r * n + o]
                if x == 0 { continue }
                for i in 0..<k { G[o * k + i] += x * A[r * k + i] }
            }
        }
    }
    return Matrix(rows: n, columns: k, storage: out)
}

/// D W for D (m × n) and W (n × k): P[r][i] = Σ_o D[r][o] W[o][i] (m × k).
func loopTimes(_ d: Matrix, _ w: Matrix) -> Matrix {
    let m = d.rows, n = d.columns, k = w.columns
    precondition(w.rows == n, "D W: inner dimensions \(n) and \(w.rows) differ")
    var out = [Double](repeating: 0, count: m * k)
    guard m > 0, n > 0, k > 0 else { return Matrix(rows: m, columns: k, storage: out) }
    withPointers(d.storage, w.storage, &out) { D, W, P in
        for r in 0..<m {
            for o in 0..<n {
                let x = D[r * n + o]
                if x == 0 { continue }
                for i in 0..<k { P[r * k + i] += x * W[o * k + i] }
            }
        }
    }
    return Matrix(rows: m, columns: k, storage: out)
}

/// Σ over rows, one sum per column.
func loopColumnSums(_ d: Matrix) -> Vector {
    var sums = [Double](repeating: 0, count: d.columns)
    for r in 0..<d.rows { for c in 0..<d.columns { sums[c] += d.storage[r * d.columns + c] } }
    return Vector(sums)
}

/// A ⊙ B.
func loopHadamard(_ a: Matrix, _ b: Matrix) -> Matrix {
    var out = a.storage
    for i in 0..<out.count { out[i] *= b.storage[i] }
    return Matrix(rows: a.rows, columns: a.columns, storage: out)
}

/// σ(t), without overflow for large |t|.
func sigmoidValue(_ t: Double) -> Double {
    if t >= 0 { return 1 / (1 + exp(-t)) }
    let e = exp(t)
    return e / (1 + e)
}
