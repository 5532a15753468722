import CourseKit
import Foundation

/// He-initialised CNN: 3×3 convolutions of 8 then 16 filters (padding 1, ReLU, 2×2 max pooling) and a
/// softmax layer, trained with Adam on mini-batches of 32 while the CPU budget lasts; the step size
/// decays linearly with the time spent.
func trainNetwork(_ data: TrainingData, hints: ImageHints, seconds: Double) -> ConvolutionalNetwork {
    let timer = CPUTimer()
    var rng = SeededGenerator(seed: hints.seed)
    var blocks: [ConvolutionalBlock] = []
    var channels = hints.channels, height = hints.height, width = hints.width
    for filters in [8, 16] {
        blocks.append(ConvolutionalBlock(convolution: ConvolutionLayer.random(filters: filters, channels: channels, kernelSize: 3, padding: 1, using: &rng),
                                         pooling: Pooling(.max, window: 2)))
        channels = filters
        height /= 2
        width /= 2
    }
    var network = ConvolutionalNetwork(channels: hints.channels, height: hints.height, width: hints.width, blocks: blocks,
                                       dense: [DenseLayer.random(inputs: channels * height * width, outputs: hints.classes, activation: .softmax, using: &rng)])
    let count = data.inputs.rows, pixels = data.inputs.columns
    guard count > 0 else { return network }
    var state = OptimizerState(dimension: parameterCount(network))
    let budget = seconds * 0.85
    var slowest = 0.0
    var order = Array(0..<count)
    while true {
        order.shuffle(using: &rng)
        for start in stride(from: 0, to: count, by: 32) {
            let began = timer.elapsedSeconds
            if began + 1.5 * slowest > budget { return network }
            let rows = Array(order[start..<Swift.min(start + 32, count)])
            var images = [Double](), targets = Matrix(rows: rows.count, columns: hints.classes)
            for (r, index) in rows.enumerated() {
                images += data.inputs.storage[(index * pixels)..<((index + 1) * pixels)]
                targets[r, data.labels[index]] = 1
            }
            let batch = ImageBatch(count: rows.count, channels: hints.channels, height: hints.height, width: hints.width, storage: images)
            let gradient = Forward(network, batch).backward(targets).parameters
            let rate = 2e-3 * Swift.max(0.05, 1 - began / budget)
            network = adamStep(network, gradient, &state, rate: rate)
            slowest = Swift.max(slowest, timer.elapsedSeconds - began)
        }
    }
}

func parameterCount(_ network: ConvolutionalNetwork) -> Int { flatten(network).count }

func flatten(_ network: ConvolutionalNetwork) -> [Double] {
    network.blocks.flatMap { $0.convolution.weights.storage + $0.convolution.bias.storage } + network.dense.flatMap { $0.weights.storage + $0.bias.storage }
}

func flatten(_ gradient: ConvolutionalNetworkGradient) -> [Double] {
    gradient.blocks.flatMap { $0.weights.storage + $0.bias.storage } + gradient.dense.flatMap { $0.weights.storage + $0.bias.storage }
}

func adamStep(_ network: ConvolutionalNetwork, _ gradient: ConvolutionalNetworkGradient, _ state: inout OptimizerState, rate: Double) -> ConvolutionalNetwork {
    var theta = flatten(network)
    let g = flatten(gradient)
    state.step += 1
    let t = Double(state.step)
    for i in theta.indices {
        state.firstMoment[i] = 0.9 * state.firstMoment[i] + 0.1 * g[i]
        state.secondMoment[i] = 0.999 * state.secondMoment[i] + 0.001 * g[i] * g[i]
        let mHat = state.firstMoment[i] / (1 - pow(0.9, t)), vHat = state.secondMoment[i] / (1 - pow(0.999, t))
        theta[i] -= rate * mHat / (vHat.squareRoot() + 1e-8)
    }
    var next = network, offset = 0
    func take(_ count: Int) -> [Double] {
        defer { offset += count }
        return Array(theta[offset..<(offset + count)])
    }
    for b in next.blocks.indices {
        let convolution = next.blocks[b].convolution
        next.blocks[b].convolution = ConvolutionLayer(weights: Tensor(shape: convolution.weights.shape, storage: take(convolution.weights.count)),
                                                      bias: Vector(take(convolution.bias.count)), stride: convolution.stride, padding: convolution.padding)
    }
    for l in next.dense.indices {
        next.dense[l].weights.storage = take(next.dense[l].weights.storage.count)
        next.dense[l].bias = Vector(take(next.dense[l].bias.count))
    }
    return next
}

/// A generator 64-64 (tanh) and a discriminator 64-64 (leaky ReLU 0.2), alternating Adam steps
/// (η = 10⁻³, β₁ = 0.5) on batches of 64 while the CPU budget lasts.
func trainAdversarial(_ samples: Matrix, hints: GANHints, seconds: Double, solution: Solution) -> [DenseLayer] {
    let timer = CPUTimer()
    var rng = SeededGenerator(seed: hints.seed)
    var gan = GenerativeAdversarialNetwork(
        generator: [DenseLayer.random(inputs: hints.noiseSize, outputs: 64, activation: .tanh, using: &rng),
                    DenseLayer.random(inputs: 64, outputs: 64, activation: .tanh, using: &rng),
                    DenseLayer.random(inputs: 64, outputs: hints.sampleSize, activation: .identity, using: &rng)],
        discriminator: [DenseLayer.random(inputs: hints.sampleSize, outputs: 64, activation: .leakyReLU(alpha: 0.2), using: &rng),
                        DenseLayer.random(inputs: 64, outputs: 64, activation: .leakyReLU(alpha: 0.2), using: &rng),
                        DenseLayer.random(inputs: 64, outputs: 1, activation: .sigmoid, using: &rng)])
    guard samples.rows > 0 else { return gan.generator }
    var states = GANOptimizerStates(for: gan)
    let optimizer = Optimizer.adam(learningRate: 1e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-8)
    let budget = seconds * 0.85
    var slowest = 0.0
    while true {
        let began = timer.elapsedSeconds
        if began + 1.5 * slowest > budget { return gan.generator }
        var real = Matrix(rows: 64, columns: samples.columns)
        for r in 0..<64 {
            let row = Int(rng.next() % UInt64(samples.rows))
            for c in 0..<samples.columns { real[r, c] = samples[row, c] }
        }
        let noise = rng.gaussianMatrix(rows: 64, columns: hints.noiseSize)
        (gan, states) = solution.ganStep(gan, real: real, noise: noise, optimizer: optimizer, states: states)
        slowest = Swift.max(slowest, timer.elapsedSeconds - began)
    }
}
