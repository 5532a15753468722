import CourseKit
import Foundation
import Numerics
import ReferenceEngine
import Testing

/// The reference GAN against PyTorch (see Fixtures/make_cnn_fixtures.py) and against central differences.
@Suite struct AdversarialNetworkTests {
    struct Layer: Decodable { let W: [[Double]], b: [Double] }

    struct GAN: Decodable {
        let real: [[Double]], noise: [[Double]], learningRate: Double
        let generator: [Layer], discriminator: [Layer]
        let discriminatorLoss: Double, generatorLoss: Double
        let generatorGradient: [Layer], discriminatorGradient: [Layer]
        let generatorAfterStep: [Layer], discriminatorAfterStep: [Layer]

        /// Generator tanh → identity, discriminator ReLU → sigmoid, as the script builds them.
        func network(generator: [Layer], discriminator: [Layer]) -> GenerativeAdversarialNetwork {
            GenerativeAdversarialNetwork(
                generator: [DenseLayer(weights: Matrix(generator[0].W), bias: Vector(generator[0].b), activation: .tanh),
                            DenseLayer(weights: Matrix(generator[1].W), bias: Vector(generator[1].b), activation: .identity)],
                discriminator: [DenseLayer(weights: Matrix(discriminator[0].W), bias: Vector(discriminator[0].b), activation: .relu),
                                DenseLayer(weights: Matrix(discriminator[1].W), bias: Vector(discriminator[1].b), activation: .sigmoid)])
        }
    }

    struct Fixtures: Decodable { let gans: [GAN] }

    static let fixtures: Fixtures = {
        let url = Bundle.module.url(forResource: "cnn_fixtures", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url))
    }()

    let reference = ReferencePractical3()

    func close(_ got: [LayerGradient], _ expected: [Layer], _ tolerance: Double = 1e-12) -> Bool {
        got.count == expected.count && zip(got, expected).allSatisfy { g, e in
            zip(g.weights.storage + g.bias.storage, Matrix(e.W).storage + e.b).allSatisfy {
                $0.isApproximatelyEqual(to: $1, absoluteTolerance: tolerance, relativeTolerance: tolerance)
            }
        }
    }

    func close(_ got: [DenseLayer], _ expected: [Layer], _ tolerance: Double = 1e-12) -> Bool {
        close(got.map { LayerGradient(weights: $0.weights, bias: $0.bias) }, expected, tolerance)
    }

    @Test func lossesGradientsAndOneAdamStepMatchPyTorch() {
        #expect(Self.fixtures.gans.count == 2)
        for case_ in Self.fixtures.gans {
            let gan = case_.network(generator: case_.generator, discriminator: case_.discriminator)
            let real = Matrix(case_.real), noise = Matrix(case_.noise)
            #expect(reference.discriminatorLoss(gan, real: real, noise: noise).isApproximatelyEqual(to: case_.discriminatorLoss, relativeTolerance: 1e-13))
            #expect(reference.generatorLoss(gan, noise: noise).isApproximatelyEqual(to: case_.generatorLoss, relativeTolerance: 1e-13))
            let gradients = reference.ganGradients(gan, real: real, noise: noise)
            #expect(close(gradients.discriminator, case_.discriminatorGradient), "∂L_D/∂θ_D")
            #expect(close(gradients.generator, case_.generatorGradient), "∂L_G/∂θ_G through the discriminator")
            let adam = Optimizer.adam(learningRate: case_.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
            let step = reference.ganStep(gan, real: real, noise: noise, optimizer: adam, states: GANOptimizerStates(for: gan))
            #expect(close(step.gan.discriminator, case_.discriminatorAfterStep, 1e-12), "the discriminator after one step")
            #expect(close(step.gan.generator, case_.generatorAfterStep, 1e-12), "the generator after one step, against the updated discriminator")
            #expect(step.states.generator.step == 1 && step.states.discriminator.step == 1)
        }
    }

    @Test func theGradientsAgreeWithCentralDifferencesOfTheLosses() {
        let case_ = Self.fixtures.gans[1]
        let gan = case_.network(generator: case_.generator, discriminator: case_.discriminator)
        let real = Matrix(case_.real), noise = Matrix(case_.noise)
        let gradients = reference.ganGradients(gan, real: real, noise: noise)
        var rng = SeededGenerator(seed: 4)
        let h = 1e-6
        for network in ["generator", "discriminator"] {
            let layers = network == "generator" ? gan.generator : gan.discriminator
            let theta = LayerParameters.flatten(layers)
            let direction = Vector((0..<theta.count).map { _ in rng.nextGaussian() })
            func loss(_ t: Double) -> Double {
                var moved = gan
                let shifted = LayerParameters.unflatten(theta + t * direction, like: layers)
                if network == "generator" { moved.generator = shifted } else { moved.discriminator = shifted }
                return network == "generator" ? reference.generatorLoss(moved, noise: noise) : reference.discriminatorLoss(moved, real: real, noise: noise)
            }
            let numerical = (loss(h) - loss(-h)) / (2 * h)
            let analytic = LayerParameters.flatten(network == "generator" ? gradients.generator : gradients.discriminator).dot(direction)
            #expect(numerical.isApproximatelyEqual(to: analytic, relativeTolerance: 1e-6), "\(network): \(numerical) vs \(analytic)")
        }
    }

    @Test func theLossesStayFiniteWhenTheDiscriminatorIsCertain() {
        // A discriminator whose logit is ±800 would make log σ(s) = log 0 if computed from the probability.
        let gan = GenerativeAdversarialNetwork(
            generator: [DenseLayer(weights: Matrix([[1, 0], [0, 1]]), bias: [0, 0], activation: .identity)],
            discriminator: [DenseLayer(weights: Matrix([[400, 400]]), bias: [0], activation: .sigmoid)])
        let loss = reference.discriminatorLoss(gan, real: Matrix([[1, 1]]), noise: Matrix([[-1, -1]]))
        #expect(loss.isFinite && loss < 1e-300)
        #expect(reference.generatorLoss(gan, noise: Matrix([[-1, -1]])).isApproximatelyEqual(to: 800, relativeTolerance: 1e-12))
        let gradient = LayerParameters.flatten(reference.ganGradients(gan, real: Matrix([[1, 1]]), noise: Matrix([[-1, -1]])).generator)
        #expect(gradient.storage.allSatisfy { $0.isFinite })
    }
}
