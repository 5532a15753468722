import CourseKit
import SubmissionRuntime

/// Scores a trained MLP on held-out digits with the reference forward pass: the `training` evidence of practical 2.
public struct HeldOutDigits: TrainedModelScorer {
    /// The images and labels the submission never saw.
    public let digits: TrainingData

    /// The forward pass that scores.
    public let evaluator: any ModelEvaluator

    /// Creates the scorer.
    public init(_ digits: TrainingData, evaluator: any ModelEvaluator) {
        self.digits = digits
        self.evaluator = evaluator
    }

    public func score(_ answer: Answer) -> TrainedModelScore {
        guard case let .layers(layers) = answer else { return .unusable("expected layers, got \(answer.kindName)") }
        guard let first = layers.first, let last = layers.last else { return .unusable("train returned no layers") }
        guard first.weights.columns == digits.inputs.columns else {
            return .unusable("the first layer takes \(first.weights.columns) inputs, but images have \(digits.inputs.columns) pixels")
        }
        for (l, pair) in zip(layers, layers.dropFirst()).enumerated() where pair.0.weights.rows != pair.1.weights.columns {
            return .unusable("layer \(l + 1) outputs \(pair.0.weights.rows) values but layer \(l + 2) takes \(pair.1.weights.columns)")
        }
        guard last.weights.rows == 10 else { return .unusable("the last layer outputs \(last.weights.rows) scores; it must output one per digit (10)") }
        if TrainedModelScore.nonFinite(layers) { return .nonFiniteWeights }
        return .accuracy(evaluator.accuracy(of: layers, on: digits.inputs, labels: digits.labels))
    }
}
