/// A convolutional classifier: blocks of convolution → ReLU → (optional) pooling, then the image is
/// flattened (channel, then row, then column, as `ImageBatch.flattened`) and passes through dense layers,
/// the last of which is softmax for classification.
///
/// On a batch X (N × C × H × W) with one-hot targets Y (N × classes), the loss is the softmax
/// cross-entropy averaged over the batch, L = −(1/N) Σ_n Σ_k Y[n, k] log Ŷ[n, k], as in practical 2.
/// Backpropagation runs the layers in reverse: the dense layers as in practical 2 give ∂L/∂(flattened),
/// which is reshaped to the last block's output; then each block's pooling, ReLU (∂L/∂Z = ∂L/∂A ⊙ [Z > 0])
/// and convolution backward passes (see `ConvolutionLayer` and `Pooling`) give its gradients and the
/// gradient with respect to its input, down to ∂L/∂X, the gradient with respect to the image itself.
public struct ConvolutionalNetwork: Sendable, Hashable, Codable {
    /// C of the input images.
    public var channels: Int
    /// H of the input images.
    public var height: Int
    /// W of the input images.
    public var width: Int
    /// The convolutional blocks, first block first.
    public var blocks: [ConvolutionalBlock]
    /// The dense layers after flattening, first layer first.
    public var dense: [DenseLayer]

    /// A network for images of `channels` × `height` × `width`.
    public init(channels: Int, height: Int, width: Int, blocks: [ConvolutionalBlock], dense: [DenseLayer]) {
        self.channels = channels
        self.height = height
        self.width = width
        self.blocks = blocks
        self.dense = dense
    }

    /// The shape (C, H, W) of each block's output, first block first; nil when a kernel or window does not
    /// fit or a block's filters take another number of channels than they are given.
    public var blockOutputShapes: [(channels: Int, height: Int, width: Int)]? {
        var shape = (channels: channels, height: height, width: width)
        var shapes: [(channels: Int, height: Int, width: Int)] = []
        for block in blocks {
            guard block.convolution.inputChannels == shape.channels,
                  let convolved = block.convolution.outputSize(height: shape.height, width: shape.width) else { return nil }
            shape = (block.convolution.filters, convolved.height, convolved.width)
            if let pooling = block.pooling {
                guard let pooled = pooling.outputSize(height: shape.height, width: shape.width) else { return nil }
                shape = (shape.channels, pooled.height, pooled.width)
            }
            shapes.append(shape)
        }
        return shapes
    }

    /// The number of parameters: every filter weight and bias and every dense weight and bias.
    public var parameterCount: Int {
        blocks.reduce(0) { $0 + $1.convolution.weights.count + $1.convolution.bias.count }
            + dense.reduce(0) { $0 + $1.weights.storage.count + $1.bias.count }
    }
}

/// Convolution, then ReLU, then pooling when there is one.
public struct ConvolutionalBlock: Sendable, Hashable, Codable {
    /// The convolution.
    public var convolution: ConvolutionLayer
    /// The pooling after the ReLU, if any.
    public var pooling: Pooling?

    /// A block.
    public init(convolution: ConvolutionLayer, pooling: Pooling? = nil) {
        self.convolution = convolution
        self.pooling = pooling
    }
}

/// The gradient of a loss with respect to a convolution's filters and biases.
public struct FilterGradient: Sendable, Hashable, Codable {
    /// ∂L/∂W (F × C × k × k).
    public var weights: Tensor
    /// ∂L/∂b (F).
    public var bias: Vector

    /// Creates the gradient.
    public init(weights: Tensor, bias: Vector) {
        self.weights = weights
        self.bias = bias
    }
}

/// The gradient of a convolutional network's loss with respect to every parameter.
public struct ConvolutionalNetworkGradient: Sendable, Hashable, Codable {
    /// One per block, first block first.
    public var blocks: [FilterGradient]
    /// One per dense layer, first layer first.
    public var dense: [LayerGradient]

    /// Creates the gradient.
    public init(blocks: [FilterGradient], dense: [LayerGradient]) {
        self.blocks = blocks
        self.dense = dense
    }
}

/// Adversarial examples against a classifier, in ∞-norm: every pixel moves by at most ε and stays in [0, 1].
///
/// - **FGSM** (Goodfellow et al., 2015): x_adv = clip(x + ε · sign(∇ₓL(x, y)), 0, 1), with sign(0) = 0.
/// - **PGD** (Madry et al., 2018), from x₀ = x without a random start: x_{t+1} = Π(x_t + α · sign(∇ₓL(x_t, y)))
///   for t < steps, where Π clips each pixel to [x − ε, x + ε] and then to [0, 1].
///
/// ∇ₓL is the gradient of the network's batch loss (averaged over the batch) with respect to the images;
/// the average only scales it by 1/N, which the sign ignores.
public struct Attack: Sendable, Hashable, Codable {
    /// ε, the largest change of a pixel.
    public var epsilon: Double
    /// α, PGD's step (FGSM takes one step of ε).
    public var stepSize: Double
    /// PGD's number of steps (1 step of α = ε is FGSM).
    public var steps: Int

    /// FGSM with budget ε.
    public static func fgsm(epsilon: Double) -> Attack { Attack(epsilon: epsilon, stepSize: epsilon, steps: 1) }

    /// PGD with budget ε, step α and `steps` steps.
    public init(epsilon: Double, stepSize: Double, steps: Int) {
        precondition(epsilon >= 0 && stepSize >= 0 && steps >= 0, "Attack: ε \(epsilon), α \(stepSize), \(steps) steps")
        self.epsilon = epsilon
        self.stepSize = stepSize
        self.steps = steps
    }

    private enum CodingKeys: String, CodingKey { case epsilon, stepSize, steps }

    /// Decodes an attack, holding it to the invariants of `init(epsilon:stepSize:steps:)`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let epsilon = try container.decode(Double.self, forKey: .epsilon), stepSize = try container.decode(Double.self, forKey: .stepSize)
        let steps = try container.decode(Int.self, forKey: .steps)
        guard epsilon >= 0, epsilon.isFinite, stepSize >= 0, stepSize.isFinite, steps >= 0, steps <= 1 << 20 else {
            throw DecodingError.dataCorruptedError(forKey: .epsilon, in: container, debugDescription: "ε \(epsilon), α \(stepSize) and \(steps) steps are not an attack's")
        }
        self.init(epsilon: epsilon, stepSize: stepSize, steps: steps)
    }
}

/// A generative adversarial network (Goodfellow et al., 2014) of two multilayer perceptrons: the generator G
/// maps noise z to a sample, the discriminator D maps a sample to the probability that it is real (its last
/// layer has one sigmoid unit).
///
/// With a batch of m real samples x_i and m noise vectors z_i (one per row):
///
///     L_D = −(1/m) Σ log D(x_i) − (1/m) Σ log(1 − D(G(z_i)))     (binary cross-entropy, real = 1, fake = 0)
///     L_G = −(1/m) Σ log D(G(z_i))                                (the non-saturating generator loss)
///
/// ∂L_D/∂θ_D treats G(z) as data; ∂L_G/∂θ_G goes through D (whose parameters it does not change) into G.
/// Written with D's pre-activation s (D = σ(s)): −log σ(s) = softplus(−s) and −log(1 − σ(s)) = softplus(s),
/// whose derivatives are σ(s) − 1 and σ(s); computing them this way never takes the log of 0.
/// One training step updates D on L_D, then G on L_G with the updated D and the same noise, each with its
/// own optimiser state (as two `torch.optim` optimisers do).
public struct GenerativeAdversarialNetwork: Sendable, Hashable, Codable {
    /// G: noise → sample.
    public var generator: [DenseLayer]
    /// D: sample → probability of being real.
    public var discriminator: [DenseLayer]

    /// A GAN of the two networks.
    public init(generator: [DenseLayer], discriminator: [DenseLayer]) {
        self.generator = generator
        self.discriminator = discriminator
    }
}

/// The gradients of a GAN's losses: ∂L_G/∂θ_G for the generator, ∂L_D/∂θ_D for the discriminator.
public struct GANGradient: Sendable, Hashable, Codable {
    /// ∂L_G/∂θ_G, one per generator layer.
    public var generator: [LayerGradient]
    /// ∂L_D/∂θ_D, one per discriminator layer.
    public var discriminator: [LayerGradient]

    /// Creates the gradients.
    public init(generator: [LayerGradient], discriminator: [LayerGradient]) {
        self.generator = generator
        self.discriminator = discriminator
    }
}

/// The parameters of dense layers as one vector, the order optimisers see them in: layer by layer,
/// each layer's W row by row, then its b.
public enum LayerParameters {
    /// θ.
    public static func flatten(_ layers: [DenseLayer]) -> Vector {
        Vector(layers.flatMap { $0.weights.storage + $0.bias.storage })
    }

    /// ∇θ, in the order of `flatten`.
    public static func flatten(_ gradients: [LayerGradient]) -> Vector {
        Vector(gradients.flatMap { $0.weights.storage + $0.bias.storage })
    }

    /// `layers` with their parameters read from `parameters` (in the order of `flatten`).
    public static func unflatten(_ parameters: Vector, like layers: [DenseLayer]) -> [DenseLayer] {
        var offset = 0
        return layers.map { layer in
            let weights = Array(parameters.storage[offset..<(offset + layer.weights.storage.count)])
            offset += weights.count
            let bias = Array(parameters.storage[offset..<(offset + layer.bias.count)])
            offset += bias.count
            return DenseLayer(weights: Matrix(rows: layer.weights.rows, columns: layer.weights.columns, storage: weights), bias: Vector(bias),
                              activation: layer.activation)
        }
    }
}
