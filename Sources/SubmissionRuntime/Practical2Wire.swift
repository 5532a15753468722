import CourseKit
import Foundation

/// Backpropagation's result as the grader receives it.
public struct BackpropagationAnswer: Codable, Sendable, Hashable {
    /// The submission's ∂L/∂W_l and ∂L/∂b_l.
    public var gradients: [LayerGradient]
    /// For each probe direction u: (L(θ + h u) − L(θ − h u)) / (2h), computed with the submission's own
    /// `forward` and `loss`, to be compared with uᵀ∇L from its gradients.
    public var directionalDerivatives: [Double]

    /// Creates an answer.
    public init(gradients: [LayerGradient], directionalDerivatives: [Double]) {
        self.gradients = gradients
        self.directionalDerivatives = directionalDerivatives
    }
}

/// One call of a `Practical2` requirement, with its arguments.
public enum Practical2Call: Codable, Sendable, Hashable {
    /// `activate(_:_:)`.
    case activate(z: Matrix, activation: Activation)
    /// `activationDerivative(_:_:)`.
    case activationDerivative(z: Matrix, activation: Activation)
    /// `loss(_:predictions:targets:)`.
    case loss(loss: Loss, predictions: Matrix, targets: Matrix)
    /// `lossGradient(_:predictions:targets:)`.
    case lossGradient(loss: Loss, predictions: Matrix, targets: Matrix)
    /// `forward(_:input:)`.
    case forward(layers: [DenseLayer], input: Matrix)
    /// `forward` then `backward`, plus directional derivatives of the submission's own loss along `probes`
    /// random directions (drawn from `SeededGenerator(seed:)`) with step `step`.
    case backward(layers: [DenseLayer], input: Matrix, targets: Matrix, loss: Loss, probes: Int, seed: UInt64, step: Double)
    /// `steps` calls of `optimizerStep` from `start` on the objective's gradient; answers every iterate.
    case optimizer(optimizer: Optimizer, objective: ObjectiveDescription, start: Vector, steps: Int)
    /// `miniBatches(count:batchSize:seed:)`.
    case miniBatches(count: Int, batchSize: Int, seed: UInt64)
    /// `train` on the IDX pair at `images` and `labels` (uncompressed, written by the grader).
    case train(images: String, labels: String, hints: ArchitectureHints, seconds: Double)

    /// The requirement's name, as assignment specs spell it in `call:`.
    public var name: String {
        switch self {
        case .activate: return "activate"
        case .activationDerivative: return "activationDerivative"
        case .loss: return "loss"
        case .lossGradient: return "lossGradient"
        case .forward: return "forward"
        case .backward: return "backward"
        case .optimizer: return "optimizerStep"
        case .miniBatches: return "miniBatches"
        case .train: return "train"
        }
    }

    /// Runs this call on `solution` and wraps what it returns.
    public func perform(on solution: some Practical2) -> Answer {
        switch self {
        case let .activate(z, activation):
            return .matrix(solution.activate(z, activation))
        case let .activationDerivative(z, activation):
            return .matrix(solution.activationDerivative(z, activation))
        case let .loss(loss, predictions, targets):
            return .scalar(solution.loss(loss, predictions: predictions, targets: targets))
        case let .lossGradient(loss, predictions, targets):
            return .matrix(solution.lossGradient(loss, predictions: predictions, targets: targets))
        case let .forward(layers, input):
            return .cache(solution.forward(layers, input: input))
        case let .backward(layers, input, targets, loss, probes, seed, step):
            let gradients = solution.backward(layers, cache: solution.forward(layers, input: input), targets: targets, loss: loss)
            var rng = SeededGenerator(seed: seed)
            let derivatives = (0..<probes).map { _ -> Double in
                let direction = NetworkParameters.randomDirection(like: layers, using: &rng)
                func lossAt(_ shift: Double) -> Double {
                    let moved = NetworkParameters.moved(layers, along: direction, by: shift)
                    return solution.loss(loss, predictions: solution.forward(moved, input: input).output, targets: targets)
                }
                return (lossAt(step) - lossAt(-step)) / (2 * step)
            }
            return .backpropagation(BackpropagationAnswer(gradients: gradients, directionalDerivatives: derivatives))
        case let .optimizer(optimizer, objective, start, steps):
            let f = objective.objective
            var theta = start
            var state = OptimizerState(dimension: start.count)
            var path = [start]
            for _ in 0..<steps {
                (theta, state) = solution.optimizerStep(optimizer, parameters: theta, state: state, gradient: { f.gradient(at: $0) })
                path.append(theta)
            }
            return .iterates(path)
        case let .miniBatches(count, batchSize, seed):
            return .batches(solution.miniBatches(count: count, batchSize: batchSize, seed: seed))
        case let .train(images, labels, hints, seconds):
            return NetworkParameters.training(images: images, labels: labels) { .layers(solution.train($0, hints: hints, seconds: seconds)) }
        }
    }
}

/// The parameters of a network seen as one vector (each layer's W row by row, then its b), for directional checks.
public enum NetworkParameters {
    /// A direction with N(0, 1) entries, one per parameter of `layers`, normalised to unit length.
    public static func randomDirection(like layers: [DenseLayer], using rng: inout SeededGenerator) -> [LayerGradient] {
        let raw = layers.map { LayerGradient(weights: rng.gaussianMatrix(rows: $0.weights.rows, columns: $0.weights.columns), bias: rng.gaussianVector($0.bias.count)) }
        let norm = dot(raw, raw).squareRoot()
        return raw.map { LayerGradient(weights: (1 / norm) * $0.weights, bias: $0.bias / norm) }
    }

    /// `layers` with every parameter moved by `shift` times the matching entry of `direction`.
    public static func moved(_ layers: [DenseLayer], along direction: [LayerGradient], by shift: Double) -> [DenseLayer] {
        zip(layers, direction).map { layer, step in
            DenseLayer(weights: layer.weights + shift * step.weights, bias: layer.bias + shift * step.bias, activation: layer.activation)
        }
    }

    /// Σ over layers of ⟨a.W, b.W⟩ + ⟨a.b, b.b⟩.
    public static func dot(_ a: [LayerGradient], _ b: [LayerGradient]) -> Double {
        zip(a, b).reduce(0) { total, pair in
            total + Vector(pair.0.weights.storage).dot(Vector(pair.1.weights.storage)) + pair.0.bias.dot(pair.1.bias)
        }
    }

    /// The answer of `train` on the training files the grader wrote, or, when the toolkit cannot read them
    /// (before any of the student's code runs), a toolkit fault the grader records as its own.
    public static func training(images: String, labels: String, _ train: (TrainingData) -> Answer) -> Answer {
        let data: TrainingData
        do { data = try readTrainingData(images: images, labels: labels) } catch {
            return .toolkitFault("the training data \((images as NSString).lastPathComponent) could not be read (\(error))")
        }
        return train(data)
    }

    /// Reads an uncompressed IDX images file (count × rows × columns bytes) and labels file into training data, pixels in [0, 1].
    public static func readTrainingData(images: String, labels: String) throws -> TrainingData {
        let imageBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: images)))
        let labelBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: labels)))
        func dimension(_ bytes: [UInt8], _ index: Int) -> Int { bytes[(4 + 4 * index)..<(8 + 4 * index)].reduce(0) { $0 << 8 | Int($1) } }
        guard imageBytes.count >= 16, labelBytes.count >= 8 else { throw CocoaError(.fileReadCorruptFile) }
        let count = dimension(imageBytes, 0), pixels = dimension(imageBytes, 1) * dimension(imageBytes, 2)
        guard imageBytes.count == 16 + count * pixels, labelBytes.count == 8 + count else { throw CocoaError(.fileReadCorruptFile) }
        let inputs = Matrix(rows: count, columns: pixels, storage: imageBytes[16...].map { Double($0) / 255 })
        return TrainingData(inputs: inputs, labels: labelBytes[8...].map(Int.init))
    }
}

extension Practical2Call: ServedCall {
    /// A practical-2 call is answered by the student's `Practical2`.
    public func answer(with solution: any Practical2) -> Answer { perform(on: solution) }
}
