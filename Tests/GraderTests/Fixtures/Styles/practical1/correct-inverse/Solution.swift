import CourseKit
import Foundation

// Style: Newton through an explicit inverse of the Hessian, descent loops that test the stopping
// rule at the end of the loop body, and central differences along explicit basis vectors e_i.

struct Solution: Practical1 {
    func numericalGradient(of f: @Sendable (Vector) -> Double, at x: Vector, step h: Double) -> Vector {
        let n = x.count
        var g = Vector(repeating: 0, count: n)
        for i in 0..<n {
            let e = unitVector(i, n)
            g[i] = (f(x + h * e) - f(x - h * e)) / (2 * h)
        }
        return g
    }

    func gradientDescent(on f: any Objective, from x0: Vector, stepSize eta: Double,
                         tolerance: Double, maxIterations: Int) -> [Vector] {
        var xs: [Vector] = [x0]
        var g = f.gradient(at: x0)
        if g.norm <= tolerance || maxIterations <= 0 { return xs }
        var x = x0
        var k = 0
        while true {
            x = x - eta * g
            xs.append(x)
            k += 1
            g = f.gradient(at: x)
            // x_k is the last iterate when it meets the tolerance or when the budget is spent.
            if g.norm <= tolerance || k == maxIterations { break }
        }
        return xs
    }

    func armijoStep(on f: any Objective, at x: Vector, direction d: Vector,
                    initialStep: Double, c: Double, rho: Double) -> Double {
        let f0 = f.value(at: x)
        let derivative = f.gradient(at: x).dot(d)
        var t = initialStep
        for _ in 0..<200 {
            if f.value(at: x + t * d) <= f0 + c * t * derivative { return t }
            t *= rho
        }
        return t
    }

    func gradientDescentArmijo(on f: any Objective, from x0: Vector, initialStep: Double, c: Double,
                               rho: Double, tolerance: Double, maxIterations: Int) -> [Vector] {
        var xs: [Vector] = [x0]
        var g = f.gradient(at: x0)
        if g.norm <= tolerance || maxIterations <= 0 { return xs }
        var x = x0
        var k = 0
        while true {
            let t = armijoStep(on: f, at: x, direction: -g, initialStep: initialStep, c: c, rho: rho)
            x = x - t * g
            xs.append(x)
            k += 1
            g = f.gradient(at: x)
            if g.norm <= tolerance || k == maxIterations { break }
        }
        return xs
    }

    func newton(on f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int) -> [Vector] {
        var xs: [Vector] = [x0]
        var g = f.gradient(at: x0)
        if g.norm <= tolerance || maxIterations <= 0 { return xs }
        var x = x0
        var k = 0
        while true {
            // d = −H⁻¹ ∇f(x), with H⁻¹ formed explicitly; no inverse means no Newton step.
            guard let hInv = inverse(of: f.hessian(at: x)) else { break }
            x = x - hInv * g
            xs.append(x)
            k += 1
            g = f.gradient(at: x)
            if g.norm <= tolerance || k == maxIterations { break }
        }
        return xs
    }

    func perceptron(inputs: Matrix, labels: Vector, learningRate: Double, epochs: Int) -> LinearUnit {
        var unit = LinearUnit(weights: Vector(repeating: 0, count: inputs.columns), bias: 0)
        if epochs <= 0 { return unit }
        for _ in 1...epochs {
            for i in 0..<inputs.rows {
                let x = inputs.row(i)
                let activation = unit.weights.dot(x) + unit.bias
                let prediction = activation >= 0 ? 1.0 : 0.0
                let step = learningRate * (labels[i] - prediction)
                if step != 0 {
                    unit.weights = unit.weights + step * x
                    unit.bias = unit.bias + step
                }
            }
        }
        return unit
    }

    func sigmoidPerceptron(inputs: Matrix, labels: Vector, learningRate: Double, iterations: Int) -> LinearUnit {
        let m = inputs.rows
        var w = Vector(repeating: 0, count: inputs.columns)
        var b = 0.0
        for _ in 0..<max(0, iterations) {
            var gw = Vector(repeating: 0, count: inputs.columns)
            var gb = 0.0
            for i in 0..<m {
                let x = inputs.row(i)
                let p = 1 / (1 + exp(-(w.dot(x) + b)))
                gw = gw + (p - labels[i]) * x
                gb += p - labels[i]
            }
            w = w - (learningRate / Double(m)) * gw
            b = b - (learningRate / Double(m)) * gb
        }
        return LinearUnit(weights: w, bias: b)
    }
}
