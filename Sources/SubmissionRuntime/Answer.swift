import CourseKit

/// What a requirement returned, as sent back to the grader.
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
        }
    }
}
