import CourseKit
import Foundation

struct Solution: Practical1 {
    func numericalGradient(of f: @Sendable (Vector) -> Double, at x: Vector, step h: Double) -> Vector {
        var g = [Double]()
        for i in x.indices {
            var up = x, down = x
            up[i] += h
            down[i] -= h
            g.append((f(up) - f(down)) / (2 * h))
        }
        return Vector(g)
    }

    func gradientDescent(on f: any Objective, from x0: Vector, stepSize eta: Double,
                         tolerance: Double, maxIterations: Int) -> [Vector] {
        iterate(f, from: x0, tolerance: tolerance, maxIterations: maxIterations) { x, g in x - eta * g }
    }

    func armijoStep(on f: any Objective, at x: Vector, direction d: Vector,
                    initialStep: Double, c: Double, rho: Double) -> Double {
        backtrack(f, at: x, direction: d, t0: initialStep, c: c, rho: rho)
    }

    func gradientDescentArmijo(on f: any Objective, from x0: Vector, initialStep: Double, c: Double,
                               rho: Double, tolerance: Double, maxIterations: Int) -> [Vector] {
        iterate(f, from: x0, tolerance: tolerance, maxIterations: maxIterations) { x, g in
            let d = -g
            return x + backtrack(f, at: x, direction: d, t0: initialStep, c: c, rho: rho) * d
        }
    }

    func newton(on f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int) -> [Vector] {
        iterate(f, from: x0, tolerance: tolerance, maxIterations: maxIterations) { x, g in
            guard let d = try? f.hessian(at: x).solve(-g) else { return nil }
            return x + d
        }
    }

    func perceptron(inputs: Matrix, labels: Vector, learningRate: Double, epochs: Int) -> LinearUnit {
        var unit = LinearUnit(weights: .zeros(inputs.columns), bias: 0)
        for _ in 0..<epochs {
            for (i, x) in inputs.rowVectors.enumerated() {
                let predicted: Double = unit.weights.dot(x) + unit.bias >= 0 ? 1 : 0
                let error = labels[i] - predicted
                unit.weights += (learningRate * error) * x
                unit.bias += learningRate * error
            }
        }
        return unit
    }

    func sigmoidPerceptron(inputs: Matrix, labels: Vector, learningRate: Double, iterations: Int) -> LinearUnit {
        let m = Double(inputs.rows)
        var w = Vector.zeros(inputs.columns)
        var b = 0.0
        for _ in 0..<iterations {
            let p = (inputs * w).map { z in 1 / (1 + (-(z + b)).exp) }
            let r = p - labels
            let gw = (inputs.transposed * r) / m
            let gb = r.sum / m
            w -= learningRate * gw
            b -= learningRate * gb
        }
        return LinearUnit(weights: w, bias: b)
    }
}

private extension Double {
    var exp: Double { Foundation.exp(self) }
}
