import CourseKit
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

    public static func shapeProblem(_ answer: Answer, for prepared: PreparedCase<Practical2Call>, reference: Answer) -> String? {
        switch (prepared.call, answer) {
        case let (.backward(_, _, _, _, probes, _, _), .backpropagation(got)) where got.directionalDerivatives.count != probes:
            return "\(got.directionalDerivatives.count) directional derivatives came back, expected \(probes)"
        case let (.train(_, _, hints, _), .layers(layers)):
            return ReplyShape.network(layers, inputs: hints.inputs, outputs: hints.classes,
                                      maximumLayers: Self.maximumLayers, maximumParameters: Self.maximumParameters, maximumWidth: Self.maximumWidth)
        default:
            return ReplyShape.problem(answer, against: reference)
        }
    }
}
