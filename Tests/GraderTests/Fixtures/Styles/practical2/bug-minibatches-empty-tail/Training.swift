import CourseKit
import Foundation

extension Solution {
    func train(_ data: TrainingData, hints: ArchitectureHints, seconds: Double) -> [DenseLayer] {
        let timer = CPUTimer()
        var rng = SeededGenerator(seed: hints.seed)
        let sizes = [hints.inputs] + hints.hiddenSizes + [hints.classes]
        var layers: [DenseLayer] = []
        for i in 0..<(sizes.count - 1) {
            layers.append(DenseLayer.random(inputs: sizes[i], outputs: sizes[i + 1], activation: i == sizes.count - 2 ? .softmax : .relu, using: &rng))
        }
        // Adam (η = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8) on every weight and bias, updated in place.
        var firstMoments = layers.map { [Double](repeating: 0, count: $0.weights.storage.count + $0.bias.count) }
        var secondMoments = firstMoments
        var step = 0.0
        var epoch: UInt64 = 0
        var slowestEpoch = 0.0
        // Keep a safety margin: stop when another epoch might not fit in the budget.
        while timer.elapsedSeconds + 1.5 * slowestEpoch < 0.8 * seconds {
            let epochStart = timer.elapsedSeconds
            for batch in miniBatches(count: data.inputs.rows, batchSize: 64, seed: hints.seed &+ epoch) {
                var x = Matrix(rows: batch.count, columns: data.inputs.columns)
                var y = Matrix(rows: batch.count, columns: hints.classes)
                for (r, index) in batch.enumerated() {
                    let offset = index * data.inputs.columns
                    for c in 0..<data.inputs.columns { x.storage[r * data.inputs.columns + c] = data.inputs.storage[offset + c] }
                    y[r, data.labels[index]] = 1
                }
                let grads = backward(layers, cache: forward(layers, input: x), targets: y, loss: .softmaxCrossEntropy)
                step += 1
                let c1 = 1 - pow(0.9, step), c2 = 1 - pow(0.999, step)
                for l in layers.indices {
                    let g = grads[l].weights.storage + grads[l].bias.storage
                    var layer = layers[l]
                    let nW = layer.weights.storage.count
                    firstMoments[l].withUnsafeMutableBufferPointer { m in
                        secondMoments[l].withUnsafeMutableBufferPointer { v in
                            layer.weights.storage.withUnsafeMutableBufferPointer { w in
                                layer.bias.storage.withUnsafeMutableBufferPointer { b in
                                    for i in 0..<g.count {
                                        m[i] = 0.9 * m[i] + 0.1 * g[i]
                                        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                                        let delta = 1e-3 * (m[i] / c1) / ((v[i] / c2).squareRoot() + 1e-8)
                                        if i < nW { w[i] -= delta } else { b[i - nW] -= delta }
                                    }
                                }
                            }
                        }
                    }
                    layers[l] = layer
                }
            }
            slowestEpoch = max(slowestEpoch, timer.elapsedSeconds - epochStart)
            epoch += 1
        }
        return layers
    }
}
