import CourseKit

// Small linear-algebra helpers: basis vectors and an explicit inverse built column by column.

/// e_i in ℝⁿ.
func unitVector(_ i: Int, _ n: Int) -> Vector {
    var e = Vector(repeating: 0, count: n)
    e[i] = 1
    return e
}

/// H⁻¹, whose i-th column solves H c_i = e_i; nil when H is singular.
func inverse(of h: Matrix) -> Matrix? {
    let n = h.rows
    var inv = Matrix(rows: n, columns: n)
    for i in 0..<n {
        guard let column = try? h.solve(unitVector(i, n)) else { return nil }
        for r in 0..<n { inv[r, i] = column[r] }
    }
    return inv
}
