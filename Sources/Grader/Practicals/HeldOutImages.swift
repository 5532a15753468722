import CourseKit
import Figures
import SubmissionRuntime

/// Scores a trained CNN on held-out images with the reference forward pass (`ModelEvaluator`): the `training` evidence of practical 3.
public struct HeldOutImages: TrainedModelScorer {
    /// The images (one per row) and labels the submission never saw.
    public let images: TrainingData
    /// Their shape and number of classes.
    public let hints: ImageHints

    /// The forward pass that scores.
    public let evaluator: any ModelEvaluator

    /// Creates the scorer.
    public init(_ images: TrainingData, hints: ImageHints, evaluator: any ModelEvaluator) {
        self.images = images
        self.hints = hints
        self.evaluator = evaluator
    }

    /// The most blocks, dense layers, parameters and units per dense layer a returned network may have.
    public static let maximumBlocks = 8, maximumDense = 4, maximumParameters = 2_000_000, maximumWidth = 4096
    /// The most operations (multiply-adds, and a pooling window's comparisons or additions) the forward
    /// pass of one image may take, every layer counted (`NetworkCost`); the reference's network takes about
    /// 0.3 million: scoring 20,000 images stays within seconds.
    public static let maximumOperations = 5_000_000
    /// The most entries one image's largest intermediate array (padded input, im2col columns, a layer's
    /// output) may hold: 32 MB of doubles; the reference's holds about 14,000.
    public static let maximumArray = 4_000_000
    /// The most entries a scoring batch's largest intermediate array may hold.
    static let batchEntries = 8_000_000

    /// Why `network` cannot be scored on images of `hints`, or nil. Every figure is counted with checked
    /// arithmetic before anything is evaluated, so no network can make scoring trap or run away.
    public static func problem(_ network: ConvolutionalNetwork, hints: ImageHints) -> String? {
        guard network.channels == hints.channels, network.height == hints.height, network.width == hints.width else {
            return "the network takes images of \(network.channels)×\(network.height)×\(network.width); they are \(hints.channels)×\(hints.height)×\(hints.width)"
        }
        guard network.blocks.count <= maximumBlocks else { return "the network has \(network.blocks.count) blocks; at most \(maximumBlocks) are accepted" }
        guard !network.dense.isEmpty, network.dense.count <= maximumDense else {
            return "the network has \(network.dense.count) dense layers; it needs 1 to \(maximumDense)"
        }
        // Counts of arrays the reply really held (their decoders check each shape's product).
        guard network.parameterCount <= maximumParameters else {
            return "the network has \(network.parameterCount) parameters; at most \(maximumParameters) are accepted"
        }
        let cost: NetworkCost
        switch NetworkCost.of(network) {
        case let .failure(problem): return problem.description
        case let .success(counted): cost = counted
        }
        guard cost.operations <= maximumOperations else {
            return "the network takes \(cost.operations) operations per image (multiply-adds and pooling, every layer counted); at most \(maximumOperations) are accepted"
        }
        guard cost.largestArray <= maximumArray else {
            return "one image's largest array in the network holds \(cost.largestArray) values (padded input, im2col columns or a layer's output); at most \(maximumArray) are accepted"
        }
        if let problem = ReplyShape.network(network.dense, inputs: cost.flattened, outputs: hints.classes, maximumLayers: maximumDense,
                                            maximumParameters: maximumParameters, maximumWidth: maximumWidth, given: "the last block gives \(cost.flattened) values") {
            return problem
        }
        return nil
    }

    public func score(_ answer: Answer) -> TrainedModelScore {
        guard case let .convolutionalNetwork(network) = answer else { return .unusable("expected a convolutional network, got \(answer.kindName)") }
        if let problem = Self.problem(network, hints: hints) { return .unusable(problem) }
        if TrainedModelScore.nonFinite(network) { return .nonFiniteWeights }
        let batch = ImageBatch(rows: images.inputs, channels: hints.channels, height: hints.height, width: hints.width)
        return .accuracy(Self.accuracy(network, images: batch, labels: images.labels, evaluator: evaluator))
    }

    /// The confusion matrix of a network that can be scored.
    public func figures(_ answer: Answer) -> [Figure] {
        guard case let .convolutionalNetwork(network) = answer, Self.problem(network, hints: hints) == nil, !TrainedModelScore.nonFinite(network) else { return [] }
        let batch = ImageBatch(rows: images.inputs, channels: hints.channels, height: hints.height, width: hints.width)
        return [TrainingFigures.confusion(predicted: Self.predictions(network, images: batch, evaluator: evaluator), labels: images.labels,
                                          classes: hints.classes)]
    }

    /// The fraction of `images` whose largest output under `network` (`evaluator`'s forward pass) is the label's.
    public static func accuracy(_ network: ConvolutionalNetwork, images: ImageBatch, labels: [Int], evaluator: any ModelEvaluator) -> Double {
        guard images.count > 0 else { return 0 }
        let predicted = predictions(network, images: images, evaluator: evaluator)
        return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(images.count)
    }

    /// The class each of `images` is given by `network` (the index of its largest output, the first of equal
    /// ones; −1 when none can be found), evaluated in batches whose largest array stays under `batchEntries` entries.
    public static func predictions(_ network: ConvolutionalNetwork, images: ImageBatch, evaluator: any ModelEvaluator) -> [Int] {
        guard images.count > 0 else { return [] }
        guard case let .success(cost) = NetworkCost.of(network) else { return Array(repeating: -1, count: images.count) }
        let perBatch = max(1, min(500, batchEntries / max(1, cost.largestArray)))
        let pixels = images.channels * images.height * images.width
        var predicted: [Int] = []
        predicted.reserveCapacity(images.count)
        for start in stride(from: 0, to: images.count, by: perBatch) {
            let rows = min(perBatch, images.count - start)
            let slice = ImageBatch(count: rows, channels: images.channels, height: images.height, width: images.width,
                                   storage: Array(images.storage[(start * pixels)..<((start + rows) * pixels)]))
            predicted += evaluator.outputs(of: network, on: slice).rowClasses
        }
        return predicted
    }
}
