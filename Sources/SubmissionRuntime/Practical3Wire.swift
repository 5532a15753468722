import CourseKit
import Foundation

/// How a backward call probes the submission's own forward pass: `count` random unit directions u drawn
/// by `ProbeDirections` from `seed`, each answered by the central difference (L(θ + h u) − L(θ − h u)) / (2h)
/// with h = `step`, to be compared with uᵀ∇L from the submission's gradients (torch's gradcheck fast mode).
public struct Probes: Codable, Sendable, Hashable {
    /// The number of directions.
    public var count: Int
    /// The seed of the directions.
    public var seed: UInt64
    /// h.
    public var step: Double

    /// Creates probes.
    public init(count: Int, seed: UInt64, step: Double) {
        self.count = count
        self.seed = seed
        self.step = step
    }
}

/// The random directions of a directional check, drawn identically by the submission and the grader.
///
/// A call's parameters form one or more groups (a GAN has two: the generator's under L_G, the
/// discriminator's under L_D); a group is a list of parts (∂L/∂X, ∂L/∂W, …), each a flat array. For each
/// probe in turn, then each group in turn, one direction is drawn: N(0, 1) entries for every part of the
/// group, in order, normalised to unit length over the whole group.
public enum ProbeDirections {
    /// The directions of every probe and group: `[probe][group][part]`, for groups of parts of `counts` entries.
    public static func draw(_ probes: Probes, groups counts: [[Int]]) -> [[[[Double]]]] {
        var rng = SeededGenerator(seed: probes.seed)
        return (0..<max(0, probes.count)).map { _ in
            counts.map { group in
                let raw = group.map { count in (0..<count).map { _ in rng.nextGaussian() } }
                let norm = raw.reduce(0) { $0 + $1.reduce(0) { $0 + $1 * $1 } }.squareRoot()
                return raw.map { part in part.map { norm > 0 ? $0 / norm : 0 } }
            }
        }
    }

    /// The central differences of `loss` along the directions of `probes`, probe by probe then group by
    /// group: `loss(group, shift)` is the group's loss with each part moved by the given flat shift arrays.
    public static func centralDifferences(_ probes: Probes, groups counts: [[Int]],
                                          loss: (_ group: Int, _ shift: [[Double]]) -> Double) -> [Double] {
        let h = probes.step
        return draw(probes, groups: counts).flatMap { directions in
            directions.enumerated().map { group, direction -> Double in
                let up = loss(group, direction.map { $0.map { h * $0 } }), down = loss(group, direction.map { $0.map { -h * $0 } })
                return (up - down) / (2 * h)
            }
        }
    }

    /// Σ over parts of ⟨direction, gradient⟩.
    public static func dot(_ direction: [[Double]], _ gradient: [[Double]]) -> Double {
        zip(direction, gradient).reduce(0) { total, pair in total + zip(pair.0, pair.1).reduce(0) { $0 + $1.0 * $1.1 } }
    }
}

/// The name of the part of a backward answer that holds its directional derivatives.
public let directionalDerivativesField = "directional derivatives"

/// One call of a `Practical3` requirement, with its arguments.
///
/// Backward calls answer named parts (`Answer.fields`): each gradient, first the input's, then each
/// parameter's, then the directional derivatives of the submission's own forward pass (see `Probes`).
/// A layer's backward pass is probed on L = ⟨G, forward(X)⟩, the loss whose ∂L/∂Y is the given G.
public enum Practical3Call: Codable, Sendable, Hashable {
    /// `convolutionForward(_:layer:)`.
    case convolutionForward(x: ImageBatch, layer: ConvolutionLayer)
    /// `convolutionBackward(_:layer:outputGradient:)`: ∂L/∂X, ∂L/∂W, ∂L/∂b.
    case convolutionBackward(x: ImageBatch, layer: ConvolutionLayer, outputGradient: ImageBatch, probes: Probes)
    /// `pool(_:_:)`.
    case pool(x: ImageBatch, pooling: Pooling)
    /// `poolBackward(_:_:outputGradient:)`: ∂L/∂X.
    case poolBackward(x: ImageBatch, pooling: Pooling, outputGradient: ImageBatch, probes: Probes)
    /// `dropout(_:_:mask:)`.
    case dropout(x: ImageBatch, dropout: Dropout, mask: [Double])
    /// `dropoutBackward(_:mask:outputGradient:)`: ∂L/∂X, probed through `dropout` at `x`.
    case dropoutBackward(x: ImageBatch, dropout: Dropout, mask: [Double], outputGradient: ImageBatch, probes: Probes)
    /// `batchNormalization(_:_:)`.
    case batchNormalization(x: ImageBatch, layer: BatchNormalization)
    /// `batchNormalizationBackward(_:_:outputGradient:)`: ∂L/∂X, ∂L/∂γ, ∂L/∂β.
    case batchNormalizationBackward(x: ImageBatch, layer: BatchNormalization, outputGradient: ImageBatch, probes: Probes)
    /// `loss(_:input:targets:)`.
    case loss(network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix)
    /// `gradient(_:input:targets:)`: each block's ∂L/∂W and ∂L/∂b, then each dense layer's.
    case gradient(network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix, probes: Probes)
    /// `inputGradient(_:input:targets:)`: ∇ₓL.
    case inputGradient(network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix, probes: Probes)
    /// `fgsm(_:input:targets:epsilon:)` or `pgd(_:input:targets:epsilon:stepSize:steps:)`, as `attack` says
    /// (FGSM when `attack` is `Attack.fgsm(epsilon:)`, spelled `fgsm`).
    case attack(name: String, network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix, attack: Attack)
    /// `train` on the IDX pair at `images` and `labels` (uncompressed, written by the grader).
    case train(images: String, labels: String, hints: ImageHints, seconds: Double)
    /// `discriminatorLoss(_:real:noise:)`.
    case discriminatorLoss(gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix)
    /// `generatorLoss(_:noise:)`.
    case generatorLoss(gan: GenerativeAdversarialNetwork, noise: Matrix)
    /// `ganGradients(_:real:noise:)`: the generator's gradients probed on L_G, the discriminator's on L_D.
    case ganGradients(gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix, probes: Probes)
    /// `steps` calls of `ganStep`, from fresh optimiser states, on the given batches in turn (batch t is
    /// `real` and `noise` rows t·m ..< (t+1)·m); answers the GAN's parameters after the last.
    case ganSteps(gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix, optimizer: Optimizer, steps: Int)
    /// `trainGAN(_:hints:seconds:)`.
    case trainGAN(samples: Matrix, hints: GANHints, seconds: Double)

    /// The requirement's name, as assignment specs spell it in `call:`.
    public var name: String {
        switch self {
        case .convolutionForward: return "convolutionForward"
        case .convolutionBackward: return "convolutionBackward"
        case .pool: return "pool"
        case .poolBackward: return "poolBackward"
        case .dropout: return "dropout"
        case .dropoutBackward: return "dropoutBackward"
        case .batchNormalization: return "batchNormalization"
        case .batchNormalizationBackward: return "batchNormalizationBackward"
        case .loss: return "loss"
        case .gradient: return "gradient"
        case .inputGradient: return "inputGradient"
        case let .attack(name, _, _, _, _): return name
        case .train: return "train"
        case .discriminatorLoss: return "discriminatorLoss"
        case .generatorLoss: return "generatorLoss"
        case .ganGradients: return "ganGradients"
        case .ganSteps: return "ganStep"
        case .trainGAN: return "trainGAN"
        }
    }

    /// Runs this call on `solution` and wraps what it returns.
    public func perform(on solution: some Practical3) -> Answer {
        switch self {
        case let .convolutionForward(x, layer):
            return .tensor(solution.convolutionForward(x, layer: layer).tensor)
        case let .convolutionBackward(x, layer, g, probes):
            let gradient = solution.convolutionBackward(x, layer: layer, outputGradient: g)
            let derivatives = ProbeDirections.centralDifferences(probes, groups: [[x.storage.count, layer.weights.count, layer.bias.count]]) { _, shift in
                let moved = ConvolutionLayer(weights: Tensor(shape: layer.weights.shape, storage: Self.add(layer.weights.storage, shift[1])),
                                             bias: Vector(Self.add(layer.bias.storage, shift[2])), stride: layer.stride, padding: layer.padding)
                return Self.pairing(g, solution.convolutionForward(Self.moved(x, shift[0]), layer: moved))
            }
            return Self.gradientAnswer([("∂L/∂X", .tensor(gradient.input.tensor)), ("∂L/∂W", .tensor(gradient.weights)), ("∂L/∂b", .vector(gradient.bias))],
                                       derivatives)
        case let .pool(x, pooling):
            return .tensor(solution.pool(x, pooling).tensor)
        case let .poolBackward(x, pooling, g, probes):
            let gradient = solution.poolBackward(x, pooling, outputGradient: g)
            let derivatives = ProbeDirections.centralDifferences(probes, groups: [[x.storage.count]]) { _, shift in
                Self.pairing(g, solution.pool(Self.moved(x, shift[0]), pooling))
            }
            return Self.gradientAnswer([("∂L/∂X", .tensor(gradient.tensor))], derivatives)
        case let .dropout(x, dropout, mask):
            return .tensor(solution.dropout(x, dropout, mask: mask).tensor)
        case let .dropoutBackward(x, dropout, mask, g, probes):
            let gradient = solution.dropoutBackward(dropout, mask: mask, outputGradient: g)
            let derivatives = ProbeDirections.centralDifferences(probes, groups: [[x.storage.count]]) { _, shift in
                Self.pairing(g, solution.dropout(Self.moved(x, shift[0]), dropout, mask: mask))
            }
            return Self.gradientAnswer([("∂L/∂X", .tensor(gradient.tensor))], derivatives)
        case let .batchNormalization(x, layer):
            return .tensor(solution.batchNormalization(x, layer).tensor)
        case let .batchNormalizationBackward(x, layer, g, probes):
            let gradient = solution.batchNormalizationBackward(x, layer, outputGradient: g)
            let derivatives = ProbeDirections.centralDifferences(probes, groups: [[x.storage.count, layer.gamma.count, layer.beta.count]]) { _, shift in
                let moved = BatchNormalization(gamma: Vector(Self.add(layer.gamma.storage, shift[1])), beta: Vector(Self.add(layer.beta.storage, shift[2])),
                                               epsilon: layer.epsilon)
                return Self.pairing(g, solution.batchNormalization(Self.moved(x, shift[0]), moved))
            }
            return Self.gradientAnswer([("∂L/∂X", .tensor(gradient.input.tensor)), ("∂L/∂γ", .vector(gradient.gamma)), ("∂L/∂β", .vector(gradient.beta))],
                                       derivatives)
        case let .loss(network, input, targets):
            return .scalar(solution.loss(network, input: input, targets: targets))
        case let .gradient(network, input, targets, probes):
            let gradient = solution.gradient(network, input: input, targets: targets)
            let derivatives = ProbeDirections.centralDifferences(probes, groups: [ConvolutionalParameters.counts(network)]) { _, shift in
                solution.loss(ConvolutionalParameters.moved(network, by: shift), input: input, targets: targets)
            }
            return Self.gradientAnswer(ConvolutionalParameters.parts(gradient), derivatives)
        case let .inputGradient(network, input, targets, probes):
            let gradient = solution.inputGradient(network, input: input, targets: targets)
            let derivatives = ProbeDirections.centralDifferences(probes, groups: [[input.storage.count]]) { _, shift in
                solution.loss(network, input: Self.moved(input, shift[0]), targets: targets)
            }
            return Self.gradientAnswer([("∇ₓL", .tensor(gradient.tensor))], derivatives)
        case let .attack(name, network, input, targets, attack):
            let adversarial = name == "fgsm"
                ? solution.fgsm(network, input: input, targets: targets, epsilon: attack.epsilon)
                : solution.pgd(network, input: input, targets: targets, epsilon: attack.epsilon, stepSize: attack.stepSize, steps: attack.steps)
            return .tensor(adversarial.tensor)
        case let .train(images, labels, hints, seconds):
            return NetworkParameters.training(images: images, labels: labels) { .convolutionalNetwork(solution.train($0, hints: hints, seconds: seconds)) }
        case let .discriminatorLoss(gan, real, noise):
            return .scalar(solution.discriminatorLoss(gan, real: real, noise: noise))
        case let .generatorLoss(gan, noise):
            return .scalar(solution.generatorLoss(gan, noise: noise))
        case let .ganGradients(gan, real, noise, probes):
            let gradient = solution.ganGradients(gan, real: real, noise: noise)
            let groups = [DenseParameters.counts(gan.generator), DenseParameters.counts(gan.discriminator)]
            let derivatives = ProbeDirections.centralDifferences(probes, groups: groups) { group, shift in
                var moved = gan
                if group == 0 {
                    moved.generator = DenseParameters.moved(gan.generator, by: shift)
                    return solution.generatorLoss(moved, noise: noise)
                }
                moved.discriminator = DenseParameters.moved(gan.discriminator, by: shift)
                return solution.discriminatorLoss(moved, real: real, noise: noise)
            }
            return Self.gradientAnswer(DenseParameters.parts(gradient.generator, network: "generator") + DenseParameters.parts(gradient.discriminator, network: "discriminator"),
                                       derivatives)
        case let .ganSteps(gan, real, noise, optimizer, steps):
            var current = gan, states = GANOptimizerStates(for: gan)
            let m = steps > 0 ? real.rows / steps : 0
            for t in 0..<max(0, steps) {
                (current, states) = solution.ganStep(current, real: Self.rows(real, t * m, m), noise: Self.rows(noise, t * m, m),
                                                     optimizer: optimizer, states: states)
            }
            return .fields((DenseParameters.values(current.generator, network: "generator") + DenseParameters.values(current.discriminator, network: "discriminator"))
                .map { AnswerField($0.0, $0.1) })
        case let .trainGAN(samples, hints, seconds):
            return .layers(solution.trainGAN(samples, hints: hints, seconds: seconds))
        }
    }

    /// Gradient parts and the directional derivatives, as a backward call answers them.
    static func gradientAnswer(_ parts: [(String, Answer)], _ derivatives: [Double]) -> Answer {
        .fields(parts.map { AnswerField($0.0, $0.1) } + [AnswerField(directionalDerivativesField, .vector(Vector(derivatives)))])
    }

    /// ⟨G, Y⟩, the loss whose gradient with respect to Y is G; NaN when the shapes differ.
    static func pairing(_ g: ImageBatch, _ y: ImageBatch) -> Double {
        guard g.shape == y.shape else { return .nan }
        return zip(g.storage, y.storage).reduce(0) { $0 + $1.0 * $1.1 }
    }

    static func add(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 + $1 } }

    static func moved(_ x: ImageBatch, _ shift: [Double]) -> ImageBatch {
        ImageBatch(count: x.count, channels: x.channels, height: x.height, width: x.width, storage: add(x.storage, shift))
    }

    /// `count` rows of `matrix` from row `start`.
    static func rows(_ matrix: Matrix, _ start: Int, _ count: Int) -> Matrix {
        Matrix(rows: count, columns: matrix.columns, storage: Array(matrix.storage[(start * matrix.columns)..<((start + count) * matrix.columns)]))
    }
}

/// The parameters of a convolutional network as the parts of a gradient answer: each block's W and b,
/// then each dense layer's W and b.
public enum ConvolutionalParameters {
    /// The number of entries of each part.
    public static func counts(_ network: ConvolutionalNetwork) -> [Int] {
        network.blocks.flatMap { [$0.convolution.weights.count, $0.convolution.bias.count] }
            + network.dense.flatMap { [$0.weights.storage.count, $0.bias.count] }
    }

    /// The gradient's parts, named after the layer they belong to.
    public static func parts(_ gradient: ConvolutionalNetworkGradient) -> [(String, Answer)] {
        gradient.blocks.enumerated().flatMap { index, block in
            [("block \(index + 1) ∂L/∂W", Answer.tensor(block.weights)), ("block \(index + 1) ∂L/∂b", .vector(block.bias))]
        } + DenseParameters.parts(gradient.dense, network: "dense")
    }

    /// `network` with each part moved by the matching flat shift.
    public static func moved(_ network: ConvolutionalNetwork, by shift: [[Double]]) -> ConvolutionalNetwork {
        var moved = network
        for (b, block) in network.blocks.enumerated() {
            let convolution = block.convolution
            moved.blocks[b].convolution = ConvolutionLayer(weights: Tensor(shape: convolution.weights.shape, storage: Practical3Call.add(convolution.weights.storage, shift[2 * b])),
                                                           bias: Vector(Practical3Call.add(convolution.bias.storage, shift[2 * b + 1])),
                                                           stride: convolution.stride, padding: convolution.padding)
        }
        moved.dense = DenseParameters.moved(network.dense, by: Array(shift.dropFirst(2 * network.blocks.count)))
        return moved
    }
}

/// The parameters of dense layers as the parts of a gradient answer: each layer's W, then its b.
public enum DenseParameters {
    /// The number of entries of each part.
    public static func counts(_ layers: [DenseLayer]) -> [Int] { layers.flatMap { [$0.weights.storage.count, $0.bias.count] } }

    /// The gradients' parts, named `<network> ∂L/∂W_l` and `<network> ∂L/∂b_l`.
    public static func parts(_ gradients: [LayerGradient], network: String) -> [(String, Answer)] {
        gradients.enumerated().flatMap { index, layer in
            [("\(network) ∂L/∂W_\(index + 1)", Answer.matrix(layer.weights)), ("\(network) ∂L/∂b_\(index + 1)", .vector(layer.bias))]
        }
    }

    /// The layers' parameters as parts, named `<network> W_l` and `<network> b_l`.
    public static func values(_ layers: [DenseLayer], network: String) -> [(String, Answer)] {
        layers.enumerated().flatMap { index, layer in
            [("\(network) W_\(index + 1)", Answer.matrix(layer.weights)), ("\(network) b_\(index + 1)", .vector(layer.bias))]
        }
    }

    /// `layers` with each part moved by the matching flat shift.
    public static func moved(_ layers: [DenseLayer], by shift: [[Double]]) -> [DenseLayer] {
        layers.enumerated().map { l, layer in
            DenseLayer(weights: Matrix(rows: layer.weights.rows, columns: layer.weights.columns, storage: Practical3Call.add(layer.weights.storage, shift[2 * l])),
                       bias: Vector(Practical3Call.add(layer.bias.storage, shift[2 * l + 1])), activation: layer.activation)
        }
    }
}

extension Practical3Call: ServedCall {
    /// A practical-3 call is answered by the student's `Practical3`.
    public func answer(with solution: any Practical3) -> Answer { perform(on: solution) }
}
