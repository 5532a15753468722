import CourseKit

// Descent methods, written as one generic driver that every method feeds with its own step rule.

/// Runs x_{k+1} = next(x_k, g_k) until ||g_k|| <= tolerance or k == maxIterations.
func iterate(_ f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int,
             next: (Vector, Vector) -> Vector?) -> [Vector] {
    var path = [x0]
    var k = 0
    while true {
        let x = path[path.count - 1]
        let g = f.gradient(at: x)
        if g.norm <= tolerance || k == maxIterations { return path }
        guard let y = next(x, g) else { return path }
        path.append(y)
        k += 1
    }
}

func backtrack(_ f: any Objective, at x: Vector, direction d: Vector, t0: Double, c: Double, rho: Double) -> Double {
    let fx = f.value(at: x)
    let slope = f.gradient(at: x).dot(d)
    var t = t0
    var reductions = 0
    while f.value(at: x + t * d) > fx + c * t * slope && reductions < 200 {
        t *= rho
        reductions += 1
    }
    return t
}
