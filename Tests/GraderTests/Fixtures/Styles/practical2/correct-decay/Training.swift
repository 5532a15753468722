import CourseKit
import Foundation

// Style: Adam whose step size falls linearly to zero as the CPU budget runs out, so the last steps
// barely move the weights and where training stops matters little.

extension Solution {
    func train(_ data: TrainingData, hints: ArchitectureHints, seconds: Double) -> [DenseLayer] {
        let timer = CPUTimer()
        let horizon = 0.8 * seconds
        var rng = SeededGenerator(seed: hints.seed)
        let sizes = [hints.inputs] + hints.hiddenSizes + [hints.classes]
        var layers = (0..<(sizes.count - 1)).map { l in
            DenseLayer.random(inputs: sizes[l], outputs: sizes[l + 1], activation: l == sizes.count - 2 ? .softmax : .relu, using: &rng)
        }
        var moments = layers.map { (first: [Double](repeating: 0, count: $0.weights.storage.count + $0.bias.count),
                                    second: [Double](repeating: 0, count: $0.weights.storage.count + $0.bias.count)) }
        let columns = data.inputs.columns
        var step = 0.0
        var epoch: UInt64 = 0
        while true {
            for batch in miniBatches(count: data.inputs.rows, batchSize: 64, seed: hints.seed &+ 7919 &* epoch) {
                let progress = timer.elapsedSeconds / horizon
                if progress >= 1 { return layers }
                let eta = 2e-3 * (1 - progress)
                var x = Matrix(rows: batch.count, columns: columns)
                var y = Matrix(rows: batch.count, columns: hints.classes)
                for (r, index) in batch.enumerated() {
                    for c in 0..<columns { x[r, c] = data.inputs[index, c] }
                    y[r, data.labels[index]] = 1
                }
                let gradients = backward(layers, cache: forward(layers, input: x), targets: y, loss: .softmaxCrossEntropy)
                step += 1
                let correction1 = 1 - pow(0.9, step), correction2 = 1 - pow(0.999, step)
                for l in layers.indices {
                    let g = gradients[l].weights.storage + gradients[l].bias.storage
                    let weightCount = layers[l].weights.storage.count
                    for i in g.indices {
                        moments[l].first[i] = 0.9 * moments[l].first[i] + 0.1 * g[i]
                        moments[l].second[i] = 0.999 * moments[l].second[i] + 0.001 * g[i] * g[i]
                        let delta = eta * (moments[l].first[i] / correction1) / ((moments[l].second[i] / correction2).squareRoot() + 1e-8)
                        if i < weightCount { layers[l].weights.storage[i] -= delta } else { layers[l].bias[i - weightCount] -= delta }
                    }
                }
            }
            epoch += 1
        }
    }
}
