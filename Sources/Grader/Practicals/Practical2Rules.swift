import CourseKit
import Figures
import SubmissionRuntime

/// Practical 2's rules: the MLP from scratch, backpropagation, the optimisers and MNIST.
public enum Practical2Rules: PracticalRules {
    public typealias Call = Practical2Call

    public static let protocolName = "Practical2"

    public static let signatures = [
        CallSignature("activate", judgedBy: [CompareCheck.self], problems: ["logits"]),
        CallSignature("activationDerivative", judgedBy: [CompareCheck.self], problems: ["logits"]),
        CallSignature("loss", judgedBy: [CompareCheck.self], problems: ["predictions"]),
        CallSignature("lossGradient", judgedBy: [CompareCheck.self], problems: ["predictions"]),
        CallSignature("forward", judgedBy: [CompareCheck.self], problems: ["network"]),
        CallSignature("backward", judgedBy: [GradientCheck.self], problems: ["network"]),
        CallSignature("optimizerStep", judgedBy: [TrajectoryCheck.self], problems: ["quadratic"]),
        CallSignature("miniBatches", judgedBy: [CompareCheck.self], problems: ["indices"]),
        CallSignature("train", judgedBy: [TrainingCheck.self], problems: ["mnist"]),
    ]

    /// The largest network `train` may return, in parameters (LeCun's 800-unit network has 636,010), in layers and in units per layer.
    public static let maximumParameters = 2_000_000
    public static let maximumLayers = 16
    public static let maximumWidth = 4096

    /// A training call's budget set to `seconds`.
    public static func withBudget(_ call: Practical2Call, seconds: Double) -> Practical2Call {
        guard case let .train(images, labels, hints, _) = call else { return call }
        return .train(images: images, labels: labels, hints: hints, seconds: seconds)
    }

    /// A training call's image and label files named by `relocate`.
    public static func relocatingData(_ call: Practical2Call, _ relocate: (String) -> String) -> Practical2Call {
        guard case let .train(images, labels, hints, seconds) = call else { return call }
        return .train(images: relocate(images), labels: relocate(labels), hints: hints, seconds: seconds)
    }

    public static func replyBudget(for call: Practical2Call) -> ReplyBudget {
        func size(_ m: Matrix) -> Int { m.rows * m.columns }
        func parameters(_ layers: [DenseLayer]) -> Int { layers.reduce(0) { $0 + size($1.weights) + $1.bias.count } }
        switch call {
        case let .activate(z, _), let .activationDerivative(z, _):
            return ReplyBudget(numbers: size(z), description: "\(z.rows) × \(z.columns) numbers")
        case .loss:
            return ReplyBudget(numbers: 1, description: "one number")
        case let .lossGradient(_, predictions, _):
            return ReplyBudget(numbers: size(predictions), description: "\(predictions.rows) × \(predictions.columns) numbers")
        case let .forward(layers, input):
            let numbers = size(input) + layers.reduce(0) { $0 + 2 * input.rows * $1.weights.rows }
            return ReplyBudget(numbers: numbers, containers: 2 * layers.count + 2, description: "\(numbers) numbers (every z_l and a_l)")
        case let .backward(layers, _, _, _, probes, _, _):
            let numbers = parameters(layers) + max(0, probes)
            return ReplyBudget(numbers: numbers, containers: 2 * layers.count + 2, description: "\(numbers) numbers (one per parameter, and \(probes) directional derivatives)")
        case let .optimizer(_, _, start, steps):
            let count = ReplyBudget.sum(max(0, steps), 1)
            return ReplyBudget(numbers: ReplyBudget.product(count, start.count), containers: count,
                               description: "(steps + 1) × n = \(count) × \(start.count) numbers")
        case let .miniBatches(count, _, _):
            return ReplyBudget(numbers: count, containers: ReplyBudget.sum(max(0, count), 1), description: "\(count) indices")
        case .train:
            return ReplyBudget(numbers: Self.maximumParameters, containers: 3 * Self.maximumLayers,
                               description: "a network of at most \(Self.maximumParameters) parameters")
        }
    }

    /// A returned MLP beyond the contract's bounds.
    public static func boundsProblem(_ answer: Answer, for prepared: PreparedCase<Practical2Call>) -> String? {
        guard case let (.train(_, _, hints, _), .layers(layers)) = (prepared.call, answer) else { return nil }
        return ReplyShape.network(layers, inputs: hints.inputs, outputs: hints.classes,
                                  maximumLayers: Self.maximumLayers, maximumParameters: Self.maximumParameters, maximumWidth: Self.maximumWidth)
    }

    public static func shapeProblem(_ answer: Answer, for prepared: PreparedCase<Practical2Call>, reference: Answer) -> String? {
        switch (prepared.call, answer) {
        case let (.backward(_, _, _, _, probes, _, _), .backpropagation(got)) where got.directionalDerivatives.count != probes:
            return "\(got.directionalDerivatives.count) directional derivatives came back, expected \(probes)"
        case (.train, .layers):
            return nil
        default:
            return ReplyShape.problem(answer, against: reference)
        }
    }
}

extension Practical2Rules {
    /// An optimiser's path (over the contour lines of f in two dimensions, and ‖∇f‖ against the step) and
    /// the gradient error of each layer of a backward pass.
    public static func figures(for call: Practical2Call, answer: Answer, reference: Answer) -> [Figure] {
        switch call {
        case let .optimizer(optimizer, objective, _, _):
            guard case let .iterates(mine) = answer, case let .iterates(theirs) = reference else { return [] }
            return OptimisationFigures.figures(of: optimizer.courseName, on: objective.objective, student: mine, reference: theirs,
                                               captions: optimizer.captions)
        case .backward:
            guard case let .backpropagation(mine) = answer, case let .backpropagation(theirs) = reference else { return [] }
            return LayerErrorFigure.figure(student: mine.gradients.map { ($0.weights.storage, $0.bias.storage) },
                                           reference: theirs.gradients.map { ($0.weights.storage, $0.bias.storage) }).map { [$0] } ?? []
        default:
            return []
        }
    }
}

extension Optimizer {
    /// The optimiser's name as the course writes it, for figures: "SGD", "momentum", "Adam"….
    var courseName: String {
        switch self {
        case .sgd: return "SGD"
        case .momentum: return "momentum"
        case .nesterov: return "Nesterov"
        case .adagrad: return "AdaGrad"
        case .rmsprop: return "RMSProp"
        case .adam: return "Adam"
        }
    }

    /// What the figures of the optimiser's steps show: plain gradient steps, velocity that carries past the
    /// minimum, or steps scaled coordinate by coordinate (by a growing sum, or by a running average).
    var captions: OptimisationFigures.Captions {
        switch self {
        case .sgd:
            return OptimisationFigures.Captions(
                path: "Plain gradient steps cross the level lines at right angles; a zigzag means a learning rate too large for the narrow direction.",
                gradientNorms: "On a log scale a linear rate is a straight line, steeper the faster it contracts.")
        case .momentum, .nesterov:
            return OptimisationFigures.Captions(
                path: "The velocity carries each step on from the last: the path can overshoot and swing across the valley before it settles, less so with Nesterov's look-ahead.",
                gradientNorms: "On a log scale the norm can rise and fall as the velocity swings the path; it falls overall when the learning rate and β suit the problem.")
        case .adagrad:
            return OptimisationFigures.Captions(
                path: "Each coordinate's step is divided by the root of its accumulated squared gradients, so the steps need not cross the level lines at right angles.",
                gradientNorms: "On a log scale: the accumulated squared gradients only grow, so the steps keep shrinking and the norm falls ever more slowly.")
        case .rmsprop, .adam:
            return OptimisationFigures.Captions(
                path: "Each coordinate's step is divided by a running average of its gradients' size, so the steps need not cross the level lines at right angles.",
                gradientNorms: "On a log scale: near the minimum the steps, divided by a running average of the gradients' size, need not shrink with the gradient, so the norm can level off or oscillate instead of falling.")
        }
    }
}

/// The gradient error of each layer: the largest relative difference between the student's ∂L/∂W_l
/// (and ∂L/∂b_l) and the reference's, on a log scale, so that a wrong layer stands out of the rounding noise.
public enum LayerErrorFigure {
    /// The figure, or nil when the layers do not pair up (the shape check has said why).
    public static func figure(student: [(weights: [Double], bias: [Double])], reference: [(weights: [Double], bias: [Double])]) -> Figure? {
        guard student.count == reference.count, !reference.isEmpty,
              zip(student, reference).allSatisfy({ $0.weights.count == $1.weights.count && $0.bias.count == $1.bias.count }) else { return nil }
        func error(_ got: [Double], _ expected: [Double]) -> Double {
            let scale = max(expected.map(abs).max() ?? 0, 1e-12)
            // Not a number where the student's is not finite: the point is left out and the line breaks there.
            return zip(got, expected).reduce(0) { worst, pair in
                let difference = abs(pair.0 - pair.1) / scale
                return difference.isNaN || worst.isNaN ? .nan : max(worst, difference)
            }
        }
        // An exact match is drawn at 10⁻¹⁶, the precision of a double, rather than left out.
        func point(_ layer: Int, _ value: Double) -> Point { Point(Double(layer + 1), value == 0 ? 1e-16 : value) }
        let weights = zip(student, reference).enumerated().map { point($0.offset, error($0.element.0.weights, $0.element.1.weights)) }
        let biases = zip(student, reference).enumerated().map { point($0.offset, error($0.element.0.bias, $0.element.1.bias)) }
        return .chart(Chart(title: "Gradient error by layer",
                            caption: "The largest |yours − reference| in each layer, relative to the reference's largest entry. Rounding leaves 10⁻¹² or less; a layer far above that is where backpropagation goes wrong, and the layers below it inherit the error.",
                            x: Axis("layer l", range: 0.5...(Double(reference.count) + 0.5), wholeNumbers: true),
                            y: Axis("relative error", logarithmic: true, range: 1e-17...10),
                            layers: [.path(Series(name: "∂L/∂W_l", role: .student, points: weights)),
                                     .path(Series(name: "∂L/∂b_l", role: .neutral, points: biases))]))
    }
}
