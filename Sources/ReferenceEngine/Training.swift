import CourseKit
import Foundation

extension ReferencePractical2 {
    /// How the reference trains: the hinted hidden ReLU layers, a softmax output, softmax cross-entropy,
    /// Adam (η = 10⁻³, β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸) on mini-batches of 64, epoch after epoch until
    /// `epochs` are done or the time budget would be exceeded.
    public struct TrainingPlan: Sendable {
        /// Mini-batch size.
        public var batchSize = 64
        /// The optimiser.
        public var optimizer = Optimizer.adam(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        /// The most epochs to run.
        public var epochs = 1_000

        /// The default plan.
        public init() {}
    }

    /// Trains with the default plan within `seconds`.
    public func train(_ data: TrainingData, hints: ArchitectureHints, seconds: Double) -> [DenseLayer] {
        train(data, hints: hints, seconds: seconds, plan: TrainingPlan())
    }

    /// Trains with `plan` within `seconds` of the process's CPU time, the budget's measure (an epoch is
    /// started only if the previous one's CPU time still fits).
    public func train(_ data: TrainingData, hints: ArchitectureHints, seconds: Double, plan: TrainingPlan) -> [DenseLayer] {
        let timer = CPUTimer()
        Self.reuseLargeAllocations()
        var rng = SeededGenerator(seed: hints.seed)
        let sizes = [hints.inputs] + hints.hiddenSizes + [hints.classes]
        var layers = (0..<(sizes.count - 1)).map { l in
            DenseLayer.random(inputs: sizes[l], outputs: sizes[l + 1], activation: l == sizes.count - 2 ? .softmax : .relu, using: &rng)
        }
        var states = layers.map { (weights: OptimizerState(dimension: $0.weights.storage.count), bias: OptimizerState(dimension: $0.bias.count)) }
        var lastEpoch = 0.0
        for epoch in 0..<plan.epochs {
            if epoch > 0 && timer.elapsedSeconds + lastEpoch > seconds { break }
            let epochStart = timer.elapsedSeconds
            for batch in miniBatches(count: data.inputs.rows, batchSize: plan.batchSize, seed: hints.seed &+ UInt64(epoch)) {
                let (inputs, targets) = Self.batch(data, batch, classes: hints.classes)
                let cache = forward(layers, input: inputs)
                let gradients = backward(layers, cache: cache, targets: targets, loss: .softmaxCrossEntropy)
                for l in layers.indices {
                    Self.update(plan.optimizer, parameters: &layers[l].weights.storage, gradient: gradients[l].weights.storage, state: &states[l].weights)
                    Self.update(plan.optimizer, parameters: &layers[l].bias.storage, gradient: gradients[l].bias.storage, state: &states[l].bias)
                }
            }
            lastEpoch = timer.elapsedSeconds - epochStart
        }
        return layers
    }

    /// Every step allocates gradient-sized arrays (hundreds of KiB). glibc serves those with a fresh mmap
    /// each time, and the kernel zeroes every page again: raising the mmap threshold (glibc's `mallopt`,
    /// M_MMAP_THRESHOLD = −3) lets freed buffers be reused instead.
    static func reuseLargeAllocations() {
        #if os(Linux)
        _ = glibcMallopt(-3, 64 << 20)
        #endif
    }

    /// The rows `indices` of the data and their one-hot targets.
    static func batch(_ data: TrainingData, _ indices: [Int], classes: Int) -> (Matrix, Matrix) {
        let n = data.inputs.columns
        var inputs = [Double](repeating: 0, count: indices.count * n)
        var targets = [Double](repeating: 0, count: indices.count * classes)
        data.inputs.storage.withUnsafeBufferPointer { source in
            inputs.withUnsafeMutableBufferPointer { destination in
                for (row, index) in indices.enumerated() {
                    for j in 0..<n { destination[row * n + j] = source[index * n + j] }
                }
            }
        }
        for (row, index) in indices.enumerated() { targets[row * classes + data.labels[index]] = 1 }
        return (Matrix(rows: indices.count, columns: n, storage: inputs), Matrix(rows: indices.count, columns: classes, storage: targets))
    }

    /// The fraction of rows whose largest output is at the label's index.
    /// Evaluated 500 rows at a time, so that memory stays bounded by the widest layer times 500, however many images are scored.
    public static func accuracy(_ layers: [DenseLayer], inputs: Matrix, labels: [Int]) -> Double {
        let batch = 500
        var correct = 0
        for start in stride(from: 0, to: inputs.rows, by: batch) {
            let rows = min(batch, inputs.rows - start)
            let slice = Matrix(rows: rows, columns: inputs.columns,
                               storage: Array(inputs.storage[(start * inputs.columns)..<((start + rows) * inputs.columns)]))
            let output = ReferencePractical2().forward(layers, input: slice).output
            for row in 0..<output.rows {
                let scores = output.storage[(row * output.columns)..<((row + 1) * output.columns)]
                if let best = scores.indices.max(by: { scores[$0] < scores[$1] }), best - row * output.columns == labels[start + row] { correct += 1 }
            }
        }
        return Double(correct) / Double(max(1, inputs.rows))
    }
}

#if os(Linux)
/// glibc's `int mallopt(int param, int value)`, which Glibc's Swift module does not export (it lives in malloc.h).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
