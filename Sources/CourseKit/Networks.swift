/// An activation function Φ, applied to a layer's pre-activations z.
///
/// | activation | Φ(z) | Φ′(z) |
/// |---|---|---|
/// | sigmoid | σ(z) = 1/(1 + e^{−z}) | σ(z)(1 − σ(z)) |
/// | relu | max(0, z) | 1 if z > 0, else 0 (0 at z = 0) |
/// | tanh | tanh z | 1 − tanh² z |
/// | leakyReLU(α) | z if z > 0, else αz | 1 if z > 0, else α |
/// | softmax | e^{z_k − max z} / Σ_j e^{z_j − max z}, per sample | used only as the output of softmax cross-entropy |
/// | identity | z | 1 |
///
/// Softmax must subtract each sample's largest logit before exponentiating: e^{1000} overflows,
/// and softmax(z − c) = softmax(z) for any constant c. Likewise σ and σ′ must stay finite for any z:
/// 1/(1 + e^{−z}) does (e^{−z} overflows to +∞ and σ to 0), e^z/(1 + e^z) does not (∞/∞ past z ≈ 709),
/// nor does e^{−z}/(1 + e^{−z})² for σ′; σ(z)(1 − σ(z)) does.
public enum Activation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The logistic sigmoid.
    case sigmoid
    /// The rectified linear unit.
    case relu
    /// The hyperbolic tangent.
    case tanh
    /// The leaky ReLU with slope α for negative inputs.
    case leakyReLU(alpha: Double)
    /// Softmax over each sample's outputs.
    case softmax
    /// No activation.
    case identity

    /// The name, as in `leakyReLU(0.01)`.
    public var description: String {
        switch self {
        case .sigmoid: return "sigmoid"
        case .relu: return "relu"
        case .tanh: return "tanh"
        case let .leakyReLU(alpha): return "leakyReLU(\(alpha))"
        case .softmax: return "softmax"
        case .identity: return "identity"
        }
    }
}

/// A loss L(ŷ, y) averaged over the m samples (rows) of a batch.
///
/// | loss | L | ∂L/∂ŷ |
/// |---|---|---|
/// | mse | (1/m) Σ_i ½ ‖y_i − ŷ_i‖² | (ŷ − y)/m |
/// | binaryCrossEntropy | −(1/m) Σ_i Σ_k [y log ŷ + (1 − y) log(1 − ŷ)] | (ŷ − y) / (ŷ(1 − ŷ) m) |
/// | softmaxCrossEntropy | −(1/m) Σ_i Σ_k y_ik log ŷ_ik, ŷ = softmax(z) | see below |
///
/// Softmax cross-entropy is paired with a softmax output layer, and its gradient is taken with
/// respect to the logits z directly: ∂L/∂z = (ŷ − y)/m, which is both simpler and exact where
/// ŷ(1 − ŷ) underflows.
public enum Loss: Sendable, Hashable, Codable {
    /// Half the squared error.
    case mse
    /// Binary cross-entropy of probabilities in (0, 1).
    case binaryCrossEntropy
    /// Cross-entropy of a softmax output against one-hot targets.
    case softmaxCrossEntropy
}

/// A fully connected layer: z = W a + b, then Φ(z).
///
/// W has one row per output unit and one column per input, b one entry per output unit. On a batch
/// whose samples are the rows of A (m × n_in), the pre-activations are Z = A Wᵀ + 1 bᵀ (m × n_out).
public struct DenseLayer: Sendable, Hashable, Codable {
    /// W (n_out × n_in).
    public var weights: Matrix
    /// b (n_out).
    public var bias: Vector
    /// Φ.
    public var activation: Activation

    /// Creates a layer.
    public init(weights: Matrix, bias: Vector, activation: Activation) {
        precondition(weights.rows == bias.count, "DenseLayer: \(weights.rows) output rows but \(bias.count) biases")
        self.weights = weights
        self.bias = bias
        self.activation = activation
    }

    /// Decodes a layer, holding it to the invariant of `init(weights:bias:activation:)`: one bias per row of W.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let weights = try container.decode(Matrix.self, forKey: .weights)
        let bias = try container.decode(Vector.self, forKey: .bias)
        guard bias.count == weights.rows else {
            throw DecodingError.dataCorruptedError(forKey: .bias, in: container,
                                                   debugDescription: "a layer with \(weights.rows)×\(weights.columns) weights needs \(weights.rows) biases, not \(bias.count)")
        }
        self.weights = weights
        self.bias = bias
        activation = try container.decode(Activation.self, forKey: .activation)
    }

    /// A layer with weights drawn from N(0, 2/n_in) (He initialisation, suited to ReLU) and zero bias.
    public static func random(inputs: Int, outputs: Int, activation: Activation, using rng: inout SeededGenerator) -> DenseLayer {
        DenseLayer(weights: rng.gaussianMatrix(rows: outputs, columns: inputs, standardDeviation: (2 / Double(inputs)).squareRoot()),
                   bias: .zeros(outputs), activation: activation)
    }
}

/// What forward propagation keeps for backpropagation: every layer's z_l and a_l, batch rows as samples.
public struct ForwardCache: Sendable, Hashable, Codable {
    /// Z_1 … Z_L, one per layer.
    public var preActivations: [Matrix]
    /// A_0 = X (the input), A_1 … A_L; A_L is the network's output.
    public var activations: [Matrix]

    /// Creates a cache.
    public init(preActivations: [Matrix], activations: [Matrix]) {
        self.preActivations = preActivations
        self.activations = activations
    }

    /// The network's output A_L.
    public var output: Matrix { activations[activations.count - 1] }
}

/// ∂L/∂W_l and ∂L/∂b_l for one layer.
public struct LayerGradient: Sendable, Hashable, Codable {
    /// ∂L/∂W (the shape of W).
    public var weights: Matrix
    /// ∂L/∂b (the shape of b).
    public var bias: Vector

    /// Creates a gradient.
    public init(weights: Matrix, bias: Vector) {
        self.weights = weights
        self.bias = bias
    }
}
