import CourseKit

/// What a requirement returned, as sent back to the grader.
///
/// Besides the kinds practicals 1 and 2 return, two general kinds let a practical compose any answer
/// without a new case here: `tensor` (an array of any rank) and `fields` (named parts, each an answer),
/// which the grader's shape check and `compare` judge part by part.
public enum Answer: Codable, Sendable, Hashable {
    /// One number, such as an accepted step.
    case scalar(Double)
    /// One vector, such as a gradient.
    case vector(Vector)
    /// A list of iterates x₀, x₁, ….
    case iterates([Vector])
    /// Weights and bias.
    case linearUnit(LinearUnit)
    /// A matrix, such as activations or a loss gradient.
    case matrix(Matrix)
    /// A forward-propagation cache.
    case cache(ForwardCache)
    /// Backpropagation's gradients, with the directional derivatives of the submission's own loss.
    case backpropagation(BackpropagationAnswer)
    /// Mini-batches of indices.
    case batches([[Int]])
    /// A trained network.
    case layers([DenseLayer])
    /// A trained convolutional network.
    case convolutionalNetwork(ConvolutionalNetwork)
    /// An array of any rank, such as an image batch or a convolution's filters.
    case tensor(Tensor)
    /// Named parts in a fixed order, such as a backward pass's ∂L/∂x, ∂L/∂W and ∂L/∂b.
    case fields([AnswerField])
    /// The toolkit could not prepare the call before any of the student's code ran (a data file the grader
    /// wrote could not be read in the sandbox). The grader believes it only where it can see the cause (a
    /// file it wrote missing or closed): then it is the grader's fault; otherwise the reply is the
    /// submission's protocol error, since a reply cannot declare the grader's fault.
    case toolkitFault(String)

    /// The kind of value, for messages such as "expected iterates, got a scalar".
    public var kindName: String {
        switch self {
        case .scalar: return "a number"
        case .vector: return "a vector"
        case .iterates: return "a list of iterates"
        case .linearUnit: return "weights and a bias"
        case .matrix: return "a matrix"
        case .cache: return "a forward cache"
        case .backpropagation: return "layer gradients"
        case .batches: return "mini-batches"
        case .layers: return "layers"
        case .convolutionalNetwork: return "a convolutional network"
        case let .tensor(tensor): return "an array of shape \(Tensor.describe(tensor.shape))"
        case let .fields(fields): return "the parts \(fields.map(\.name).joined(separator: ", "))"
        case .toolkitFault: return "a fault of the submission toolkit"
        }
    }
}

/// One named part of an `Answer.fields` answer.
public struct AnswerField: Codable, Sendable, Hashable {
    /// The part's name, as messages write it (`∂L/∂W`, `generator`).
    public var name: String
    /// Its value.
    public var value: Answer

    /// A part named `name`.
    public init(_ name: String, _ value: Answer) {
        self.name = name
        self.value = value
    }
}
