import CourseKit
import Foundation

// Style: explicit loops for every elementwise operation, softmax and product; backward written out by hand.

struct Solution: Practical2 {
    func activate(_ z: Matrix, _ activation: Activation) -> Matrix {
        var out = z.storage
        switch activation {
        case .sigmoid:
            for i in 0..<out.count { out[i] = sigmoidValue(out[i]) }
        case .relu:
            for i in 0..<out.count where out[i] < 0 { out[i] = 0 }
        case .tanh:
            for i in 0..<out.count { out[i] = tanh(out[i]) }
        case let .leakyReLU(alpha):
            for i in 0..<out.count where !(out[i] > 0) { out[i] = alpha * out[i] }
        case .identity:
            break
        case .softmax:
            let n = z.columns
            for r in 0..<z.rows {
                // Subtract the row's maximum before exponentiating: e^{1000} overflows.
                // bug: subtracts the row's mean, not its maximum (overflows when a logit exceeds the mean by > 709).
                var largest = 0.0
                for c in 0..<n { largest += out[r * n + c] / Double(n) }
                var total = 0.0
                for c in 0..<n {
                    out[r * n + c] = exp(out[r * n + c] - largest)
                    total += out[r * n + c]
                }
                for c in 0..<n { out[r * n + c] /= total }
            }
        }
        return Matrix(rows: z.rows, columns: z.columns, storage: out)
    }

    func activationDerivative(_ z: Matrix, _ activation: Activation) -> Matrix {
        var out = z.storage
        for i in 0..<out.count {
            let v = out[i]
            switch activation {
            case .sigmoid:
                let s = sigmoidValue(v)
                out[i] = s * (1 - s)
            case .relu:
                out[i] = v > 0 ? 1 : 0
            case .tanh:
                let t = tanh(v)
                out[i] = 1 - t * t
            case let .leakyReLU(alpha):
                out[i] = v > 0 ? 1 : alpha
            case .identity, .softmax:
                // Softmax's derivative is never asked for on its own (it is fused with the cross-entropy).
                out[i] = 1
            }
        }
        return Matrix(rows: z.rows, columns: z.columns, storage: out)
    }

    func loss(_ loss: Loss, predictions: Matrix, targets: Matrix) -> Double {
        let tiny = Double.leastNormalMagnitude
        var total = 0.0
        for r in 0..<predictions.rows {
            var rowTotal = 0.0
            for c in 0..<predictions.columns {
                let p = predictions[r, c], y = targets[r, c]
                switch loss {
                case .mse:
                    rowTotal += 0.5 * (p - y) * (p - y)
                case .binaryCrossEntropy:
                    rowTotal -= y * log(max(p, tiny)) + (1 - y) * log(max(1 - p, tiny))
                case .softmaxCrossEntropy:
                    if y != 0 { rowTotal -= y * log(max(p, tiny)) }
                }
            }
            total += rowTotal
        }
        return total / Double(predictions.rows)
    }

    func lossGradient(_ loss: Loss, predictions: Matrix, targets: Matrix) -> Matrix {
        let m = Double(predictions.rows)
        var out = [Double](repeating: 0, count: predictions.storage.count)
        for i in 0..<out.count {
            let p = predictions.storage[i], y = targets.storage[i]
            switch loss {
            case .mse, .softmaxCrossEntropy:
                out[i] = (p - y) / m
            case .binaryCrossEntropy:
                out[i] = (p - y) / (max(p * (1 - p), .leastNormalMagnitude) * m)
            }
        }
        return Matrix(rows: predictions.rows, columns: predictions.columns, storage: out)
    }

    func forward(_ layers: [DenseLayer], input: Matrix) -> ForwardCache {
        var zs: [Matrix] = []
        var activations: [Matrix] = [input]
        var a = input
        for layer in layers {
            var z = loopTimesTransposed(a, layer.weights)
            for r in 0..<z.rows {
                for c in 0..<z.columns { z.storage[r * z.columns + c] += layer.bias[c] }
            }
            a = activate(z, layer.activation)
            zs.append(z)
            activations.append(a)
        }
        return ForwardCache(preActivations: zs, activations: activations)
    }

    func backward(_ layers: [DenseLayer], cache: ForwardCache, targets: Matrix, loss: Loss) -> [LayerGradient] {
        let last = layers.count - 1
        // δ_L = ∂L/∂Â ⊙ Φ′_L(Z_L), or directly (Â − Y)/m for softmax with cross-entropy.
        var delta = lossGradient(loss, predictions: cache.output, targets: targets)
        if loss != .softmaxCrossEntropy {
            delta = loopHadamard(delta, activationDerivative(cache.preActivations[last], layers[last].activation))
        }
        var gradients: [LayerGradient] = []
        var l = last
        while l >= 0 {
            let gW = loopTransposedTimes(delta, cache.activations[l]) // δ_lᵀ A_{l−1}
            let gb = loopColumnSums(delta)
            gradients.append(LayerGradient(weights: gW, bias: gb))
            if l > 0 {
                // δ_{l−1} = (δ_l W_l) ⊙ Φ′_{l−1}(Z_{l−1})
                delta = loopHadamard(loopTimes(delta, layers[l].weights),
                                     activationDerivative(cache.preActivations[l - 1], layers[l - 1].activation))
            }
            l -= 1
        }
        return gradients.reversed()
    }

    func optimizerStep(_ optimizer: Optimizer, parameters: Vector, state: OptimizerState,
                       gradient: (Vector) -> Vector) -> (parameters: Vector, state: OptimizerState) {
        var theta = parameters.storage
        var velocity = state.velocity.storage, squares = state.squaredGradients.storage
        var first = state.firstMoment.storage, second = state.secondMoment.storage
        let step = state.step + 1
        let n = theta.count
        switch optimizer {
        case let .sgd(eta):
            let g = gradient(parameters).storage
            for i in 0..<n { theta[i] -= eta * g[i] }
        case let .momentum(eta, beta):
            let g = gradient(parameters).storage
            for i in 0..<n {
                velocity[i] = beta * velocity[i] + (1 - beta) * g[i]
                theta[i] -= eta * velocity[i]
            }
        case let .nesterov(eta, beta):
            // The gradient is taken at the look-ahead point θ − η β v.
            var lookAhead = theta
            for i in 0..<n { lookAhead[i] -= eta * beta * velocity[i] }
            let g = gradient(Vector(lookAhead)).storage
            for i in 0..<n {
                velocity[i] = beta * velocity[i] + (1 - beta) * g[i]
                theta[i] -= eta * velocity[i]
            }
        case let .adagrad(eta, epsilon):
            let g = gradient(parameters).storage
            for i in 0..<n {
                squares[i] += g[i] * g[i]
                theta[i] -= eta * g[i] / (squares[i].squareRoot() + epsilon)
            }
        case let .rmsprop(eta, beta, epsilon):
            let g = gradient(parameters).storage
            for i in 0..<n {
                squares[i] = beta * squares[i] + (1 - beta) * g[i] * g[i]
                theta[i] -= eta * g[i] / (squares[i].squareRoot() + epsilon)
            }
        case let .adam(eta, beta1, beta2, epsilon):
            let g = gradient(parameters).storage
            let t = Double(step)
            let correction1 = 1 - pow(beta1, t), correction2 = 1 - pow(beta2, t)
            for i in 0..<n {
                first[i] = beta1 * first[i] + (1 - beta1) * g[i]
                second[i] = beta2 * second[i] + (1 - beta2) * g[i] * g[i]
                let mHat = first[i] / correction1
                let vHat = second[i] / correction2
                theta[i] -= eta * mHat / (vHat.squareRoot() + epsilon)
            }
        }
        var s = state
        s.step = step
        s.velocity = Vector(velocity)
        s.squaredGradients = Vector(squares)
        s.firstMoment = Vector(first)
        s.secondMoment = Vector(second)
        return (Vector(theta), s)
    }

    func miniBatches(count: Int, batchSize: Int, seed: UInt64) -> [[Int]] {
        var generator = SeededGenerator(seed: seed)
        let order = Array(0..<count).shuffled(using: &generator)
        var batches: [[Int]] = []
        var current: [Int] = []
        for index in order {
            current.append(index)
            if current.count == batchSize {
                batches.append(current)
                current = []
            }
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}
