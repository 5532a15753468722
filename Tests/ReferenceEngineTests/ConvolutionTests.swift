import CourseKit
import Foundation
import Numerics
import ReferenceEngine
import Testing

/// The reference's convolutional layers against PyTorch (see Fixtures/make_cnn_fixtures.py), against
/// central differences of their own forward passes, and on small cases worked by hand.
@Suite struct ConvolutionTests {
    struct Convolution: Decodable {
        let shape: [Int], weightsShape: [Int], stride: Int, padding: Int
        let x: [Double], weights: [Double], bias: [Double], outputShape: [Int], y: [Double], g: [Double]
        let inputGradient: [Double], weightsGradient: [Double], biasGradient: [Double]
    }

    struct Pool: Decodable {
        let kind: String, shape: [Int], window: Int, stride: Int
        let x: [Double], outputShape: [Int], y: [Double], g: [Double], inputGradient: [Double]
    }

    struct Normalization: Decodable {
        let shape: [Int], epsilon: Double, x: [Double], gamma: [Double], beta: [Double], y: [Double], g: [Double]
        let inputGradient: [Double], gammaGradient: [Double], betaGradient: [Double]
    }

    struct Drop: Decodable {
        let shape: [Int], probability: Double, x: [Double], mask: [Double], y: [Double], g: [Double], inputGradient: [Double]
    }

    struct Network: Decodable {
        struct Filters: Decodable { let shape: [Int]?, weights: [Double], bias: [Double] }
        struct Dense: Decodable { let W: [[Double]], b: [Double] }
        let shape: [Int], classes: Int, labels: [Int], x: [Double]
        let convolutions: [Filters], dense: [Dense], loss: Double
        let convolutionGradients: [Filters], denseGradients: [Dense], inputGradient: [Double]
        let epsilon: Double, stepSize: Double, steps: Int, fgsm: [Double], pgd: [Double]

        /// conv 3×3 padding 1 → ReLU → max pool 2, conv 3×3 → ReLU, flatten, dense → ReLU, dense → softmax.
        var network: ConvolutionalNetwork {
            let blocks = [ConvolutionalBlock(convolution: ConvolutionLayer(weights: Tensor(shape: convolutions[0].shape!, storage: convolutions[0].weights),
                                                                           bias: Vector(convolutions[0].bias), padding: 1), pooling: Pooling(.max, window: 2)),
                          ConvolutionalBlock(convolution: ConvolutionLayer(weights: Tensor(shape: convolutions[1].shape!, storage: convolutions[1].weights),
                                                                           bias: Vector(convolutions[1].bias)))]
            return ConvolutionalNetwork(channels: shape[1], height: shape[2], width: shape[3], blocks: blocks,
                                        dense: [DenseLayer(weights: Matrix(dense[0].W), bias: Vector(dense[0].b), activation: .relu),
                                                DenseLayer(weights: Matrix(dense[1].W), bias: Vector(dense[1].b), activation: .softmax)])
        }

        var targets: Matrix {
            Matrix(rows: labels.count, columns: classes, storage: labels.flatMap { label in (0..<classes).map { $0 == label ? 1.0 : 0.0 } })
        }
    }

    struct Fixtures: Decodable {
        let convolutions: [Convolution]
        let poolings: [Pool]
        let batchNormalizations: [Normalization]
        let dropouts: [Drop]
        let networks: [Network]
    }

    static let fixtures: Fixtures = {
        let url = Bundle.module.url(forResource: "cnn_fixtures", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url))
    }()

    let reference = ReferencePractical3()

    static func batch(_ shape: [Int], _ storage: [Double]) -> ImageBatch {
        ImageBatch(count: shape[0], channels: shape[1], height: shape[2], width: shape[3], storage: storage)
    }

    func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.isApproximatelyEqual(to: $1, absoluteTolerance: tolerance, relativeTolerance: tolerance) }
    }

    // MARK: PyTorch

    @Test func convolutionMatchesPyTorchConv2dWithStrideAndPadding() {
        #expect(Self.fixtures.convolutions.count == 5)
        for case_ in Self.fixtures.convolutions {
            let layer = ConvolutionLayer(weights: Tensor(shape: case_.weightsShape, storage: case_.weights), bias: Vector(case_.bias),
                                         stride: case_.stride, padding: case_.padding)
            let x = Self.batch(case_.shape, case_.x)
            let y = reference.convolutionForward(x, layer: layer)
            #expect(y.shape == case_.outputShape && close(y.storage, case_.y), "forward \(case_.shape) k\(layer.kernelSize) s\(case_.stride) p\(case_.padding)")
            let gradient = reference.convolutionBackward(x, layer: layer, outputGradient: Self.batch(case_.outputShape, case_.g))
            #expect(close(gradient.input.storage, case_.inputGradient), "∂L/∂X \(case_.shape) s\(case_.stride) p\(case_.padding)")
            #expect(close(gradient.weights.storage, case_.weightsGradient) && gradient.weights.shape == case_.weightsShape, "∂L/∂W")
            #expect(close(gradient.bias.storage, case_.biasGradient), "∂L/∂b")
        }
    }

    @Test func poolingMatchesPyTorchIncludingTiesInMaxPooling() {
        #expect(Self.fixtures.poolings.count == 5)
        for case_ in Self.fixtures.poolings {
            let pooling = Pooling(case_.kind == "max" ? .max : .average, window: case_.window, stride: case_.stride)
            let x = Self.batch(case_.shape, case_.x)
            let y = reference.pool(x, pooling)
            #expect(y.shape == case_.outputShape && close(y.storage, case_.y), "\(case_.kind) forward \(case_.shape)")
            let back = reference.poolBackward(x, pooling, outputGradient: Self.batch(case_.outputShape, case_.g))
            #expect(close(back.storage, case_.inputGradient), "\(case_.kind) backward \(case_.shape) window \(case_.window) stride \(case_.stride)")
        }
    }

    @Test func batchNormalizationMatchesPyTorchInTrainingMode() {
        for case_ in Self.fixtures.batchNormalizations {
            let layer = BatchNormalization(gamma: Vector(case_.gamma), beta: Vector(case_.beta), epsilon: case_.epsilon)
            let x = Self.batch(case_.shape, case_.x)
            #expect(close(reference.batchNormalization(x, layer).storage, case_.y, 1e-11))
            let back = reference.batchNormalizationBackward(x, layer, outputGradient: Self.batch(case_.shape, case_.g))
            #expect(close(back.input.storage, case_.inputGradient, 1e-10))
            #expect(close(back.gamma.storage, case_.gammaGradient, 1e-11) && close(back.beta.storage, case_.betaGradient))
        }
    }

    @Test func dropoutWithAFixedMaskMatchesPyTorch() {
        for case_ in Self.fixtures.dropouts {
            let dropout = Dropout(probability: case_.probability)
            #expect(close(reference.dropout(Self.batch(case_.shape, case_.x), dropout, mask: case_.mask).storage, case_.y))
            #expect(close(reference.dropoutBackward(dropout, mask: case_.mask, outputGradient: Self.batch(case_.shape, case_.g)).storage, case_.inputGradient))
        }
    }

    @Test func aSmallCNNsLossGradientsAndAttacksMatchPyTorch() {
        #expect(Self.fixtures.networks.count == 2)
        for case_ in Self.fixtures.networks {
            let network = case_.network, x = Self.batch(case_.shape, case_.x)
            #expect(network.blockOutputShapes != nil)
            #expect(reference.loss(network, input: x, targets: case_.targets).isApproximatelyEqual(to: case_.loss, relativeTolerance: 1e-12))
            let gradient = reference.gradient(network, input: x, targets: case_.targets)
            for (got, expected) in zip(gradient.blocks, case_.convolutionGradients) {
                #expect(close(got.weights.storage, expected.weights) && close(got.bias.storage, expected.bias), "filters")
            }
            for (got, expected) in zip(gradient.dense, case_.denseGradients) {
                #expect(close(got.weights.storage, Matrix(expected.W).storage) && close(got.bias.storage, expected.b), "dense")
            }
            #expect(close(reference.inputGradient(network, input: x, targets: case_.targets).storage, case_.inputGradient), "∇ₓL")
            // The attacks step by the sign of the gradient, so they agree exactly wherever no component is a rounding away from 0.
            let fgsm = reference.attack(network, input: x, targets: case_.targets, attack: .fgsm(epsilon: case_.epsilon))
            #expect(fgsm.storage == case_.fgsm, "FGSM")
            let pgd = reference.attack(network, input: x, targets: case_.targets,
                                       attack: Attack(epsilon: case_.epsilon, stepSize: case_.stepSize, steps: case_.steps))
            #expect(close(pgd.storage, case_.pgd, 1e-15), "PGD")
            #expect(zip(pgd.storage, x.storage).allSatisfy { abs($0 - $1) <= case_.epsilon + 1e-15 && (0...1).contains($0) })
        }
    }

    // MARK: By hand

    @Test func theKernelIsNotFlipped() {
        // A 3×3 image 1…9 and the kernel [[1, 0], [0, 0]]: cross-correlation reads each window's top-left
        // pixel (1, 2, 4, 5); a flipped kernel would read the bottom-right one (5, 6, 8, 9).
        let x = ImageBatch(count: 1, channels: 1, height: 3, width: 3, storage: (1...9).map(Double.init))
        let layer = ConvolutionLayer(weights: Tensor(shape: [1, 1, 2, 2], storage: [1, 0, 0, 0]), bias: [0.5])
        #expect(reference.convolutionForward(x, layer: layer).storage == [1.5, 2.5, 4.5, 5.5])
        let padded = ConvolutionLayer(weights: layer.weights, bias: [0], stride: 2, padding: 1)
        #expect(padded.outputSize(height: 3, width: 3)! == (2, 2))
        #expect(reference.convolutionForward(x, layer: padded).storage == [0, 0, 0, 5])
        // Images narrower than the kernel: only the padding lets it fit, and most of each window is padding.
        let narrow = ImageBatch(count: 1, channels: 1, height: 2, width: 1, storage: [2, 3])
        let wide = ConvolutionLayer(weights: Tensor(shape: [1, 1, 3, 3], storage: (1...9).map(Double.init)), bias: [0], stride: 2, padding: 1)
        #expect(reference.convolutionForward(narrow, layer: wide).storage == [5 * 2 + 8 * 3])
        let back = reference.convolutionBackward(narrow, layer: wide, outputGradient: ImageBatch(count: 1, channels: 1, height: 1, width: 1, storage: [1]))
        #expect(back.input.storage == [5, 8] && back.weights.storage == [0, 0, 0, 0, 2, 0, 0, 3, 0] && back.bias == [1])
    }

    @Test func maxPoolingSendsTheGradientToTheFirstMaximumOfItsWindow() {
        let x = ImageBatch(count: 1, channels: 1, height: 2, width: 4, storage: [3, 3, 0, 1,
                                                                                  3, 1, 1, 1])
        let pooling = Pooling(.max, window: 2)
        #expect(reference.pool(x, pooling).storage == [3, 1])
        let back = reference.poolBackward(x, pooling, outputGradient: ImageBatch(count: 1, channels: 1, height: 1, width: 2, storage: [10, 20]))
        #expect(back.storage == [10, 0, 0, 20,
                                 0, 0, 0, 0])
        let average = reference.poolBackward(x, Pooling(.average, window: 2), outputGradient: ImageBatch(count: 1, channels: 1, height: 1, width: 2, storage: [4, 8]))
        #expect(average.storage == [1, 1, 2, 2, 1, 1, 2, 2])
    }

    // MARK: Finite differences

    /// L = Σ r ⊙ f(x) for a fixed random r; its central differences along random directions of the input
    /// and the parameters must equal the backward pass's directional derivatives.
    @Test func everyBackwardPassAgreesWithCentralDifferencesOfItsForward() {
        var rng = SeededGenerator(seed: 31)
        func random(_ shape: [Int]) -> [Double] { (0..<shape.reduce(1, *)).map { _ in rng.nextGaussian() } }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        func shifted(_ a: [Double], _ d: [Double], _ t: Double) -> [Double] { zip(a, d).map { $0 + t * $1 } }
        let h = 1e-5

        for (shape, k, stride, padding) in [([2, 3, 6, 5], 3, 1, 1), ([1, 2, 7, 7], 3, 2, 0), ([2, 1, 5, 6], 2, 3, 2)] {
            let filters = 3
            let x = Self.batch(shape, random(shape))
            let layer = ConvolutionLayer(weights: Tensor(shape: [filters, shape[1], k, k], storage: random([filters, shape[1], k, k])),
                                         bias: Vector(random([filters])), stride: stride, padding: padding)
            let y = reference.convolutionForward(x, layer: layer)
            let r = random(y.shape)
            let gradient = reference.convolutionBackward(x, layer: layer, outputGradient: Self.batch(y.shape, r))
            let dx = random(shape), dw = random(layer.weights.shape), db = random([filters])
            func loss(_ t: Double) -> Double {
                let moved = ConvolutionLayer(weights: Tensor(shape: layer.weights.shape, storage: shifted(layer.weights.storage, dw, t)),
                                             bias: Vector(shifted(layer.bias.storage, db, t)), stride: stride, padding: padding)
                return dot(r, reference.convolutionForward(Self.batch(shape, shifted(x.storage, dx, t)), layer: moved).storage)
            }
            let numerical = (loss(h) - loss(-h)) / (2 * h)
            let analytic = dot(gradient.input.storage, dx) + dot(gradient.weights.storage, dw) + dot(gradient.bias.storage, db)
            #expect(numerical.isApproximatelyEqual(to: analytic, relativeTolerance: 1e-7), "convolution \(shape) k\(k) s\(stride) p\(padding)")
        }

        let shape = [3, 2, 4, 3]
        let x = Self.batch(shape, random(shape).map { 2 * $0 + 0.5 })
        let normalization = BatchNormalization(gamma: Vector(random([2])), beta: Vector(random([2])))
        let r = random(shape)
        let back = reference.batchNormalizationBackward(x, normalization, outputGradient: Self.batch(shape, r))
        let dx = random(shape), dgamma = random([2]), dbeta = random([2])
        func normalized(_ t: Double) -> Double {
            let moved = BatchNormalization(gamma: Vector(shifted(normalization.gamma.storage, dgamma, t)), beta: Vector(shifted(normalization.beta.storage, dbeta, t)))
            return dot(r, reference.batchNormalization(Self.batch(shape, shifted(x.storage, dx, t)), moved).storage)
        }
        let numerical = (normalized(h) - normalized(-h)) / (2 * h)
        let analytic = dot(back.input.storage, dx) + dot(back.gamma.storage, dgamma) + dot(back.beta.storage, dbeta)
        #expect(numerical.isApproximatelyEqual(to: analytic, relativeTolerance: 1e-7), "batch normalisation")

        // The whole network, with average pooling (smooth but for the ReLUs): parameters and images at once.
        var draw = SeededGenerator(seed: 9)
        var network = ConvolutionalNetwork(channels: 2, height: 9, width: 8, blocks: [
            ConvolutionalBlock(convolution: .random(filters: 3, channels: 2, kernelSize: 3, padding: 1, using: &draw), pooling: Pooling(.average, window: 2)),
            ConvolutionalBlock(convolution: .random(filters: 2, channels: 3, kernelSize: 2, stride: 2, using: &draw)),
        ], dense: [])
        let flat = network.blockOutputShapes!.last.map { $0.channels * $0.height * $0.width }!
        network.dense = [DenseLayer.random(inputs: flat, outputs: 5, activation: .tanh, using: &draw),
                         DenseLayer.random(inputs: 5, outputs: 3, activation: .softmax, using: &draw)]
        let images = Self.batch([4, 2, 9, 8], random([4, 2, 9, 8]).map { 0.5 + 0.2 * $0 })
        let targets = Matrix(rows: 4, columns: 3, storage: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0])
        let parameters = reference.gradient(network, input: images, targets: targets)
        let imageGradient = reference.inputGradient(network, input: images, targets: targets)
        let directions = (blocks: network.blocks.map { (random($0.convolution.weights.shape), random([$0.convolution.filters])) },
                          dense: network.dense.map { (random([$0.weights.storage.count]), random([$0.bias.count])) },
                          images: random(images.shape))
        func networkLoss(_ t: Double) -> Double {
            var moved = network
            for (b, (dw, db)) in directions.blocks.enumerated() {
                moved.blocks[b].convolution.weights.storage = shifted(network.blocks[b].convolution.weights.storage, dw, t)
                moved.blocks[b].convolution.bias = Vector(shifted(network.blocks[b].convolution.bias.storage, db, t))
            }
            for (l, (dw, db)) in directions.dense.enumerated() {
                moved.dense[l].weights.storage = shifted(network.dense[l].weights.storage, dw, t)
                moved.dense[l].bias = Vector(shifted(network.dense[l].bias.storage, db, t))
            }
            return reference.loss(moved, input: Self.batch(images.shape, shifted(images.storage, directions.images, t)), targets: targets)
        }
        var analyticNetwork = dot(imageGradient.storage, directions.images)
        for (g, (dw, db)) in zip(parameters.blocks, directions.blocks) { analyticNetwork += dot(g.weights.storage, dw) + dot(g.bias.storage, db) }
        for (g, (dw, db)) in zip(parameters.dense, directions.dense) { analyticNetwork += dot(g.weights.storage, dw) + dot(g.bias.storage, db) }
        let numericalNetwork = (networkLoss(h) - networkLoss(-h)) / (2 * h)
        #expect(numericalNetwork.isApproximatelyEqual(to: analyticNetwork, relativeTolerance: 1e-6), "the whole network: \(numericalNetwork) vs \(analyticNetwork)")

        // Pooling is piecewise linear: away from ties, the central difference is exact up to rounding.
        for pooling in [Pooling(.max, window: 2), Pooling(.max, window: 3, stride: 2), Pooling(.average, window: 3, stride: 2)] {
            let x = Self.batch([2, 2, 7, 7], random([2, 2, 7, 7]))
            let y = reference.pool(x, pooling)
            let r = random(y.shape), dx = random(x.shape)
            let back = reference.poolBackward(x, pooling, outputGradient: Self.batch(y.shape, r))
            let numerical = (dot(r, reference.pool(Self.batch(x.shape, shifted(x.storage, dx, h)), pooling).storage)
                             - dot(r, reference.pool(Self.batch(x.shape, shifted(x.storage, dx, -h)), pooling).storage)) / (2 * h)
            #expect(numerical.isApproximatelyEqual(to: dot(back.storage, dx), relativeTolerance: 1e-7), "\(pooling.kind) \(pooling.window)/\(pooling.stride)")
        }
    }
}
