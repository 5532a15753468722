import CourseKit
import Foundation

struct Solution: Practical1 {
    func numericalGradient(of f: @Sendable (Vector) -> Double, at x: Vector, step h: Double) -> Vector {
        Vector((0..<x.count).map { i in
            let e = Vector.basis(i, count: x.count)
            return (f(x + h * e) - f(x - h * e)) / (2 * h)
        })
    }

    func gradientDescent(on f: any Objective, from x0: Vector, stepSize eta: Double,
                         tolerance: Double, maxIterations: Int) -> [Vector] {
        var xs = [x0]
        for _ in 0..<maxIterations {
            let g = f.gradient(at: xs.last!)
            if g.norm <= tolerance { break }
            xs.append(xs.last! - eta * g)
        }
        return xs
    }

    func armijoStep(on f: any Objective, at x: Vector, direction d: Vector,
                    initialStep: Double, c: Double, rho: Double) -> Double {
        let fx = f.value(at: x)
        let slope = f.gradient(at: x).dot(d)
        var t = initialStep
        // Sufficient decrease: keep shrinking while the new value is above the Armijo line.
        while f.value(at: x + t * d) > fx - c * t * slope {
            t = rho * t
        }
        return t
    }

    func gradientDescentArmijo(on f: any Objective, from x0: Vector, initialStep: Double, c: Double,
                               rho: Double, tolerance: Double, maxIterations: Int) -> [Vector] {
        var xs = [x0]
        for _ in 0..<maxIterations {
            let g = f.gradient(at: xs.last!)
            if g.norm <= tolerance { break }
            let t = armijoStep(on: f, at: xs.last!, direction: -g, initialStep: initialStep, c: c, rho: rho)
            xs.append(xs.last! - t * g)
        }
        return xs
    }

    func newton(on f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int) -> [Vector] {
        var xs = [x0]
        for _ in 0..<maxIterations {
            let x = xs.last!
            let g = f.gradient(at: x)
            if g.norm <= tolerance { break }
            guard let step = try? f.hessian(at: x).solve(g) else { break }
            xs.append(x - step)
        }
        return xs
    }

    func perceptron(inputs: Matrix, labels: Vector, learningRate: Double, epochs: Int) -> LinearUnit {
        var w = Vector.zeros(inputs.columns)
        var b = 0.0
        for _ in 0..<epochs {
            for i in 0..<inputs.rows {
                let x = inputs.row(i)
                let yHat = w.dot(x) + b >= 0 ? 1.0 : 0.0
                w = w + learningRate * (labels[i] - yHat) * x
                b = b + learningRate * (labels[i] - yHat)
            }
        }
        return LinearUnit(weights: w, bias: b)
    }

    func sigmoidPerceptron(inputs: Matrix, labels: Vector, learningRate: Double, iterations: Int) -> LinearUnit {
        var w = Vector.zeros(inputs.columns)
        var b = 0.0
        let m = Double(inputs.rows)
        for _ in 0..<iterations {
            var gw = Vector.zeros(inputs.columns)
            var gb = 0.0
            for i in 0..<inputs.rows {
                let x = inputs.row(i)
                let p = 1 / (1 + exp(-(w.dot(x) + b)))
                gw = gw + (p - labels[i]) * x
                gb += p - labels[i]
            }
            w = w - (learningRate / m) * gw
            b -= learningRate * gb / m
        }
        return LinearUnit(weights: w, bias: b)
    }
}
