import CourseKit
import Foundation
extension Solution {
    /// The hinted MLP trained with Adam on mini-batches of 64 through this file's own `optimizerStep`,
    /// until another epoch would no longer fit in 85% of the budget, in CPU time (CourseKit's `CPUTimer`).
    func train(_ data: TrainingData, hints: ArchitectureHints, seconds: Double) -> [DenseLayer] {
        let timer = CPUTimer()
        func used() -> Double { timer.elapsedSeconds }
        var rng = SeededGenerator(seed: hints.seed)
        let sizes = [hints.inputs] + hints.hiddenSizes + [hints.classes]
        var layers = zip(sizes, sizes.dropFirst()).enumerated().map { l, shape in
            DenseLayer.random(inputs: shape.0, outputs: shape.1, activation: l == sizes.count - 2 ? .softmax : .relu, using: &rng)
        }
        let adam = Optimizer.adam(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        var weightStates = layers.map { OptimizerState(dimension: $0.weights.storage.count) }
        var biasStates = layers.map { OptimizerState(dimension: $0.bias.count) }
        let identity = Matrix.identity(hints.classes)
        var epoch: UInt64 = 0
        var epochTime = 0.0
        while used() + epochTime < 0.85 * seconds {
            let epochStart = used()
            for batch in miniBatches(count: data.inputs.rows, batchSize: 64, seed: hints.seed &+ epoch) {
                if used() > 0.92 * seconds { return layers }
                let x = Matrix(rowVectors: batch.map { data.inputs.row($0) })
                let y = Matrix(rowVectors: batch.map { identity.row(data.labels[$0]) })
                let gradients = backward(layers, cache: forward(layers, input: x), targets: y, loss: .softmaxCrossEntropy)
                for l in layers.indices {
                    let gW = Vector(gradients[l].weights.storage), gb = gradients[l].bias
                    let (w, ws) = optimizerStep(adam, parameters: Vector(layers[l].weights.storage), state: weightStates[l]) { _ in gW }
                    let (b, bs) = optimizerStep(adam, parameters: layers[l].bias, state: biasStates[l]) { _ in gb }
                    (weightStates[l], biasStates[l]) = (ws, bs)
                    layers[l].weights.storage = w.storage
                    layers[l].bias = b
                }
            }
            epochTime = Swift.max(epochTime, used() - epochStart)
            epoch += 1
        }
        return layers
    }
}
