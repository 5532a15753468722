import CourseKit
import Foundation

/// The instructor's implementation of every `Practical2` requirement.
///
/// Each operation's forward and backward sit side by side; batches are rows, products go through
/// BLAS, and elementwise work allocates one array per matrix, never per element.
public struct ReferencePractical2: Practical2 {
    /// Creates the reference.
    public init() {}

    // MARK: Activations

    /// Φ(Z).
    public func activate(_ z: Matrix, _ activation: Activation) -> Matrix {
        switch activation {
        case .sigmoid: return z.map(LogisticLoss.sigmoid)
        case .relu: return z.map { max(0, $0) }
        case .tanh: return z.map { Foundation.tanh($0) }
        case let .leakyReLU(alpha): return z.map { $0 > 0 ? $0 : alpha * $0 }
        case .identity: return z
        case .softmax: return Self.softmaxRows(z)
        }
    }

    /// Φ′(Z); the ReLU derivative at 0 is 0 (a subgradient; see the grading notes on kinks).
    public func activationDerivative(_ z: Matrix, _ activation: Activation) -> Matrix {
        switch activation {
        case .sigmoid: return z.map { let s = LogisticLoss.sigmoid($0); return s * (1 - s) }
        case .relu: return z.map { $0 > 0 ? 1 : 0 }
        case .tanh: return z.map { let t = Foundation.tanh($0); return 1 - t * t }
        case let .leakyReLU(alpha): return z.map { $0 > 0 ? 1 : alpha }
        case .identity: return z.map { _ in 1 }
        case .softmax: preconditionFailure("the softmax derivative is fused with softmax cross-entropy")
        }
    }

    /// Row-wise softmax with each row's maximum subtracted first.
    static func softmaxRows(_ z: Matrix) -> Matrix {
        var out = z.storage
        let n = z.columns
        out.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<z.rows {
                let start = row * n
                var largest = -Double.infinity
                for j in start..<(start + n) { largest = max(largest, buffer[j]) }
                var sum = 0.0
                for j in start..<(start + n) {
                    buffer[j] = exp(buffer[j] - largest)
                    sum += buffer[j]
                }
                for j in start..<(start + n) { buffer[j] /= sum }
            }
        }
        return Matrix(rows: z.rows, columns: n, storage: out)
    }

    // MARK: Losses

    /// L(ŷ, y) averaged over the batch; logarithms are taken of values floored at the smallest normal double.
    public func loss(_ loss: Loss, predictions: Matrix, targets: Matrix) -> Double {
        precondition(predictions.rows == targets.rows && predictions.columns == targets.columns, "loss: shapes differ")
        let m = Double(predictions.rows)
        let tiny = Double.leastNormalMagnitude
        var total = 0.0
        for (p, y) in zip(predictions.storage, targets.storage) {
            switch loss {
            case .mse: total += 0.5 * (y - p) * (y - p)
            case .binaryCrossEntropy: total -= y * log(max(p, tiny)) + (1 - y) * log(max(1 - p, tiny))
            case .softmaxCrossEntropy: total -= y == 0 ? 0 : y * log(max(p, tiny))
            }
        }
        return total / m
    }

    /// ∂L/∂ŷ, or ∂L/∂z for softmax cross-entropy.
    public func lossGradient(_ loss: Loss, predictions: Matrix, targets: Matrix) -> Matrix {
        let m = Double(predictions.rows)
        let storage: [Double]
        switch loss {
        case .mse, .softmaxCrossEntropy:
            storage = zip(predictions.storage, targets.storage).map { ($0 - $1) / m }
        case .binaryCrossEntropy:
            storage = zip(predictions.storage, targets.storage).map { p, y in (p - y) / (max(p * (1 - p), .leastNormalMagnitude) * m) }
        }
        return Matrix(rows: predictions.rows, columns: predictions.columns, storage: storage)
    }

    // MARK: Forward and backward

    /// A_0 = X; Z_l = A_{l−1} W_lᵀ + 1 b_lᵀ; A_l = Φ_l(Z_l).
    public func forward(_ layers: [DenseLayer], input: Matrix) -> ForwardCache {
        var cache = ForwardCache(preActivations: [], activations: [input])
        for layer in layers {
            var z = cache.activations[cache.activations.count - 1].timesTransposed(layer.weights)
            Self.addRowVector(&z, layer.bias)
            cache.preActivations.append(z)
            cache.activations.append(activate(z, layer.activation))
        }
        return cache
    }

    /// δ_L from the loss, δ_l = (δ_{l+1} W_{l+1}) ⊙ Φ′_l(Z_l); ∂L/∂W_l = δ_lᵀ A_{l−1}, ∂L/∂b_l = Σ_rows δ_l.
    public func backward(_ layers: [DenseLayer], cache: ForwardCache, targets: Matrix, loss: Loss) -> [LayerGradient] {
        let last = layers.count - 1
        var delta: Matrix
        if loss == .softmaxCrossEntropy {
            delta = lossGradient(loss, predictions: cache.output, targets: targets)
        } else {
            delta = Self.hadamard(lossGradient(loss, predictions: cache.output, targets: targets),
                                  activationDerivative(cache.preActivations[last], layers[last].activation))
        }
        var gradients = [LayerGradient](repeating: LayerGradient(weights: Matrix(rows: 0, columns: 0), bias: []), count: layers.count)
        for l in stride(from: last, through: 0, by: -1) {
            gradients[l] = LayerGradient(weights: delta.transposedTimes(cache.activations[l]), bias: Self.columnSums(delta))
            if l > 0 {
                delta = Self.hadamard(delta * layers[l].weights, activationDerivative(cache.preActivations[l - 1], layers[l - 1].activation))
            }
        }
        return gradients
    }

    // MARK: Elementwise helpers

    static func addRowVector(_ matrix: inout Matrix, _ row: Vector) {
        let n = matrix.columns
        matrix.storage.withUnsafeMutableBufferPointer { buffer in
            row.storage.withUnsafeBufferPointer { bias in
                for r in 0..<matrix.rows { for j in 0..<n { buffer[r * n + j] += bias[j] } }
            }
        }
    }

    static func hadamard(_ a: Matrix, _ b: Matrix) -> Matrix {
        Matrix(rows: a.rows, columns: a.columns, storage: zip(a.storage, b.storage).map { $0 * $1 })
    }

    static func columnSums(_ matrix: Matrix) -> Vector {
        var sums = [Double](repeating: 0, count: matrix.columns)
        let n = matrix.columns
        matrix.storage.withUnsafeBufferPointer { buffer in
            for r in 0..<matrix.rows { for j in 0..<n { sums[j] += buffer[r * n + j] } }
        }
        return Vector(sums)
    }
}
