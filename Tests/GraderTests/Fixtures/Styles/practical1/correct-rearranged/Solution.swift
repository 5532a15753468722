import CourseKit
import Foundation

// Style: repeat/while loops, the Armijo test written as a difference
// f(x + t d) − f(x) ≤ c t ∇f(x)ᵀd (algebraically the same condition), Newton with Matrix.solve.

struct Solution: Practical1 {
    func numericalGradient(of f: @Sendable (Vector) -> Double, at x: Vector, step h: Double) -> Vector {
        var g = Vector.zeros(x.count)
        var i = 0
        while i < x.count {
            var forward = x
            forward[i] = x[i] + h
            var backward = x
            backward[i] = x[i] - h
            g[i] = (f(forward) - f(backward)) / (2 * h)
            i += 1
        }
        return g
    }

    func gradientDescent(on f: any Objective, from x0: Vector, stepSize eta: Double,
                         tolerance: Double, maxIterations: Int) -> [Vector] {
        var iterates = [x0]
        var x = x0
        var k = 0
        var g = f.gradient(at: x)
        while !(g.norm <= tolerance) && k < maxIterations {
            x = x - eta * g
            iterates.append(x)
            k += 1
            g = f.gradient(at: x)
        }
        return iterates
    }

    func armijoStep(on f: any Objective, at x: Vector, direction d: Vector,
                    initialStep: Double, c: Double, rho: Double) -> Double {
        let fx = f.value(at: x)
        let slope = f.gradient(at: x).dot(d)
        var t = initialStep
        // Sufficient decrease, as a difference: the actual decrease must reach c times the predicted one.
        while !(f.value(at: x + t * d) - fx <= c * t * slope) {
            t = rho * t
        }
        return t
    }

    func gradientDescentArmijo(on f: any Objective, from x0: Vector, initialStep: Double, c: Double,
                               rho: Double, tolerance: Double, maxIterations: Int) -> [Vector] {
        var iterates = [x0]
        var k = 0
        if maxIterations <= 0 { return iterates }
        repeat {
            let x = iterates[k]
            let g = f.gradient(at: x)
            if g.norm <= tolerance { break }
            let d = -g
            let t = armijoStep(on: f, at: x, direction: d, initialStep: initialStep, c: c, rho: rho)
            iterates.append(x + t * d)
            k += 1
        } while k < maxIterations
        return iterates
    }

    func newton(on f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int) -> [Vector] {
        var iterates = [x0]
        var k = 0
        if maxIterations <= 0 { return iterates }
        repeat {
            let x = iterates[k]
            let g = f.gradient(at: x)
            if g.norm <= tolerance { break }
            // ∇²f(x_k) d_k = −∇f(x_k); a singular Hessian has no Newton step, so stop there.
            guard let d = try? f.hessian(at: x).solve(-g) else { break }
            iterates.append(x + d)
            k += 1
        } while k < maxIterations
        return iterates
    }

    func perceptron(inputs: Matrix, labels: Vector, learningRate: Double, epochs: Int) -> LinearUnit {
        var w = Vector.zeros(inputs.columns)
        var b = 0.0
        var epoch = 0
        while epoch < epochs {
            for (x, y) in zip(inputs.rowVectors, labels) {
                let yHat: Double = (w.dot(x) + b >= 0) ? 1 : 0
                w = w + learningRate * (y - yHat) * x
                b = b + learningRate * (y - yHat)
            }
            epoch += 1
        }
        return LinearUnit(weights: w, bias: b)
    }

    func sigmoidPerceptron(inputs: Matrix, labels: Vector, learningRate: Double, iterations: Int) -> LinearUnit {
        var w = Vector.zeros(inputs.columns)
        var b = 0.0
        let m = Double(inputs.rows)
        var k = 0
        while k < iterations {
            let p = (inputs * w).map { z in LogisticLoss.sigmoid(z + b) }
            let residual = p - labels
            let gradW = inputs.transposedTimes(residual) / m
            let gradB = residual.sum / m
            w = w - learningRate * gradW
            b = b - learningRate * gradB
            k += 1
        }
        return LinearUnit(weights: w, bias: b)
    }
}
