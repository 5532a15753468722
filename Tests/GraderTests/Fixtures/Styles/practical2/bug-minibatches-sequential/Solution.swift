import CourseKit
import Foundation

// Style: whole-matrix operations (BLAS products through CourseKit), with the products arranged differently
// from the formulas' literal order: Z = (W Aᵀ)ᵀ, ∂L/∂W = (Aᵀ δ)ᵀ, column sums as δᵀ 1, and vectorised optimisers.

struct Solution: Practical2 {
    func activate(_ z: Matrix, _ activation: Activation) -> Matrix {
        switch activation {
        case .sigmoid: return z.map(LogisticLoss.sigmoid)
        case .relu: return z.map { Swift.max($0, 0) }
        case .tanh: return z.map(Foundation.tanh)
        case let .leakyReLU(alpha): return z.map { $0 > 0 ? $0 : alpha * $0 }
        case .identity: return z
        case .softmax:
            // Shift every row by its maximum (a rank-one update: Z − m 1ᵀ), exponentiate, divide by row sums.
            let rowMax = Vector(z.rowVectors.map { $0.storage.max() ?? 0 })
            let shifted = z - Matrix.outer(rowMax, Vector(repeating: 1, count: z.columns))
            let e = shifted.map(Foundation.exp)
            let sums = e * Vector(repeating: 1, count: z.columns)
            return Matrix.diagonal(sums.map { 1 / $0 }) * e
        }
    }

    func activationDerivative(_ z: Matrix, _ activation: Activation) -> Matrix {
        switch activation {
        case .sigmoid:
            let s = z.map(LogisticLoss.sigmoid)
            return hadamard(s, s.map { 1 - $0 })
        case .relu: return z.map { $0 > 0 ? 1 : 0 }
        case .tanh:
            let t = z.map(Foundation.tanh)
            return hadamard(t, t).map { 1 - $0 }
        case let .leakyReLU(alpha): return z.map { $0 > 0 ? 1 : alpha }
        case .identity, .softmax: return z.map { _ in 1 }
        }
    }

    func loss(_ loss: Loss, predictions: Matrix, targets: Matrix) -> Double {
        let m = Double(predictions.rows)
        let tiny = Double.leastNormalMagnitude
        switch loss {
        case .mse:
            let r = predictions - targets
            return 0.5 * Vector(r.storage).dot(Vector(r.storage)) / m
        case .binaryCrossEntropy:
            let logP = predictions.map { log(Swift.max($0, tiny)) }
            let logQ = predictions.map { log(Swift.max(1 - $0, tiny)) }
            let y = Vector(targets.storage)
            return -(y.dot(Vector(logP.storage)) + y.map { 1 - $0 }.dot(Vector(logQ.storage))) / m
        case .softmaxCrossEntropy:
            // Only the targets' nonzero entries contribute (0 · log 0 is taken as 0).
            let logP = predictions.map { log(Swift.max($0, tiny)) }
            var total = 0.0
            for (y, l) in zip(targets.storage, logP.storage) where y != 0 { total += y * l }
            return -total / m
        }
    }

    func lossGradient(_ loss: Loss, predictions: Matrix, targets: Matrix) -> Matrix {
        let m = Double(predictions.rows)
        switch loss {
        case .mse, .softmaxCrossEntropy:
            return (1 / m) * (predictions - targets)
        case .binaryCrossEntropy:
            let denominator = predictions.map { Swift.max($0 * (1 - $0), .leastNormalMagnitude) * m }
            return Matrix(rows: predictions.rows, columns: predictions.columns,
                          storage: zip((predictions - targets).storage, denominator.storage).map { $0 / $1 })
        }
    }

    func forward(_ layers: [DenseLayer], input: Matrix) -> ForwardCache {
        layers.reduce(ForwardCache(preActivations: [], activations: [input])) { cache, layer in
            // (W Aᵀ)ᵀ = A Wᵀ, plus the bias on every row (1 bᵀ as an outer product).
            let z = layer.weights.timesTransposed(cache.output).transposed
                + Matrix.outer(Vector(repeating: 1, count: cache.output.rows), layer.bias)
            return ForwardCache(preActivations: cache.preActivations + [z],
                                activations: cache.activations + [activate(z, layer.activation)])
        }
    }

    func backward(_ layers: [DenseLayer], cache: ForwardCache, targets: Matrix, loss: Loss) -> [LayerGradient] {
        let depth = layers.count
        var delta = lossGradient(loss, predictions: cache.output, targets: targets)
        if loss != .softmaxCrossEntropy {
            delta = hadamard(delta, activationDerivative(cache.preActivations[depth - 1], layers[depth - 1].activation))
        }
        var gradients = [LayerGradient?](repeating: nil, count: depth)
        for l in (0..<depth).reversed() {
            let a = cache.activations[l]
            // ∂L/∂W = δᵀ A, computed as (Aᵀ δ)ᵀ; ∂L/∂b = δᵀ 1.
            gradients[l] = LayerGradient(weights: a.transposedTimes(delta).transposed,
                                         bias: delta.transposedTimes(Vector(repeating: 1, count: delta.rows)))
            if l > 0 {
                delta = hadamard(delta * layers[l].weights, activationDerivative(cache.preActivations[l - 1], layers[l - 1].activation))
            }
        }
        return gradients.map { $0! }
    }

    func optimizerStep(_ optimizer: Optimizer, parameters: Vector, state: OptimizerState,
                       gradient: (Vector) -> Vector) -> (parameters: Vector, state: OptimizerState) {
        var s = state
        s.step += 1
        func scaled(_ g: Vector, by accumulated: Vector, _ epsilon: Double) -> Vector {
            Vector(zip(g, accumulated).map { $0 / ($1.squareRoot() + epsilon) })
        }
        switch optimizer {
        case let .sgd(eta):
            return (parameters - eta * gradient(parameters), s)
        case let .momentum(eta, beta):
            s.velocity = beta * state.velocity + (1 - beta) * gradient(parameters)
            return (parameters - eta * s.velocity, s)
        case let .nesterov(eta, beta):
            let lookAhead = parameters - eta * (beta * state.velocity)
            s.velocity = beta * state.velocity + (1 - beta) * gradient(lookAhead)
            return (parameters - eta * s.velocity, s)
        case let .adagrad(eta, epsilon):
            let g = gradient(parameters)
            s.squaredGradients = state.squaredGradients + g.hadamard(g)
            return (parameters - eta * scaled(g, by: s.squaredGradients, epsilon), s)
        case let .rmsprop(eta, beta, epsilon):
            let g = gradient(parameters)
            s.squaredGradients = beta * state.squaredGradients + (1 - beta) * g.hadamard(g)
            return (parameters - eta * scaled(g, by: s.squaredGradients, epsilon), s)
        case let .adam(eta, beta1, beta2, epsilon):
            let g = gradient(parameters)
            s.firstMoment = beta1 * state.firstMoment + (1 - beta1) * g
            s.secondMoment = beta2 * state.secondMoment + (1 - beta2) * g.hadamard(g)
            let t = Double(s.step)
            let mHat = s.firstMoment / (1 - pow(beta1, t))
            let vHat = s.secondMoment / (1 - pow(beta2, t))
            return (parameters - eta * scaled(mHat, by: vHat, epsilon), s)
        }
    }

    func miniBatches(count: Int, batchSize: Int, seed: UInt64) -> [[Int]] {
        // bug: the seed is ignored and the indices are never shuffled (batches in order 0, 1, 2, …).
        let order = Array(0..<count)
        return stride(from: 0, to: count, by: batchSize).map { Array(order[$0..<Swift.min($0 + batchSize, count)]) }
    }
}

/// A ⊙ B.
func hadamard(_ a: Matrix, _ b: Matrix) -> Matrix {
    Matrix(rows: a.rows, columns: a.columns, storage: zip(a.storage, b.storage).map(*))
}
