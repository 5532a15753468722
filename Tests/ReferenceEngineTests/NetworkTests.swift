import CourseKit
import Numerics
import ReferenceEngine
import Testing

/// The reference MLP: activations, losses, forward and backward against finite differences.
@Suite struct NetworkTests {
    let reference = ReferencePractical2()

    static func network(_ activations: [Activation], sizes: [Int], seed: UInt64) -> [DenseLayer] {
        var rng = SeededGenerator(seed: seed)
        return activations.indices.map { l in
            var layer = DenseLayer.random(inputs: sizes[l], outputs: sizes[l + 1], activation: activations[l], using: &rng)
            layer.bias = rng.gaussianVector(sizes[l + 1], standardDeviation: 0.1)
            return layer
        }
    }

    @Test func softmaxIsStableAndSumsToOne() {
        let logits = Matrix([[1000, 1001, 1002], [-1000, 0, 1000], [1, 2, 3]])
        let p = reference.activate(logits, .softmax)
        #expect(p.storage.allSatisfy { $0.isFinite })
        for row in 0..<3 { #expect(p.row(row).sum.isApproximatelyEqual(to: 1, relativeTolerance: 1e-15)) }
        // Shifting a row does not change its softmax.
        #expect(zip(p.row(0), p.row(2)).allSatisfy { $0.isApproximatelyEqual(to: $1, relativeTolerance: 1e-12) })
        #expect(p[1, 2].isApproximatelyEqual(to: 1, relativeTolerance: 1e-15))
    }

    @Test(arguments: [Activation.sigmoid, .tanh, .relu, .leakyReLU(alpha: 0.1), .identity])
    func derivativesMatchCentralDifferences(activation: Activation) {
        let z = Matrix([[-2.3, -0.7, 0.4], [0.9, 1.7, -1.1]])
        let derivative = reference.activationDerivative(z, activation)
        let h = 1e-6
        for i in 0..<z.storage.count {
            var up = z, down = z
            up.storage[i] += h
            down.storage[i] -= h
            let numerical = (reference.activate(up, activation).storage[i] - reference.activate(down, activation).storage[i]) / (2 * h)
            #expect(numerical.isApproximatelyEqual(to: derivative.storage[i], absoluteTolerance: 1e-8), "\(activation) at \(z.storage[i])")
        }
    }

    @Test func lossesHaveTheCourseValues() {
        let predictions = Matrix([[0.2, 0.8], [0.6, 0.4]])
        let targets = Matrix([[0, 1], [1, 0]])
        // MSE: (1/2)·½(0.04 + 0.04 + 0.16 + 0.16) = 0.1.
        #expect(reference.loss(.mse, predictions: predictions, targets: targets).isApproximatelyEqual(to: 0.1, relativeTolerance: 1e-14))
        // Softmax cross-entropy: −(log 0.8 + log 0.6)/2.
        let expected = -(Double.log(0.8) + .log(0.6)) / 2
        #expect(reference.loss(.softmaxCrossEntropy, predictions: predictions, targets: targets).isApproximatelyEqual(to: expected, relativeTolerance: 1e-14))
        let bce = -(Double.log(0.8) + .log(0.8) + .log(0.6) + .log(0.6)) / 2
        #expect(reference.loss(.binaryCrossEntropy, predictions: predictions, targets: targets).isApproximatelyEqual(to: bce, relativeTolerance: 1e-14))
    }

    /// The loss of `layers` on (x, y) with parameter `index` of layer `l` (weights then bias) moved by `shift`.
    func loss(_ layers: [DenseLayer], _ x: Matrix, _ y: Matrix, _ loss: Loss, layer l: Int, index: Int, shift: Double) -> Double {
        var moved = layers
        if index < moved[l].weights.storage.count {
            moved[l].weights.storage[index] += shift
        } else {
            moved[l].bias[index - moved[l].weights.storage.count] += shift
        }
        return reference.loss(loss, predictions: reference.forward(moved, input: x).output, targets: y)
    }

    @Test(arguments: [
        ([Activation.tanh, .sigmoid], Loss.mse),
        ([Activation.relu, .leakyReLU(alpha: 0.05), .sigmoid], Loss.binaryCrossEntropy),
        ([Activation.tanh, .relu, .softmax], Loss.softmaxCrossEntropy),
    ])
    func backpropagationMatchesFiniteDifferences(activations: [Activation], loss: Loss) {
        let sizes = [4] + Array(repeating: 5, count: activations.count - 1) + [3]
        let layers = Self.network(activations, sizes: sizes, seed: 11)
        var rng = SeededGenerator(seed: 12)
        let x = rng.gaussianMatrix(rows: 6, columns: 4)
        var y = Matrix(rows: 6, columns: 3)
        for row in 0..<6 { y[row, Int(rng.next() % 3)] = 1 }
        if loss == .mse { y = rng.gaussianMatrix(rows: 6, columns: 3, standardDeviation: 0.3).map { 0.5 + $0 } }
        let gradients = reference.backward(layers, cache: reference.forward(layers, input: x), targets: y, loss: loss)
        let h = 1e-6
        var worst = 0.0
        for l in layers.indices {
            let analytic = gradients[l].weights.storage + gradients[l].bias.storage
            for index in analytic.indices {
                let numerical = (self.loss(layers, x, y, loss, layer: l, index: index, shift: h)
                                 - self.loss(layers, x, y, loss, layer: l, index: index, shift: -h)) / (2 * h)
                worst = max(worst, abs(numerical - analytic[index]) / max(abs(numerical), abs(analytic[index]), 1e-3))
            }
        }
        #expect(worst < 1e-5, "worst relative error \(worst)")
    }

    @Test func forwardKeepsEveryLayer() {
        let layers = Self.network([.relu, .softmax], sizes: [3, 4, 2], seed: 3)
        let x = Matrix([[1, 2, 3], [-1, 0, 1]])
        let cache = reference.forward(layers, input: x)
        #expect(cache.activations.count == 3 && cache.preActivations.count == 2)
        #expect(cache.activations[0] == x)
        // Z_1 = X W_1ᵀ + b_1, computed by hand for the first entry.
        let z = (0..<3).reduce(layers[0].bias[0]) { $0 + x[0, $1] * layers[0].weights[0, $1] }
        #expect(cache.preActivations[0][0, 0].isApproximatelyEqual(to: z, relativeTolerance: 1e-14))
        #expect(cache.output.rows == 2 && cache.output.columns == 2)
    }
}
