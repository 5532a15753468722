import CourseKit
import Foundation

extension ReferencePractical2 {
    /// One step of the course's optimisers (see `Optimizer` for the formulas).
    public func optimizerStep(_ optimizer: Optimizer, parameters: Vector, state: OptimizerState,
                              gradient: (Vector) -> Vector) -> (parameters: Vector, state: OptimizerState) {
        var theta = parameters.storage
        var next = state
        switch optimizer {
        case let .nesterov(eta, beta):
            let lookAhead = parameters - (eta * beta) * state.velocity
            Self.update(optimizer, parameters: &theta, gradient: gradient(lookAhead).storage, state: &next)
        default:
            Self.update(optimizer, parameters: &theta, gradient: gradient(parameters).storage, state: &next)
        }
        return (Vector(theta), next)
    }

    /// Applies one step of `optimizer` in place, given the gradient (for Nesterov, the look-ahead gradient).
    ///
    /// One pass over raw buffers: no per-element bounds checks or copy-on-write checks in the hot loop.
    static func update(_ optimizer: Optimizer, parameters theta: inout [Double], gradient g: [Double], state: inout OptimizerState) {
        state.step += 1
        precondition(theta.count == g.count && state.velocity.count == theta.count, "optimizer: dimensions differ")
        let count = theta.count
        theta.withUnsafeMutableBufferPointer { theta in
            g.withUnsafeBufferPointer { g in
                switch optimizer {
                case let .sgd(eta):
                    for i in 0..<count { theta[i] -= eta * g[i] }
                case let .momentum(eta, beta), let .nesterov(eta, beta):
                    state.velocity.storage.withUnsafeMutableBufferPointer { v in
                        for i in 0..<count {
                            v[i] = beta * v[i] + (1 - beta) * g[i]
                            theta[i] -= eta * v[i]
                        }
                    }
                case let .adagrad(eta, epsilon):
                    state.squaredGradients.storage.withUnsafeMutableBufferPointer { sum in
                        for i in 0..<count {
                            sum[i] += g[i] * g[i]
                            theta[i] -= eta * g[i] / (sum[i].squareRoot() + epsilon)
                        }
                    }
                case let .rmsprop(eta, beta, epsilon):
                    state.squaredGradients.storage.withUnsafeMutableBufferPointer { average in
                        for i in 0..<count {
                            average[i] = beta * average[i] + (1 - beta) * g[i] * g[i]
                            theta[i] -= eta * g[i] / (average[i].squareRoot() + epsilon)
                        }
                    }
                case let .adam(eta, beta1, beta2, epsilon):
                    let t = Double(state.step)
                    // m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ), with the divisions hoisted out of the loop.
                    let firstScale = 1 / (1 - pow(beta1, t)), secondScale = 1 / (1 - pow(beta2, t))
                    state.firstMoment.storage.withUnsafeMutableBufferPointer { m in
                        state.secondMoment.storage.withUnsafeMutableBufferPointer { v in
                            for i in 0..<count {
                                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                                theta[i] -= eta * (m[i] * firstScale) / ((v[i] * secondScale).squareRoot() + epsilon)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The indices 0..<count shuffled with `SeededGenerator(seed:)`, cut in order into batches of `batchSize`.
    public func miniBatches(count: Int, batchSize: Int, seed: UInt64) -> [[Int]] {
        var rng = SeededGenerator(seed: seed)
        let order = Array(0..<count).shuffled(using: &rng)
        return stride(from: 0, to: count, by: max(1, batchSize)).map { Array(order[$0..<min($0 + batchSize, count)]) }
    }
}
