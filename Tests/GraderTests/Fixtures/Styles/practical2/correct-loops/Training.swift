import CourseKit
import Foundation

extension Solution {
    /// The hinted MLP (ReLU hidden layers, softmax output), trained with this file's own forward, backward and
    /// Adam steps on mini-batches of 64, epoch after epoch while another epoch still fits in 90% of the budget.
    func train(_ data: TrainingData, hints: ArchitectureHints, seconds: Double) -> [DenseLayer] {
        // The budget is CPU time (clock(): the whole process); the wall clock (DispatchTime) only bounds a
        // run on a very busy machine at three times the budget.
        let started = DispatchTime.now()
        let startedCPU = clock()
        func elapsed() -> Double {
            let wall = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            let cpu = Double(clock() - startedCPU) / Double(CLOCKS_PER_SEC)
            return max(cpu, wall / 3)
        }
        var rng = SeededGenerator(seed: hints.seed)
        let sizes = [hints.inputs] + hints.hiddenSizes + [hints.classes]
        var layers: [DenseLayer] = []
        for l in 0..<(sizes.count - 1) {
            layers.append(DenseLayer.random(inputs: sizes[l], outputs: sizes[l + 1],
                                            activation: l == sizes.count - 2 ? .softmax : .relu, using: &rng))
        }
        let adam = Optimizer.adam(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        var weightStates = layers.map { OptimizerState(dimension: $0.weights.storage.count) }
        var biasStates = layers.map { OptimizerState(dimension: $0.bias.count) }
        let n = data.inputs.columns
        var epoch: UInt64 = 0
        var longestEpoch = 0.0
        while elapsed() + longestEpoch < 0.9 * seconds {
            let epochStart = elapsed()
            for batch in miniBatches(count: data.inputs.rows, batchSize: 64, seed: hints.seed &+ epoch) {
                var x = [Double](repeating: 0, count: batch.count * n)
                var y = Matrix(rows: batch.count, columns: hints.classes)
                for (r, index) in batch.enumerated() {
                    for c in 0..<n { x[r * n + c] = data.inputs.storage[index * n + c] }
                    y[r, data.labels[index]] = 1
                }
                let input = Matrix(rows: batch.count, columns: n, storage: x)
                let grads = backward(layers, cache: forward(layers, input: input), targets: y, loss: .softmaxCrossEntropy)
                for l in layers.indices {
                    let gW = Vector(grads[l].weights.storage), gb = grads[l].bias
                    let (w, ws) = optimizerStep(adam, parameters: Vector(layers[l].weights.storage), state: weightStates[l]) { _ in gW }
                    let (b, bs) = optimizerStep(adam, parameters: layers[l].bias, state: biasStates[l]) { _ in gb }
                    layers[l].weights.storage = w.storage
                    layers[l].bias = b
                    weightStates[l] = ws
                    biasStates[l] = bs
                }
                if elapsed() > 0.95 * seconds { return layers } // never run past the budget, even mid-epoch
            }
            longestEpoch = max(longestEpoch, elapsed() - epochStart)
            epoch += 1
        }
        return layers
    }
}
