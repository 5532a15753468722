import CourseKit
import Foundation
import Grader
import ReferenceEngine
import SubmissionRuntime

/// Practical 3: convolutional layers, a CNN on MNIST, adversarial examples and a GAN.
public struct Practical3Driver: PracticalDriver {
    public typealias Rules = Practical3Rules

    private let context: DriverContext
    private let mnist: MNISTCache
    let target: AttackTargetCache

    /// Creates the driver; MNIST cases read the course's data and write their training files to the context's folder.
    public init(context: DriverContext = DriverContext()) {
        self.context = context
        mnist = MNISTCache(folder: context.course?.dataURL("mnist"))
        target = AttackTargetCache(mnist: mnist)
    }

    /// Training data is written to the context's data folder.
    public var sandboxData: URL? { context.dataFolder }

    private static let reference = ReferencePractical3()

    public static let callTable = Practical3Rules.callTable(Practical3Driver.self, preparing: drawing)

    /// How each call's cases are drawn.
    private static let drawing: [String: CaseDrawing<Practical3Driver>] = [
        "convolutionForward": { _, sampler, _ in
            let (x, summary) = try Self.images(&sampler)
            let (layer, layerSummary) = try Self.convolution(&sampler, channels: x.channels, height: x.height, width: x.width)
            return PreparedCase(call: .convolutionForward(x: x, layer: layer), inputs: summary + ", " + layerSummary)
        },
        "convolutionBackward": { _, sampler, _ in
            let (x, summary) = try Self.images(&sampler)
            let (layer, layerSummary) = try Self.convolution(&sampler, channels: x.channels, height: x.height, width: x.width)
            let g = Self.gaussian(like: reference.convolutionForward(x, layer: layer), &sampler.rng)
            let probes = try Self.probes(&sampler)
            return PreparedCase(call: .convolutionBackward(x: x, layer: layer, outputGradient: g, probes: probes), inputs: summary + ", " + layerSummary,
                                evidence: [PartGradients(groups: [["∂L/∂X", "∂L/∂W", "∂L/∂b"]], groupNames: ["⟨G, Y⟩"], probes: probes)])
        },
        "pool": { _, sampler, _ in
            let (x, summary) = try Self.images(&sampler)
            let pooling = try Self.pooling(&sampler, height: x.height, width: x.width)
            return PreparedCase(call: .pool(x: x, pooling: pooling), inputs: summary + ", \(Self.describe(pooling))")
        },
        "poolBackward": { _, sampler, _ in
            let (x, summary) = try Self.images(&sampler)
            let pooling = try Self.pooling(&sampler, height: x.height, width: x.width)
            let g = Self.gaussian(like: reference.pool(x, pooling), &sampler.rng)
            // Tied maxima make the pooled function non-differentiable: the directional check needs distinct values.
            let probes = try Self.probes(&sampler, default: Set(x.storage).count < x.storage.count ? 0 : 2)
            return PreparedCase(call: .poolBackward(x: x, pooling: pooling, outputGradient: g, probes: probes), inputs: summary + ", \(Self.describe(pooling))",
                                evidence: [PartGradients(groups: [["∂L/∂X"]], groupNames: ["⟨G, Y⟩"], probes: probes)])
        },
        "dropout": { _, sampler, _ in
            let (x, summary) = try Self.images(&sampler)
            let (dropout, mask) = try Self.dropout(&sampler, count: x.storage.count)
            return PreparedCase(call: .dropout(x: x, dropout: dropout, mask: mask), inputs: summary + ", p = \(Feedback.number(dropout.probability))")
        },
        "dropoutBackward": { _, sampler, _ in
            let (x, summary) = try Self.images(&sampler)
            let (dropout, mask) = try Self.dropout(&sampler, count: x.storage.count)
            let g = Self.gaussian(like: x, &sampler.rng)
            let probes = try Self.probes(&sampler)
            return PreparedCase(call: .dropoutBackward(x: x, dropout: dropout, mask: mask, outputGradient: g, probes: probes),
                                inputs: summary + ", p = \(Feedback.number(dropout.probability))",
                                evidence: [PartGradients(groups: [["∂L/∂X"]], groupNames: ["⟨G, Y⟩"], probes: probes)])
        },
        "batchNormalization": { _, sampler, _ in
            let (x, summary) = try Self.images(&sampler)
            let layer = try Self.batchNormalization(&sampler, channels: x.channels)
            return PreparedCase(call: .batchNormalization(x: x, layer: layer), inputs: summary + ", ε = \(Feedback.number(layer.epsilon))")
        },
        "batchNormalizationBackward": { _, sampler, _ in
            let (x, summary) = try Self.images(&sampler)
            let layer = try Self.batchNormalization(&sampler, channels: x.channels)
            let g = Self.gaussian(like: x, &sampler.rng)
            let probes = try Self.probes(&sampler)
            return PreparedCase(call: .batchNormalizationBackward(x: x, layer: layer, outputGradient: g, probes: probes),
                                inputs: summary + ", ε = \(Feedback.number(layer.epsilon))",
                                evidence: [PartGradients(groups: [["∂L/∂X", "∂L/∂γ", "∂L/∂β"]], groupNames: ["⟨G, Y⟩"], probes: probes)])
        },
        "loss": { _, sampler, _ in
            let (network, x, targets, summary) = try Self.network(&sampler)
            return PreparedCase(call: .loss(network: network, input: x, targets: targets), inputs: summary)
        },
        "gradient": { _, sampler, _ in
            let (network, x, targets, summary) = try Self.network(&sampler)
            let probes = try Self.probes(&sampler)
            let names = ConvolutionalParameters.parts(reference.gradient(network, input: x, targets: targets)).map(\.0)
            return PreparedCase(call: .gradient(network: network, input: x, targets: targets, probes: probes), inputs: summary,
                                evidence: [PartGradients(groups: [names], groupNames: ["L"], probes: probes, batchSize: x.count)])
        },
        "inputGradient": { _, sampler, _ in
            let (network, x, targets, summary) = try Self.network(&sampler)
            let probes = try Self.probes(&sampler)
            return PreparedCase(call: .inputGradient(network: network, input: x, targets: targets, probes: probes), inputs: summary,
                                evidence: [PartGradients(groups: [["∇ₓL"]], groupNames: ["L"], probes: probes, batchSize: x.count)])
        },
        "fgsm": { driver, sampler, request in
            try driver.attackCase(&sampler, recipe: request.recipe, pgd: false)
        },
        "pgd": { driver, sampler, request in
            try driver.attackCase(&sampler, recipe: request.recipe, pgd: true)
        },
        "train": { driver, sampler, request in
            try driver.trainingCase(&sampler, secret: request.privateSeed ?? request.seed)
        },
        "discriminatorLoss": { _, sampler, _ in
            let (gan, real, noise, summary) = try Self.gan(&sampler)
            return PreparedCase(call: .discriminatorLoss(gan: gan, real: real, noise: noise), inputs: summary)
        },
        "generatorLoss": { _, sampler, _ in
            let (gan, _, noise, summary) = try Self.gan(&sampler)
            return PreparedCase(call: .generatorLoss(gan: gan, noise: noise), inputs: summary)
        },
        "ganGradients": { _, sampler, _ in
            let (gan, real, noise, summary) = try Self.gan(&sampler)
            let probes = try Self.probes(&sampler)
            let gradient = reference.ganGradients(gan, real: real, noise: noise)
            return PreparedCase(call: .ganGradients(gan: gan, real: real, noise: noise, probes: probes), inputs: summary,
                                evidence: [PartGradients(groups: [DenseParameters.parts(gradient.generator, network: "generator").map(\.0),
                                                                  DenseParameters.parts(gradient.discriminator, network: "discriminator").map(\.0)],
                                                         groupNames: ["L_G along the generator's parameters", "L_D along the discriminator's parameters"],
                                                         probes: probes, batchSize: real.rows)])
        },
        "ganStep": { _, sampler, _ in
            let steps = try sampler.integer("steps", default: 3)
            guard steps >= 1, steps <= 50 else { throw RecipeSampler.ParameterError(description: "steps must be within 1…50") }
            let (gan, real, noise, summary) = try Self.gan(&sampler, batches: steps)
            let optimizer = try Practical2Driver.optimizer(&sampler)
            return PreparedCase(call: .ganSteps(gan: gan, real: real, noise: noise, optimizer: optimizer, steps: steps),
                                inputs: summary + ", \(steps) steps of \(optimizer) from fresh states")
        },
        "trainGAN": { _, sampler, request in
            try Self.mixtureCase(&sampler, hidden: request.privateSeed ?? request.seed)
        },
    ]

    // MARK: Recipe vocabulary

    /// Checks that `value` is within `range`, naming the parameter otherwise.
    private static func bounded(_ value: Int, _ name: String, _ range: ClosedRange<Int>) throws -> Int {
        guard range.contains(value) else { throw RecipeSampler.ParameterError(description: "\(name) must be within \(range.lowerBound)…\(range.upperBound), not \(value)") }
        return value
    }

    /// A batch of images: `count` × `channels` × `height` × `width` (or `size` × `size`), entries N(`shift`, `scale`²),
    /// rounded to `levels` values in [−1, 1] when `levels` is set (ties for max pooling).
    private static func images(_ sampler: inout RecipeSampler) throws -> (ImageBatch, String) {
        let count = try bounded(try sampler.integer("count", default: 2), "count", 1...64)
        let channels = try bounded(try sampler.integer("channels", default: 2), "channels", 1...16)
        let size = try sampler.integer("size", default: 6)
        let height = try bounded(try sampler.integer("height", default: size), "height", 1...64)
        let width = try bounded(try sampler.integer("width", default: size), "width", 1...64)
        let scale = try sampler.real("scale", default: 1), shift = try sampler.real("shift", default: 0)
        let levels = try bounded(try sampler.integer("levels", default: 0), "levels", 0...16)
        var x = ImageBatch(count: count, channels: channels, height: height, width: width)
        for i in x.storage.indices {
            x.storage[i] = levels > 0 ? Double(Int(sampler.rng.next() % UInt64(levels))) / Double(max(1, levels - 1)) : shift + scale * sampler.rng.nextGaussian()
        }
        return (x, "X of shape \(Tensor.describe(x.shape))" + (levels > 0 ? " with values on \(levels) levels" : ""))
    }

    /// Gaussian ∂L/∂Y shaped like `y`.
    private static func gaussian(like y: ImageBatch, _ rng: inout SeededGenerator) -> ImageBatch { y.map { _ in rng.nextGaussian() } }

    /// A convolution of `filters` filters of `kernel` × `kernel` with `stride` and `padding`, He-initialised, biases N(0, 0.1²).
    private static func convolution(_ sampler: inout RecipeSampler, channels: Int, height: Int, width: Int) throws -> (ConvolutionLayer, String) {
        let filters = try bounded(try sampler.integer("filters", default: 3), "filters", 1...32)
        let kernel = try bounded(try sampler.integer("kernel", default: 3), "kernel", 1...9)
        let stride = try bounded(try sampler.integer("stride", default: 1), "stride", 1...4)
        let padding = try bounded(try sampler.integer("padding", default: 0), "padding", 0...4)
        var layer = ConvolutionLayer.random(filters: filters, channels: channels, kernelSize: kernel, stride: stride, padding: padding, using: &sampler.rng)
        layer.bias = sampler.rng.gaussianVector(filters, standardDeviation: 0.1)
        guard layer.outputSize(height: height, width: width) != nil else {
            throw RecipeSampler.ParameterError(description: "a \(kernel)×\(kernel) kernel with padding \(padding) does not fit a \(height)×\(width) image")
        }
        return (layer, "\(filters) filters of \(channels)×\(kernel)×\(kernel), stride \(stride), padding \(padding)")
    }

    /// `pooling` (max or average) over `window` × `window` windows, `poolStride` apart.
    private static func pooling(_ sampler: inout RecipeSampler, height: Int, width: Int) throws -> Pooling {
        let kind: Pooling.Kind
        switch try sampler.text("pooling", default: "max") {
        case "max": kind = .max
        case "average": kind = .average
        case let other: throw RecipeSampler.ParameterError(description: "unknown pooling '\(other)'; use max or average")
        }
        let window = try bounded(try sampler.integer("window", default: 2), "window", 1...8)
        let stride = try bounded(try sampler.integer("poolStride", default: window), "poolStride", 1...8)
        guard height >= window, width >= window else { throw RecipeSampler.ParameterError(description: "a \(window)×\(window) window does not fit a \(height)×\(width) image") }
        return Pooling(kind, window: window, stride: stride)
    }

    private static func describe(_ pooling: Pooling) -> String {
        "\(pooling.kind == .max ? "max" : "average") pooling over \(pooling.window)×\(pooling.window) windows, stride \(pooling.stride)"
    }

    /// Dropout with probability `probability` and a mask drawn from the case's generator.
    private static func dropout(_ sampler: inout RecipeSampler, count: Int) throws -> (Dropout, [Double]) {
        let p = try sampler.real("probability", default: 0.5)
        guard p >= 0, p < 1 else { throw RecipeSampler.ParameterError(description: "probability must be in [0, 1), not \(p)") }
        let dropout = Dropout(probability: p)
        return (dropout, dropout.mask(count: count, using: &sampler.rng))
    }

    /// Batch normalisation with γ ~ N(1, 0.5²), β ~ N(0, 0.5²) and ε = `epsilon`.
    private static func batchNormalization(_ sampler: inout RecipeSampler, channels: Int) throws -> BatchNormalization {
        let epsilon = try sampler.real("epsilon", default: 1e-5)
        guard epsilon > 0, epsilon.isFinite else { throw RecipeSampler.ParameterError(description: "epsilon must be positive") }
        let gamma = Vector((0..<channels).map { _ in 1 + 0.5 * sampler.rng.nextGaussian() })
        return BatchNormalization(gamma: gamma, beta: sampler.rng.gaussianVector(channels, standardDeviation: 0.5), epsilon: epsilon)
    }

    /// Probes of the directional check: `probes` directions (default `fallback`), step `step`.
    private static func probes(_ sampler: inout RecipeSampler, default fallback: Int = 2) throws -> Probes {
        let count = try bounded(try sampler.integer("probes", default: fallback), "probes", 0...8)
        let step = try sampler.real("step", default: 1e-6)
        guard step > 0, step.isFinite else { throw RecipeSampler.ParameterError(description: "step must be positive") }
        return Probes(count: count, seed: sampler.rng.next(), step: step)
    }

    /// A random CNN on a batch of images in [0, 1] with one-hot targets: `blocks` blocks of `filters` filters of
    /// `kernel` × `kernel` (padding `padding`, pooling `pooling`: max, average or none), `depth` (default 1) hidden
    /// dense layers of `hidden` units when `hidden` > 0 with `activation` (default relu; sigmoid, tanh, leaky-relu),
    /// and a softmax layer of `classes` whose weights are multiplied by `logitScale` (default 1: large values
    /// test a softmax that must not overflow).
    ///
    /// A random network can be dead on its batch (every ReLU of a layer off): its loss does not depend on the
    /// layers below, their gradients and ∇ₓL are 0, and a wrong convolution or attack passes. One is drawn
    /// until ∇ₓL is non-zero at most pixels.
    private static func network(_ sampler: inout RecipeSampler) throws -> (ConvolutionalNetwork, ImageBatch, Matrix, String) {
        for _ in 0..<networkDraws {
            let drawn = try randomNetwork(&sampler)
            if mostlyLive(drawn) { return drawn }
        }
        throw RecipeSampler.ParameterError(description: "no network of this family has a non-zero ∇ₓL at most pixels of its batch in \(networkDraws) draws")
    }

    private static func randomNetwork(_ sampler: inout RecipeSampler) throws -> (ConvolutionalNetwork, ImageBatch, Matrix, String) {
        let count = try bounded(try sampler.integer("count", default: 3), "count", 1...64)
        let channels = try bounded(try sampler.integer("channels", default: 1), "channels", 1...4)
        let size = try bounded(try sampler.integer("size", default: 8), "size", 2...32)
        let blocks = try bounded(try sampler.integer("blocks", default: 1), "blocks", 0...3)
        let filters = try bounded(try sampler.integer("filters", default: 3), "filters", 1...16)
        let kernel = try bounded(try sampler.integer("kernel", default: 3), "kernel", 1...5)
        let padding = try bounded(try sampler.integer("padding", default: 1), "padding", 0...2)
        let hidden = try bounded(try sampler.integer("hidden", default: 0), "hidden", 0...64)
        let depth = hidden > 0 ? try bounded(try sampler.integer("depth", default: 1), "depth", 1...3) : 0
        let activation = try Practical2Driver.activation(&sampler)
        guard activation != .softmax else { throw RecipeSampler.ParameterError(description: "the dense hidden layers' activation cannot be softmax") }
        let logitScale = try sampler.real("logitScale", default: 1)
        guard logitScale > 0, logitScale <= 1e4 else { throw RecipeSampler.ParameterError(description: "logitScale must be within (0, 10000]") }
        let classes = try bounded(try sampler.integer("classes", default: 3), "classes", 2...10)
        let poolingName = try sampler.text("pooling", default: "max")
        guard ["max", "average", "none"].contains(poolingName) else {
            throw RecipeSampler.ParameterError(description: "unknown pooling '\(poolingName)'; use max, average or none")
        }
        var network = ConvolutionalNetwork(channels: channels, height: size, width: size, blocks: [], dense: [])
        var shape = (channels: channels, height: size, width: size)
        for _ in 0..<blocks {
            var convolution = ConvolutionLayer.random(filters: filters, channels: shape.channels, kernelSize: kernel, padding: padding, using: &sampler.rng)
            convolution.bias = sampler.rng.gaussianVector(filters, standardDeviation: 0.1)
            guard let convolved = convolution.outputSize(height: shape.height, width: shape.width) else {
                throw RecipeSampler.ParameterError(description: "\(blocks) blocks of \(kernel)×\(kernel) kernels do not fit \(size)×\(size) images")
            }
            shape = (filters, convolved.height, convolved.width)
            var pooling: Pooling?
            if poolingName != "none", shape.height >= 2, shape.width >= 2 {
                pooling = Pooling(poolingName == "max" ? .max : .average, window: 2)
                shape = (filters, shape.height / 2, shape.width / 2)
            }
            network.blocks.append(ConvolutionalBlock(convolution: convolution, pooling: pooling))
        }
        let flattened = shape.channels * shape.height * shape.width
        let sizes = [flattened] + Array(repeating: hidden, count: depth) + [classes]
        for l in 0..<(sizes.count - 1) {
            let isLast = l == sizes.count - 2
            var layer = DenseLayer.random(inputs: sizes[l], outputs: sizes[l + 1], activation: isLast ? .softmax : activation, using: &sampler.rng)
            layer.bias = sampler.rng.gaussianVector(sizes[l + 1], standardDeviation: 0.1)
            // Large logits (`logitScale`) test a softmax that must not overflow.
            if isLast, logitScale != 1 {
                layer.weights = layer.weights.map { $0 * logitScale }
                layer.bias = layer.bias.map { $0 * logitScale }
            }
            network.dense.append(layer)
        }
        let x = ImageBatch(count: count, channels: channels, height: size, width: size, storage: (0..<(count * channels * size * size)).map { _ in sampler.rng.nextUniform() })
        var targets = Matrix(rows: count, columns: classes)
        for n in 0..<count { targets[n, Int(sampler.rng.next() % UInt64(classes))] = 1 }
        let summary = "a CNN of \(blocks) block\(blocks == 1 ? "" : "s") (\(filters) filters of \(kernel)×\(kernel), padding \(padding), \(poolingName) pooling)"
            + (hidden > 0 ? (depth == 1 ? ", a dense layer of \(hidden)" : ", \(depth) dense layers of \(hidden)") + (activation == .relu ? "" : " (\(activation))") : "")
            + " and \(classes) classes" + (logitScale == 1 ? "" : " (softmax weights × \(Feedback.number(logitScale)))") + ", on \(count) images of \(channels)×\(size)×\(size)"
        return (network, x, targets, summary)
    }

    /// A GAN of one hidden tanh layer of `hidden` units in G (noise of `noise` → `sample` values) and one
    /// leaky-ReLU layer of `hidden` in D (sigmoid output), with `batch` real samples and noise rows per batch.
    private static func gan(_ sampler: inout RecipeSampler, batches: Int = 1) throws -> (GenerativeAdversarialNetwork, Matrix, Matrix, String) {
        let noiseSize = try bounded(try sampler.integer("noise", default: 2), "noise", 1...16)
        let hidden = try bounded(try sampler.integer("hidden", default: 6), "hidden", 1...64)
        let sampleSize = try bounded(try sampler.integer("sample", default: 2), "sample", 1...16)
        let batch = try bounded(try sampler.integer("batch", default: 5), "batch", 1...64)
        let gan = GenerativeAdversarialNetwork(
            generator: [DenseLayer.random(inputs: noiseSize, outputs: hidden, activation: .tanh, using: &sampler.rng),
                        DenseLayer.random(inputs: hidden, outputs: sampleSize, activation: .identity, using: &sampler.rng)],
            discriminator: [DenseLayer.random(inputs: sampleSize, outputs: hidden, activation: .leakyReLU(alpha: 0.2), using: &sampler.rng),
                            DenseLayer.random(inputs: hidden, outputs: 1, activation: .sigmoid, using: &sampler.rng)])
        var withBiases = gan
        for l in withBiases.generator.indices { withBiases.generator[l].bias = sampler.rng.gaussianVector(withBiases.generator[l].bias.count, standardDeviation: 0.1) }
        for l in withBiases.discriminator.indices { withBiases.discriminator[l].bias = sampler.rng.gaussianVector(withBiases.discriminator[l].bias.count, standardDeviation: 0.1) }
        let real = sampler.rng.gaussianMatrix(rows: batch * batches, columns: sampleSize).map { 1 + $0 }
        let noise = sampler.rng.gaussianMatrix(rows: batch * batches, columns: noiseSize)
        return (withBiases, real, noise, "a GAN \(noiseSize)-\(hidden)-\(sampleSize) (tanh) against \(sampleSize)-\(hidden)-1 (leaky ReLU, sigmoid), batches of \(batch)")
    }

    // MARK: Attacks

    /// An FGSM or PGD case: on a random CNN (`cnn`) or on the grader's own trained network and held-out MNIST
    /// test images (`digits`, `count` images chosen by the case's seed), with budget `epsilon`, PGD's step
    /// `stepSize` (by default `stepShare` × ε, a quarter) and `steps` (default 10).
    private func attackCase(_ sampler: inout RecipeSampler, recipe: CaseRecipe, pgd: Bool) throws -> PreparedCase<Practical3Call> {
        let epsilon = try sampler.real("epsilon", default: 0.1)
        let share = pgd ? try sampler.real("stepShare", default: 0.25) : 1
        let stepSize = pgd ? try sampler.real("stepSize", default: share * epsilon) : epsilon
        let steps = pgd ? try Self.bounded(try sampler.integer("steps", default: 10), "steps", 1...100) : 1
        guard epsilon >= 0, epsilon <= 1, stepSize >= 0, stepSize <= 1 else {
            throw RecipeSampler.ParameterError(description: "epsilon and stepSize must be within [0, 1]")
        }
        let attack = Attack(epsilon: epsilon, stepSize: stepSize, steps: steps)
        let name = pgd ? "pgd" : "fgsm"
        let described = pgd ? "PGD with ε = \(Feedback.number(epsilon)), α = \(Feedback.number(stepSize)), \(steps) steps" : "FGSM with ε = \(Feedback.number(epsilon))"
        let network: ConvolutionalNetwork, x: ImageBatch, targets: Matrix, summary: String
        var target: (any AttackTarget)?
        if recipe.problem == "digits" {
            let count = try Self.bounded(try sampler.integer("count", default: 100), "count", 1...1000)
            let graderNetwork = try self.target.network()
            let (_, test) = try mnist.sets()
            var indices = Array(0..<test.inputs.rows)
            indices.shuffle(using: &sampler.rng)
            let images = test.subset(Array(indices.prefix(count)))
            x = ImageBatch(rows: images.inputs, channels: 1, height: 28, width: 28)
            targets = Self.oneHot(images.labels, classes: 10)
            network = graderNetwork
            target = GraderNetwork(network: graderNetwork, labels: images.labels)
            summary = "\(described) on the grader's trained network and \(count) held-out MNIST test images"
        } else {
            (network, x, targets, summary) = try Self.network(&sampler)
        }
        let (images, gradients) = Self.reference.attackTrajectory(network, input: x, targets: targets, attack: attack)
        var prepared = PreparedCase<Practical3Call>(call: .attack(name: name, network: network, input: x, targets: targets, attack: attack),
                                    inputs: recipe.problem == "digits" ? summary : "\(described) on " + summary,
                                    evidence: [AttackCheck.Evidence(original: x, epsilon: epsilon, stepSize: stepSize, ties: AttackCheck.Evidence.ties(of: gradients),
                                                                    target: target, divergence: pgd && target != nil ? AttackCheck.chaoticDivergence : 0)])
        prepared.reference = Answer.tensor(images.tensor)
        return prepared
    }

    /// How many networks a `cnn` case may draw before it gives up.
    static let networkDraws = 50

    /// Whether the reference's ∇ₓL is non-zero at more than half of the pixels.
    static func mostlyLive(_ drawn: (ConvolutionalNetwork, ImageBatch, Matrix, String)) -> Bool {
        let gradient = reference.inputGradient(drawn.0, input: drawn.1, targets: drawn.2)
        return 2 * gradient.storage.filter { $0 != 0 }.count > gradient.storage.count
    }

    static func oneHot(_ labels: [Int], classes: Int) -> Matrix {
        var targets = Matrix(rows: labels.count, columns: classes)
        for (n, label) in labels.enumerated() { targets[n, label] = 1 }
        return targets
    }

    // MARK: Training

    /// A CNN training case on a task no network prepared in advance can know: `samples` training images
    /// (2,000) of an alphabet of ten glyphs drawn from `secret` (`GlyphAlphabet`), the student's private seed
    /// in graded runs, and `heldout` images of the same alphabet (5,000) that the network is scored on.
    private func trainingCase(_ sampler: inout RecipeSampler, secret: UInt64) throws -> PreparedCase<Practical3Call> {
        let samples = try Self.bounded(try sampler.integer("samples", default: 2000), "samples", 1...60_000)
        let heldOut = try Self.bounded(try sampler.integer("heldout", default: 5000), "heldout", 1...60_000)
        let seconds = try sampler.real("seconds", default: 10)
        let hints = ImageHints(channels: 1, height: 28, width: 28, classes: 10, seed: sampler.rng.next() % 1_000_000)
        let summary = "\(samples) training images of a hidden alphabet of ten glyphs, \(Feedback.number(seconds)) s of CPU time, "
            + "evaluated on \(heldOut) held-out images of the same glyphs"
        guard let folder = context.dataFolder else {
            return PreparedCase(call: .train(images: "", labels: "", hints: hints, seconds: seconds), inputs: summary)
        }
        let alphabet = GlyphAlphabet(secret: secret)
        var writing = SeededGenerator(seed: secret ^ 0x6C79_7068_2D69_6D67)
        let training = alphabet.images(samples, using: &writing), scored = alphabet.images(heldOut, using: &writing)
        let stem = folder.appendingPathComponent("glyphs-\(samples)-\(UUID().uuidString.prefix(12).lowercased())")
        let images = stem.appendingPathExtension("images.idx"), labels = stem.appendingPathExtension("labels.idx")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try IDXFile.write(training, images: images, labels: labels)
        return PreparedCase(call: .train(images: images.path, labels: labels.path, hints: hints, seconds: seconds), inputs: summary,
                            evidence: [TrainingCheck.Evidence(seconds: seconds, scorer: HeldOutImages(scored, hints: hints, evaluator: ReferenceModels()))],
                            temporaryFiles: [images, labels])
    }

    /// Symmetry `index` (0…7) of a `side` × `side` image as a pixel permutation (what a network prepared on
    /// MNIST tries to fit a hidden task, `PreparedInAdvance`): `index` % 4 quarter turns,
    /// after a reflection across the vertical axis when `index` ≥ 4. Pixel k of the result is pixel
    /// `permutation[k]` of the original.
    static func symmetry(_ index: Int, side: Int) -> [Int] {
        (0..<(side * side)).map { k in
            var (i, j) = (k / side, k % side)
            for _ in 0..<(index % 4) { (i, j) = (j, side - 1 - i) }
            if index >= 4 { j = side - 1 - j }
            return i * side + j
        }
    }

    /// A GAN training case: samples of a mixture of `modes` Gaussians of deviation `sigma` scattered in the
    /// disc of `radius`, at least `separation` apart, at places drawn from `hidden` (the student's private seed
    /// in graded runs); `samples` training samples, `seconds` of CPU time, judged on `evaluation` samples of
    /// the generator.
    private static func mixtureCase(_ sampler: inout RecipeSampler, hidden: UInt64) throws -> PreparedCase<Practical3Call> {
        let modes = try bounded(try sampler.integer("modes", default: 8), "modes", 1...32)
        let radius = try sampler.real("radius", default: 2), sigma = try sampler.real("sigma", default: 0.1)
        let separation = try sampler.real("separation", default: 1)
        let count = try bounded(try sampler.integer("samples", default: 4096), "samples", 1...100_000)
        let evaluation = try bounded(try sampler.integer("evaluation", default: 2500), "evaluation", 1...100_000)
        let seconds = try sampler.real("seconds", default: 10)
        let noiseSize = try bounded(try sampler.integer("noise", default: 2), "noise", 1...64)
        guard radius > 0, radius.isFinite, sigma > 0, sigma < radius else { throw RecipeSampler.ParameterError(description: "radius and sigma must be positive, sigma below radius") }
        guard separation >= 0, separation < radius else { throw RecipeSampler.ParameterError(description: "separation must be within [0, radius)") }
        var hiddenRNG = SeededGenerator(seed: hidden)
        let mixture = MixtureOfGaussians.scattered(modes: modes, radius: radius, sigma: sigma, separation: separation, using: &hiddenRNG)
        let samples = mixture.sample(count, using: &hiddenRNG)
        let hints = GANHints(noiseSize: noiseSize, sampleSize: 2, seed: sampler.rng.next() % 1_000_000)
        let scorer = GeneratorOnMixture(mixture: mixture, noise: hiddenRNG.gaussianMatrix(rows: evaluation, columns: noiseSize), evaluator: ReferenceModels())
        return PreparedCase(call: .trainGAN(samples: samples, hints: hints, seconds: seconds),
                            inputs: "\(count) samples of \(modes) Gaussians (σ = \(Feedback.number(sigma))) at hidden places in a disc of radius \(Feedback.number(radius)), \(Feedback.number(seconds)) s of CPU time",
                            evidence: [TrainingCheck.Evidence(seconds: seconds, scorer: scorer)])
    }

    // MARK: Answers

    /// The training files of a case are removed once it is judged.
    public func release(_ prepared: PreparedCase<Practical3Call>) {
        for file in prepared.temporaryFiles { try? FileManager.default.removeItem(at: file) }
    }

    /// MNIST is read before anyone is graded when a check attacks the grader's network (trained on MNIST).
    public func preflight(_ spec: AssignmentSpec) throws {
        let needsMNIST = spec.allChecks.contains { _, check in
            (check.publicCases + (check.hidden?.recipes ?? [])).contains { $0.problem == "digits" }
        }
        guard needsMNIST else { return }
        _ = try mnist.sets()
    }

    /// Through the wire type, backward answers include the directional derivatives of the reference's own forward pass.
    public func referenceAnswerAsSubmission(to call: Practical3Call) -> Answer {
        switch call {
        case .train, .trainGAN: return referenceAnswer(to: call)
        default: return call.perform(on: Self.reference)
        }
    }

    public func referenceAnswer(to call: Practical3Call) -> Answer {
        switch call {
        case .train:
            return .convolutionalNetwork(ConvolutionalNetwork(channels: 0, height: 0, width: 0, blocks: [], dense: []))
        case .trainGAN:
            return .layers([])
        case .convolutionBackward, .poolBackward, .dropoutBackward, .batchNormalizationBackward, .gradient, .inputGradient, .ganGradients:
            guard let (parts, _) = PartGradients.split(call.perform(on: Self.reference)) else { return .fields([]) }
            return .fields(parts)
        default:
            return call.perform(on: Self.reference)
        }
    }


}

/// The grader's own trained network, the target of attack cases on digits: trained once per driver and kept.
final class AttackTargetCache: Sendable {
    private let mnist: MNISTCache
    private let trained = Locked<ConvolutionalNetwork?>(nil)

    init(mnist: MNISTCache) { self.mnist = mnist }

    /// The images the grader's network is trained on (the first of MNIST's training set) and its epochs:
    /// fixed counts, never a time budget, so the network is the same on every machine and run.
    static let trainingImages = 5000, epochs = 2

    /// The grader's network, trained on first use.
    func network() throws -> ConvolutionalNetwork {
        try trained.withLock { trained in
            if let trained { return trained }
            let (train, _) = try mnist.sets()
            let network = ReferencePractical3().train(train.subset(Array(0..<Self.trainingImages)),
                                                      hints: ImageHints(channels: 1, height: 28, width: 28, classes: 10, seed: 1),
                                                      seconds: .infinity, epochs: Self.epochs)
            trained = network
            return network
        }
    }
}

/// The grader's network and the labels of the images an attack case perturbs.
struct GraderNetwork: AttackTarget {
    let network: ConvolutionalNetwork
    let labels: [Int]

    func accuracy(on images: ImageBatch) -> Double {
        HeldOutImages.accuracy(network, images: images, labels: labels, evaluator: ReferenceModels())
    }
}
