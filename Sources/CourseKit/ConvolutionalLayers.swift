/// A convolutional layer: F filters of C × k × k, one bias per filter, a stride and zero padding.
///
/// **The operation is cross-correlation**, as PyTorch's `conv2d` computes it (and as deep-learning
/// courses call "convolution"): the kernel slides over the input *without being flipped*. Flipping
/// it, as the convolution of signal processing does, is a bug here. On a batch X (N × C × H × W),
///
///     Y[n, f, i, j] = b[f] + Σ_c Σ_p Σ_q W[f, c, p, q] · X̃[n, c, i·s + p, j·s + q]
///
/// where X̃ is X with `padding` rows and columns of zeros added on every side, s is the stride,
/// 0 ≤ p, q < k, and the output has H_out = ⌊(H + 2·padding − k)/s⌋ + 1 rows (likewise W_out).
/// The gradients of a loss L with respect to the parameters and the input, from G = ∂L/∂Y, are
///
///     ∂L/∂W[f, c, p, q] = Σ_n Σ_i Σ_j G[n, f, i, j] · X̃[n, c, i·s + p, j·s + q]
///     ∂L/∂b[f]          = Σ_n Σ_i Σ_j G[n, f, i, j]
///     ∂L/∂X̃[n, c, i·s + p, j·s + q] += G[n, f, i, j] · W[f, c, p, q]   (for every f, i, j, p, q)
///
/// and ∂L/∂X is ∂L/∂X̃ without its padding.
public struct ConvolutionLayer: Sendable, Hashable, Codable {
    /// W (F × C × k × k).
    public var weights: Tensor
    /// b (F).
    public var bias: Vector
    /// s, the step between two windows, at least 1.
    public var stride: Int
    /// The rows and columns of zeros added on each side of the input, at least 0.
    public var padding: Int

    /// A layer with the given parameters.
    public init(weights: Tensor, bias: Vector, stride: Int = 1, padding: Int = 0) {
        precondition(weights.rank == 4 && weights.shape[2] == weights.shape[3], "ConvolutionLayer: weights of shape \(Tensor.describe(weights.shape)) are not F×C×k×k")
        precondition(bias.count == weights.shape[0], "ConvolutionLayer: \(weights.shape[0]) filters but \(bias.count) biases")
        precondition(stride >= 1 && padding >= 0, "ConvolutionLayer: stride \(stride), padding \(padding)")
        self.weights = weights
        self.bias = bias
        self.stride = stride
        self.padding = padding
    }

    private enum CodingKeys: String, CodingKey { case weights, bias, stride, padding }

    /// Decodes a layer, holding it to the invariants of `init(weights:bias:stride:padding:)`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let weights = try container.decode(Tensor.self, forKey: .weights)
        let bias = try container.decode(Vector.self, forKey: .bias)
        let stride = try container.decode(Int.self, forKey: .stride)
        let padding = try container.decode(Int.self, forKey: .padding)
        guard weights.rank == 4, weights.shape[2] == weights.shape[3] else {
            throw DecodingError.dataCorruptedError(forKey: .weights, in: container,
                                                   debugDescription: "convolution weights of shape \(Tensor.describe(weights.shape)) are not F×C×k×k")
        }
        guard bias.count == weights.shape[0] else {
            throw DecodingError.dataCorruptedError(forKey: .bias, in: container, debugDescription: "\(weights.shape[0]) filters need \(weights.shape[0]) biases, not \(bias.count)")
        }
        guard stride >= 1, stride <= 1 << 16, padding >= 0, padding <= 1 << 16 else {
            throw DecodingError.dataCorruptedError(forKey: .stride, in: container, debugDescription: "stride \(stride) and padding \(padding) are not a layer's")
        }
        self.init(weights: weights, bias: bias, stride: stride, padding: padding)
    }

    /// F.
    public var filters: Int { weights.shape[0] }
    /// C, the input channels.
    public var inputChannels: Int { weights.shape[1] }
    /// k.
    public var kernelSize: Int { weights.shape[2] }

    /// The output's rows and columns for an input of `height` × `width`: ⌊(H + 2·padding − k)/s⌋ + 1 each,
    /// nil when the kernel does not fit in the padded input.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int)? {
        let paddedHeight = height + 2 * padding, paddedWidth = width + 2 * padding
        guard paddedHeight >= kernelSize, paddedWidth >= kernelSize else { return nil }
        return ((paddedHeight - kernelSize) / stride + 1, (paddedWidth - kernelSize) / stride + 1)
    }

    /// A layer of `filters` filters of `channels` × `kernelSize` × `kernelSize` with weights drawn from
    /// N(0, 2/(C·k·k)) (He initialisation) and zero bias.
    public static func random(filters: Int, channels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                              using rng: inout SeededGenerator) -> ConvolutionLayer {
        let deviation = (2 / Double(channels * kernelSize * kernelSize)).squareRoot()
        let count = filters * channels * kernelSize * kernelSize
        return ConvolutionLayer(weights: Tensor(shape: [filters, channels, kernelSize, kernelSize], storage: (0..<count).map { _ in rng.nextGaussian() * deviation }),
                                bias: .zeros(filters), stride: stride, padding: padding)
    }
}

/// The gradients of a loss with respect to a convolutional layer's input and parameters.
public struct ConvolutionGradient: Sendable, Hashable, Codable {
    /// ∂L/∂X (N × C × H × W).
    public var input: ImageBatch
    /// ∂L/∂W (F × C × k × k).
    public var weights: Tensor
    /// ∂L/∂b (F).
    public var bias: Vector

    /// Creates the gradients.
    public init(input: ImageBatch, weights: Tensor, bias: Vector) {
        self.input = input
        self.weights = weights
        self.bias = bias
    }
}

/// Pooling over windows of `window` × `window` pixels, `stride` apart, channel by channel, without padding.
///
/// The output has ⌊(H − window)/stride⌋ + 1 rows (likewise columns), as PyTorch's `max_pool2d` and
/// `avg_pool2d` with `padding=0`:
/// - **max**: Y[n, c, i, j] = max over the window of X[n, c, i·s + p, j·s + q]. Its gradient goes to
///   the window's maximum; when several pixels tie, to the **first** in row-major order (smallest p,
///   then smallest q), and overlapping windows add up.
/// - **average**: Y[n, c, i, j] = (1/window²) Σ over the window. Its gradient sends G[n, c, i, j]/window²
///   to every pixel of the window.
public struct Pooling: Sendable, Hashable, Codable {
    /// Max or average.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The largest pixel of each window.
        case max
        /// The mean of each window.
        case average
    }

    /// Max or average.
    public var kind: Kind
    /// The window's side, at least 1.
    public var window: Int
    /// The step between two windows, at least 1.
    public var stride: Int

    /// Pooling of `kind` over `window` × `window` windows, `stride` apart (by default, `window`: windows that do not overlap).
    public init(_ kind: Kind, window: Int, stride: Int? = nil) {
        precondition(window >= 1 && (stride ?? window) >= 1, "Pooling: window \(window), stride \(stride ?? window)")
        self.kind = kind
        self.window = window
        self.stride = stride ?? window
    }

    private enum CodingKeys: String, CodingKey { case kind, window, stride }

    /// Decodes a pooling, holding it to the invariants of `init(_:window:stride:)`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(Kind.self, forKey: .kind)
        let window = try container.decode(Int.self, forKey: .window), stride = try container.decode(Int.self, forKey: .stride)
        guard window >= 1, window <= 1 << 16, stride >= 1, stride <= 1 << 16 else {
            throw DecodingError.dataCorruptedError(forKey: .window, in: container, debugDescription: "a pooling window of \(window) and stride \(stride) (both must be at least 1)")
        }
        self.init(kind, window: window, stride: stride)
    }

    /// The output's rows and columns for an input of `height` × `width`, nil when the window does not fit.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int)? {
        guard height >= window, width >= window else { return nil }
        return ((height - window) / stride + 1, (width - window) / stride + 1)
    }
}

/// Inverted dropout with an explicit mask.
///
/// In training, each unit is kept with probability 1 − p and scaled by 1/(1 − p), so that its expected
/// value is unchanged and nothing is rescaled at test time (PyTorch's `dropout`):
///
///     Y = X ⊙ M / (1 − p),    ∂L/∂X = ∂L/∂Y ⊙ M / (1 − p),
///
/// where M holds 1 for a kept unit and 0 for a dropped one. The mask is given (or drawn from a seed by
/// `mask(count:using:)`), so that a forward and its backward drop the same units.
public struct Dropout: Sendable, Hashable, Codable {
    /// p, the probability of dropping a unit, in [0, 1).
    public var probability: Double

    /// Dropout with probability `probability`.
    public init(probability: Double) {
        precondition(probability >= 0 && probability < 1, "Dropout: p = \(probability) is not in [0, 1)")
        self.probability = probability
    }

    private enum CodingKeys: String, CodingKey { case probability }

    /// Decodes a dropout, holding p to [0, 1).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let probability = try container.decode(Double.self, forKey: .probability)
        guard probability >= 0, probability < 1 else {
            throw DecodingError.dataCorruptedError(forKey: .probability, in: container, debugDescription: "dropout probability \(probability) is not in [0, 1)")
        }
        self.init(probability: probability)
    }

    /// 1/(1 − p), the scale of every kept unit.
    public var scale: Double { 1 / (1 - probability) }

    /// A mask of `count` entries, each 0 with probability p and 1 otherwise, in order from `rng`
    /// (entry i is 0 when the i-th `nextUniform()` is below p).
    public func mask(count: Int, using rng: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in rng.nextUniform() < probability ? 0 : 1 }
    }
}

/// Batch normalisation in training mode, per channel, as PyTorch's `batch_norm(training=True)`.
///
/// For channel c, over the m = N·H·W values x of that channel in the batch:
///
///     μ_c = (1/m) Σ x,    σ²_c = (1/m) Σ (x − μ_c)²   (the biased variance),
///     x̂ = (x − μ_c)/√(σ²_c + ε),    y = γ_c · x̂ + β_c.
///
/// Its backward pass, with g = ∂L/∂y, must go through μ and σ², which depend on every x of the channel:
///
///     ∂L/∂γ_c = Σ g · x̂,    ∂L/∂β_c = Σ g,
///     ∂L/∂x   = γ_c / (m √(σ²_c + ε)) · (m·g − Σ g − x̂ · Σ g·x̂).
///
/// (Treating μ and σ² as constants gives γ g /√(σ² + ε), which is wrong in training mode.)
public struct BatchNormalization: Sendable, Hashable, Codable {
    /// γ (C), the scale of each channel.
    public var gamma: Vector
    /// β (C), the shift of each channel.
    public var beta: Vector
    /// ε, added to the variance, 10⁻⁵ by default as in PyTorch.
    public var epsilon: Double

    /// A layer with the given parameters.
    public init(gamma: Vector, beta: Vector, epsilon: Double = 1e-5) {
        precondition(gamma.count == beta.count, "BatchNormalization: \(gamma.count) scales but \(beta.count) shifts")
        precondition(epsilon > 0, "BatchNormalization: ε = \(epsilon) must be positive")
        self.gamma = gamma
        self.beta = beta
        self.epsilon = epsilon
    }

    private enum CodingKeys: String, CodingKey { case gamma, beta, epsilon }

    /// Decodes a layer, holding it to the invariants of `init(gamma:beta:epsilon:)`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let gamma = try container.decode(Vector.self, forKey: .gamma), beta = try container.decode(Vector.self, forKey: .beta)
        let epsilon = try container.decode(Double.self, forKey: .epsilon)
        guard gamma.count == beta.count else {
            throw DecodingError.dataCorruptedError(forKey: .beta, in: container, debugDescription: "\(gamma.count) scales but \(beta.count) shifts")
        }
        guard epsilon > 0, epsilon.isFinite else {
            throw DecodingError.dataCorruptedError(forKey: .epsilon, in: container, debugDescription: "ε = \(epsilon) must be positive and finite")
        }
        self.init(gamma: gamma, beta: beta, epsilon: epsilon)
    }

    /// The identity normalisation of `channels` channels: γ = 1, β = 0.
    public init(channels: Int, epsilon: Double = 1e-5) {
        self.init(gamma: Vector(repeating: 1, count: channels), beta: .zeros(channels), epsilon: epsilon)
    }
}

/// The gradients of a loss with respect to batch normalisation's input and parameters.
public struct BatchNormalizationGradient: Sendable, Hashable, Codable {
    /// ∂L/∂X (N × C × H × W).
    public var input: ImageBatch
    /// ∂L/∂γ (C).
    public var gamma: Vector
    /// ∂L/∂β (C).
    public var beta: Vector

    /// Creates the gradients.
    public init(input: ImageBatch, gamma: Vector, beta: Vector) {
        self.input = input
        self.gamma = gamma
        self.beta = beta
    }
}
