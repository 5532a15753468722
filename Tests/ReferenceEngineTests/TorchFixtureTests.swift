import CourseKit
import Foundation
import Numerics
import ReferenceEngine
import Testing

/// The reference MLP and optimisers against PyTorch (see Fixtures/make_torch_fixtures.py).
@Suite struct TorchFixtureTests {
    struct Layer: Decodable {
        let W: [[Double]]
        let b: [Double]
    }

    struct Network: Decodable {
        let hidden: String
        let output: String
        let loss: String
        let layers: [Layer]
        let x: [[Double]]
        let y: [[Double]]
        let activations: [[[Double]]]
        let lossValue: Double
        let gradients: [Layer]
    }

    struct Trajectory: Decodable {
        let name: String
        let torchPath: [[Double]]
    }

    struct Fixtures: Decodable {
        let networks: [Network]
        let optimizers: [Trajectory]
        let A: [[Double]]
        let b: [Double]
        let start: [Double]
    }

    static let fixtures: Fixtures = {
        let url = Bundle.module.url(forResource: "torch_fixtures", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url))
    }()

    func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.isApproximatelyEqual(to: $1, absoluteTolerance: tolerance, relativeTolerance: tolerance) }
    }

    static func activation(_ name: String) -> Activation {
        ["tanh": .tanh, "relu": .relu, "sigmoid": .sigmoid, "softmax": .softmax, "identity": .identity][name]!
    }

    @Test func forwardLossAndBackpropagationMatchPyTorchAutograd() {
        let reference = ReferencePractical2()
        #expect(Self.fixtures.networks.count == 3)
        for network in Self.fixtures.networks {
            let layers = network.layers.enumerated().map { index, layer in
                DenseLayer(weights: Matrix(layer.W), bias: Vector(layer.b),
                           activation: index == network.layers.count - 1 ? Self.activation(network.output) : Self.activation(network.hidden))
            }
            let loss: Loss = ["softmaxCrossEntropy": .softmaxCrossEntropy, "mse": .mse, "binaryCrossEntropy": .binaryCrossEntropy][network.loss]!
            let cache = reference.forward(layers, input: Matrix(network.x))
            for (got, expected) in zip(cache.activations, network.activations) {
                #expect(close(got.storage, expected.flatMap { $0 }), "\(network.loss): activations")
            }
            #expect(reference.loss(loss, predictions: cache.output, targets: Matrix(network.y))
                        .isApproximatelyEqual(to: network.lossValue, relativeTolerance: 1e-12), "\(network.loss): loss")
            let gradients = reference.backward(layers, cache: cache, targets: Matrix(network.y), loss: loss)
            for (got, expected) in zip(gradients, network.gradients) {
                #expect(close(got.weights.storage, expected.W.flatMap { $0 }, 1e-10), "\(network.loss): ∂L/∂W")
                #expect(close(got.bias.storage, expected.b, 1e-10), "\(network.loss): ∂L/∂b")
            }
        }
    }

    @Test func theOptimizersMatchTorchOptimUnderTheDocumentedMappings() {
        let reference = ReferencePractical2()
        let quadratic = Quadratic(A: Matrix(Self.fixtures.A), b: Vector(Self.fixtures.b))
        let optimizers: [String: Optimizer] = [
            "adam": .adam(learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8),
            "rmsprop": .rmsprop(learningRate: 0.01, beta: 0.9, epsilon: 1e-8),
            "adagrad": .adagrad(learningRate: 0.5, epsilon: 1e-10),
            "momentum": .momentum(learningRate: 0.05, beta: 0.9),
            "nesterov": .nesterov(learningRate: 0.05, beta: 0.9),
        ]
        #expect(Set(Self.fixtures.optimizers.map(\.name)) == Set(optimizers.keys))
        for fixture in Self.fixtures.optimizers {
            let optimizer = optimizers[fixture.name]!
            var theta = Vector(Self.fixtures.start)
            var state = OptimizerState(dimension: theta.count)
            for (k, expected) in fixture.torchPath.enumerated().dropFirst() {
                (theta, state) = reference.optimizerStep(optimizer, parameters: theta, state: state) { quadratic.gradient(at: $0) }
                // torch's Nesterov iterate is the course's look-ahead point θ − ηβv; every other one is θ itself.
                let comparable = fixture.name == "nesterov" ? theta - (0.05 * 0.9) * state.velocity : theta
                #expect(close(comparable.storage, expected, 1e-11), "\(fixture.name) step \(k)")
            }
        }
    }
}
