import CourseKit
import Figures
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
        switch usable(answer) {
        case let .failure(problem): return problem.score
        case let .success(layers): return .accuracy(evaluator.accuracy(of: layers, on: digits.inputs, labels: digits.labels))
        }
    }

    /// The confusion matrix of layers that can be scored.
    public func figures(_ answer: Answer) -> [Figure] {
        guard case let .success(layers) = usable(answer) else { return [] }
        return [TrainingFigures.confusion(predicted: predictions(layers), labels: digits.labels, classes: 10)]
    }

    /// The most images a forward pass is given at once, as scoring does: the memory a wide network takes stays bounded.
    static let batchRows = 500

    /// The digit each image is given by `layers` (the index of the largest output, the first of equal ones).
    func predictions(_ layers: [DenseLayer]) -> [Int] {
        let (rows, columns) = (digits.inputs.rows, digits.inputs.columns)
        var predicted: [Int] = []
        predicted.reserveCapacity(rows)
        for start in stride(from: 0, to: rows, by: Self.batchRows) {
            let count = min(Self.batchRows, rows - start)
            let batch = Matrix(rows: count, columns: columns, storage: Array(digits.inputs.storage[(start * columns)..<((start + count) * columns)]))
            predicted += evaluator.outputs(of: layers, on: batch).rowClasses
        }
        return predicted
    }

    struct Unusable: Error { let score: TrainedModelScore }

    /// The layers of `answer` when they can be scored on the digits, else why not.
    func usable(_ answer: Answer) -> Result<[DenseLayer], Unusable> {
        func no(_ problem: String) -> Result<[DenseLayer], Unusable> { .failure(Unusable(score: .unusable(problem))) }
        guard case let .layers(layers) = answer else { return no("expected layers, got \(answer.kindName)") }
        guard let first = layers.first, let last = layers.last else { return no("train returned no layers") }
        guard first.weights.columns == digits.inputs.columns else {
            return no("the first layer takes \(first.weights.columns) inputs, but images have \(digits.inputs.columns) pixels")
        }
        for (l, pair) in zip(layers, layers.dropFirst()).enumerated() where pair.0.weights.rows != pair.1.weights.columns {
            return no("layer \(l + 1) outputs \(pair.0.weights.rows) values but layer \(l + 2) takes \(pair.1.weights.columns)")
        }
        guard last.weights.rows == 10 else { return no("the last layer outputs \(last.weights.rows) scores; it must output one per digit (10)") }
        if TrainedModelScore.nonFinite(layers) { return .failure(Unusable(score: .nonFiniteWeights)) }
        return .success(layers)
    }
}
