import CourseKit
import SubmissionRuntime

/// Whether a decoded answer has the structure of the reference's, checked before any check computes with it.
///
/// Decoding already holds every matrix and layer to its own invariants (a matrix's storage matches its
/// shape, a layer has one bias per row of W). This step compares the answer with what the call must
/// return: the same kind of value, vectors of the right dimension, matrices of the right shape, one
/// gradient per layer. A mismatch is a wrong answer whose message says what and where, and no check
/// ever sees a value whose shape would make the grader's own arithmetic trap.
enum ReplyShape {
    /// Why `answer` cannot be judged against `reference`, or nil; `name` is the value's name in messages
    /// (a part of a `fields` answer by its path).
    static func problem(_ answer: Answer, against reference: Answer, name: String = "the result") -> String? {
        switch (answer, reference) {
        case (.scalar, .scalar):
            return nil
        case let (.vector(got), .vector(expected)):
            return dimension(got, expected.count, name: name)
        case let (.iterates(got), .iterates(expected)):
            guard let dimension = expected.first?.count else { return nil }
            return iterates(got, dimension: dimension)
        case let (.linearUnit(got), .linearUnit(expected)):
            return self.dimension(got.weights, expected.weights.count, name: "the weights")
        case let (.matrix(got), .matrix(expected)):
            return shape(got, like: expected, name: name)
        case let (.cache(got), .cache(expected)):
            guard got.preActivations.count == expected.preActivations.count, got.activations.count == expected.activations.count else {
                return "the cache has \(got.preActivations.count) matrices z and \(got.activations.count) matrices a; expected \(expected.preActivations.count) and \(expected.activations.count) (a_0 is the input)"
            }
            for (l, (g, e)) in zip(got.preActivations, expected.preActivations).enumerated() {
                if let problem = shape(g, like: e, name: "z_\(l + 1)") { return problem }
            }
            for (l, (g, e)) in zip(got.activations, expected.activations).enumerated() {
                if let problem = shape(g, like: e, name: "a_\(l)") { return problem }
            }
            return nil
        case let (.backpropagation(got), .backpropagation(expected)):
            return gradients(got.gradients, like: expected.gradients)
        case (.batches, .batches), (.layers, .layers):
            return nil
        case let (.tensor(got), .tensor(expected)):
            return got.shape == expected.shape ? nil
                : "\(name): an array of shape \(Tensor.describe(got.shape)), expected \(Tensor.describe(expected.shape))"
        case let (.fields(got), .fields(expected)):
            guard got.map(\.name) == expected.map(\.name) else {
                return "\(name): the parts \(got.map(\.name).joined(separator: ", ")), expected \(expected.map(\.name).joined(separator: ", "))"
            }
            for (part, reference) in zip(got, expected) {
                if let problem = problem(part.value, against: reference.value, name: name == "the result" ? part.name : "\(name).\(part.name)") {
                    return problem
                }
            }
            return nil
        default:
            return (name == "the result" ? "" : "\(name): ") + "expected \(reference.kindName), got \(answer.kindName)"
        }
    }

    /// Every iterate has `dimension` coordinates.
    static func iterates(_ iterates: [Vector], dimension: Int) -> String? {
        guard let k = iterates.firstIndex(where: { $0.count != dimension }) else { return nil }
        return "x_\(k) has dimension \(iterates[k].count), expected \(dimension); every iterate lives in the problem's space"
    }

    /// One gradient per layer, each with the shapes of the layer's W and b.
    static func gradients(_ got: [LayerGradient], like expected: [LayerGradient]) -> String? {
        guard got.count == expected.count else {
            return "\(got.count) layer gradients, expected \(expected.count) (one per layer, first layer first)"
        }
        for (l, (g, e)) in zip(got, expected).enumerated() {
            if let problem = shape(g.weights, like: e.weights, name: "∂L/∂W_\(l + 1)") { return problem }
            if let problem = dimension(g.bias, e.bias.count, name: "∂L/∂b_\(l + 1)") { return problem }
        }
        return nil
    }

    /// A network that maps `inputs` features to `outputs` scores: consecutive layers chain, and it has at most
    /// `maximumLayers` layers of at most `maximumWidth` units and `maximumParameters` parameters. `given` says
    /// what the first layer is given, for messages ("images have 784 pixels" by default).
    static func network(_ layers: [DenseLayer], inputs: Int, outputs: Int, maximumLayers: Int, maximumParameters: Int, maximumWidth: Int,
                        given: String? = nil) -> String? {
        guard let first = layers.first, let last = layers.last else { return "train returned no layers" }
        guard layers.count <= maximumLayers else { return "the network has \(layers.count) layers; at most \(maximumLayers) are accepted" }
        if let l = layers.firstIndex(where: { $0.weights.rows > maximumWidth }) {
            return "layer \(l + 1) has \(layers[l].weights.rows) units; at most \(maximumWidth) per layer are accepted"
        }
        let parameters = layers.reduce(0) { $0 + $1.weights.storage.count + $1.bias.count }
        guard parameters <= maximumParameters else {
            return "the network has \(parameters) parameters; at most \(maximumParameters) are accepted"
        }
        guard first.weights.columns == inputs else {
            return "the first layer takes \(first.weights.columns) inputs, but \(given ?? "images have \(inputs) pixels")"
        }
        for (l, pair) in zip(layers, layers.dropFirst()).enumerated() where pair.0.weights.rows != pair.1.weights.columns {
            return "layer \(l + 1) outputs \(pair.0.weights.rows) values but layer \(l + 2) takes \(pair.1.weights.columns)"
        }
        guard last.weights.rows == outputs else {
            return "the last layer outputs \(last.weights.rows) scores; it must output one per class (\(outputs))"
        }
        return nil
    }

    private static func dimension(_ vector: Vector, _ expected: Int, name: String) -> String? {
        vector.count == expected ? nil : "\(name): \(vector.count) entries, expected \(expected)"
    }

    private static func shape(_ matrix: Matrix, like expected: Matrix, name: String) -> String? {
        matrix.rows == expected.rows && matrix.columns == expected.columns ? nil
            : "\(name): a \(matrix.rows)×\(matrix.columns) matrix, expected \(expected.rows)×\(expected.columns)"
    }
}
