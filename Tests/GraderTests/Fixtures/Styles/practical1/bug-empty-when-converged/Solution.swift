import CourseKit
import Foundation

// Style: convert to [Double] at the door, do all arithmetic by hand, convert back on return.

struct Solution: Practical1 {
    func numericalGradient(of f: @Sendable (Vector) -> Double, at x: Vector, step h: Double) -> Vector {
        let point = x.storage
        var g = [Double](repeating: 0, count: point.count)
        for i in 0..<point.count {
            var plus = point, minus = point
            plus[i] += h
            minus[i] -= h
            g[i] = (f(Vector(plus)) - f(Vector(minus))) / (2 * h)
        }
        return Vector(g)
    }

    func gradientDescent(on f: any Objective, from x0: Vector, stepSize eta: Double,
                         tolerance: Double, maxIterations: Int) -> [Vector] {
        runDescent(f, x0.storage, tolerance, maxIterations) { x, g in axpy(x, -eta, g) }
    }

    func armijoStep(on f: any Objective, at x: Vector, direction d: Vector,
                    initialStep: Double, c: Double, rho: Double) -> Double {
        armijo(f, x.storage, d.storage, initialStep, c, rho)
    }

    private func armijo(_ f: any Objective, _ x: [Double], _ d: [Double], _ t0: Double, _ c: Double, _ rho: Double) -> Double {
        let fx = valueAt(f, x)
        let slope = dotProduct(gradientArray(f, x), d)
        var t = t0
        var shrinks = 0
        while valueAt(f, axpy(x, t, d)) > fx + c * t * slope {
            if shrinks == 200 { break }
            t *= rho
            shrinks += 1
        }
        return t
    }

    func gradientDescentArmijo(on f: any Objective, from x0: Vector, initialStep: Double, c: Double,
                               rho: Double, tolerance: Double, maxIterations: Int) -> [Vector] {
        runDescent(f, x0.storage, tolerance, maxIterations) { x, g in
            let d = g.map { -$0 }
            return axpy(x, armijo(f, x, d, initialStep, c, rho), d)
        }
    }

    func newton(on f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int) -> [Vector] {
        runDescent(f, x0.storage, tolerance, maxIterations) { x, g in
            guard let d = gaussSolve(f.hessian(at: Vector(x)), g.map { -$0 }) else { return nil }
            return axpy(x, 1, d)
        }
    }

    func perceptron(inputs: Matrix, labels: Vector, learningRate: Double, epochs: Int) -> LinearUnit {
        let n = inputs.columns
        let data = inputs.storage
        var w = [Double](repeating: 0, count: n)
        var b = 0.0
        var epoch = 0
        while epoch < epochs {
            for i in 0..<inputs.rows {
                let x = Array(data[(i * n)..<((i + 1) * n)])
                let yHat = dotProduct(w, x) + b >= 0 ? 1.0 : 0.0
                let error = labels[i] - yHat
                w = axpy(w, learningRate * error, x)
                b += learningRate * error
            }
            epoch += 1
        }
        return LinearUnit(weights: Vector(w), bias: b)
    }

    func sigmoidPerceptron(inputs: Matrix, labels: Vector, learningRate: Double, iterations: Int) -> LinearUnit {
        let m = inputs.rows, n = inputs.columns
        let data = inputs.storage
        var w = [Double](repeating: 0, count: n)
        var b = 0.0
        var iteration = 0
        while iteration < iterations {
            var gw = [Double](repeating: 0, count: n)
            var gb = 0.0
            for i in 0..<m {
                var z = b
                for j in 0..<n { z += w[j] * data[i * n + j] }
                let p = z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
                let r = p - labels[i]
                for j in 0..<n { gw[j] += r * data[i * n + j] }
                gb += r
            }
            for j in 0..<n { w[j] -= learningRate * gw[j] / Double(m) }
            b -= learningRate * gb / Double(m)
            iteration += 1
        }
        return LinearUnit(weights: Vector(w), bias: b)
    }
}
