import CourseKit

// Style: sequences, map and reduce instead of explicit loops wherever it reads naturally.

struct Solution: Practical1 {
    func numericalGradient(of f: @Sendable (Vector) -> Double, at x: Vector, step h: Double) -> Vector {
        Vector(x.indices.map { i -> Double in
            let shifted = { (delta: Double) -> Vector in
                Vector(x.enumerated().map { j, value in j == i ? value + delta : value })
            }
            return (f(shifted(h)) - f(shifted(-h))) / (2 * h)
        })
    }

    func gradientDescent(on f: any Objective, from x0: Vector, stepSize eta: Double,
                         tolerance: Double, maxIterations: Int) -> [Vector] {
        descentPath(f, from: x0, tolerance: tolerance, maxIterations: maxIterations) { x, g in x - eta * g }
    }

    func armijoStep(on f: any Objective, at x: Vector, direction d: Vector,
                    initialStep: Double, c: Double, rho: Double) -> Double {
        let fx = f.value(at: x)
        let slope = f.gradient(at: x).dot(d)
        // The candidates t₀, ρt₀, ρ²t₀, … (at most 200 reductions), the first that gives sufficient decrease.
        let candidates = Array(sequence(first: initialStep) { rho * $0 }.prefix(201))
        return candidates.first { t in f.value(at: x + t * d) <= fx + c * t * slope } ?? candidates[candidates.count - 1]
    }

    func gradientDescentArmijo(on f: any Objective, from x0: Vector, initialStep: Double, c: Double,
                               rho: Double, tolerance: Double, maxIterations: Int) -> [Vector] {
        descentPath(f, from: x0, tolerance: tolerance, maxIterations: maxIterations) { x, g in
            let d = -g
            return x + armijoStep(on: f, at: x, direction: d, initialStep: initialStep, c: c, rho: rho) * d
        }
    }

    func newton(on f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int) -> [Vector] {
        descentPath(f, from: x0, tolerance: tolerance, maxIterations: maxIterations) { x, g in
            (try? f.hessian(at: x).solve(-g)).map { x + $0 }
        }
    }

    func perceptron(inputs: Matrix, labels: Vector, learningRate: Double, epochs: Int) -> LinearUnit {
        let n = inputs.columns
        return (0..<max(0, epochs)).reduce(LinearUnit(weights: .zeros(n), bias: 0)) { start, _ in
            var unit = start
            for i in 0..<inputs.rows {
                let score = (0..<n).reduce(unit.bias) { $0 + unit.weights[$1] * inputs[i, $1] }
                let error = labels[i] - (score >= 0 ? 1 : 0)
                for j in 0..<n { unit.weights[j] += learningRate * error * inputs[i, j] }
                unit.bias += learningRate * error
            }
            return unit
        }
    }

    func sigmoidPerceptron(inputs: Matrix, labels: Vector, learningRate: Double, iterations: Int) -> LinearUnit {
        let m = Double(inputs.rows)
        let rows = inputs.rowVectors
        return (0..<max(0, iterations)).reduce(LinearUnit(weights: .zeros(inputs.columns), bias: 0)) { unit, _ in
            let residuals = zip(rows, labels).map { x, y in sigma(unit.weights.dot(x) + unit.bias) - y }
            let gradW = zip(rows, residuals).reduce(Vector.zeros(inputs.columns)) { $0 + $1.1 * $1.0 } / m
            let gradB = residuals.reduce(0, +) / m
            return LinearUnit(weights: unit.weights - learningRate * gradW, bias: unit.bias - learningRate * gradB)
        }
    }
}
