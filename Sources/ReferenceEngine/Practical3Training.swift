import CourseKit

extension ReferencePractical3: Practical3 {
    public func fgsm(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix, epsilon: Double) -> ImageBatch {
        attack(network, input: input, targets: targets, attack: .fgsm(epsilon: epsilon))
    }

    public func pgd(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix, epsilon: Double, stepSize: Double, steps: Int) -> ImageBatch {
        attack(network, input: input, targets: targets, attack: Attack(epsilon: epsilon, stepSize: stepSize, steps: steps))
    }

    /// Two blocks (8 then 16 filters of 3 × 3, padding 1, ReLU, 2 × 2 max pooling where the image still
    /// allows it) and a softmax layer, trained by Adam on mini-batches of 32 until the CPU budget is nearly
    /// spent: a step is taken only while the time of the slowest step so far still fits. The step size
    /// decays linearly with the budget spent, from 2·10⁻³ to a twentieth of it, so that the network
    /// returned is not the one a last noisy step happened to leave.
    public func train(_ data: TrainingData, hints: ImageHints, seconds: Double) -> ConvolutionalNetwork {
        train(data, hints: hints, seconds: seconds, epochs: .max)
    }

    /// The same, stopping after `epochs` passes over the data if the budget lasts that long.
    public func train(_ data: TrainingData, hints: ImageHints, seconds: Double, epochs: Int) -> ConvolutionalNetwork {
        let timer = CPUTimer()
        var rng = SeededGenerator(seed: hints.seed)
        var network = ConvolutionalNetwork(channels: hints.channels, height: hints.height, width: hints.width, blocks: [], dense: [])
        var shape = (channels: hints.channels, height: hints.height, width: hints.width)
        for filters in [8, 16] {
            let convolution = ConvolutionLayer.random(filters: filters, channels: shape.channels, kernelSize: 3, padding: 1, using: &rng)
            let pooling: Pooling? = shape.height >= 4 && shape.width >= 4 ? Pooling(.max, window: 2) : nil
            network.blocks.append(ConvolutionalBlock(convolution: convolution, pooling: pooling))
            shape = (filters, pooling == nil ? shape.height : shape.height / 2, pooling == nil ? shape.width : shape.width / 2)
        }
        network.dense = [DenseLayer.random(inputs: shape.channels * shape.height * shape.width, outputs: hints.classes, activation: .softmax, using: &rng)]

        var parameters = Self.flatten(network)
        var state = OptimizerState(dimension: parameters.count)
        var slowest = 0.0
        let mlp = ReferencePractical2()
        for epoch in 0..<max(0, epochs) {
            for batch in mlp.miniBatches(count: data.inputs.rows, batchSize: 32, seed: hints.seed &+ UInt64(epoch)) {
                let before = timer.elapsedSeconds
                guard before + slowest * 1.5 < seconds * 0.9 else { return Self.unflatten(parameters, like: network) }
                let (rows, targets) = ReferencePractical2.batch(data, batch, classes: hints.classes)
                let images = ImageBatch(rows: rows, channels: hints.channels, height: hints.height, width: hints.width)
                let gradient = self.gradient(Self.unflatten(parameters, like: network), input: images, targets: targets)
                let spent = seconds.isFinite ? before / (seconds * 0.9) : 0
                let optimizer = Optimizer.adam(learningRate: 2e-3 * max(0.05, 1 - spent), beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
                ReferencePractical2.update(optimizer, parameters: &parameters, gradient: Self.flatten(gradient), state: &state)
                slowest = max(slowest, timer.elapsedSeconds - before)
            }
            if data.inputs.rows == 0 { break }
        }
        return Self.unflatten(parameters, like: network)
    }

    /// A generator of two hidden tanh layers of 64 and a discriminator of two leaky-ReLU layers of 64,
    /// trained by alternating Adam steps (η = 10⁻³, β₁ = 0.5) on mini-batches of 64 until the CPU budget is
    /// nearly spent.
    public func trainGAN(_ samples: Matrix, hints: GANHints, seconds: Double) -> [DenseLayer] {
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
        let optimizer = Optimizer.adam(learningRate: 1e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-8)
        var states = GANOptimizerStates(for: gan)
        var slowest = 0.0
        let batchSize = min(64, samples.rows)
        while true {
            let before = timer.elapsedSeconds
            guard before + slowest * 1.5 < seconds * 0.9 else { break }
            let rows = (0..<batchSize).map { _ in Int(rng.next() % UInt64(samples.rows)) }
            let real = Matrix(rows: batchSize, columns: samples.columns,
                              storage: rows.flatMap { samples.storage[($0 * samples.columns)..<(($0 + 1) * samples.columns)] })
            let noise = rng.gaussianMatrix(rows: batchSize, columns: hints.noiseSize)
            (gan, states) = ganStep(gan, real: real, noise: noise, optimizer: optimizer, states: states)
            slowest = max(slowest, timer.elapsedSeconds - before)
        }
        return gan.generator
    }

    /// Every parameter of `network` in one array: each block's filters then biases, then each dense layer's W then b.
    static func flatten(_ network: ConvolutionalNetwork) -> [Double] {
        network.blocks.flatMap { $0.convolution.weights.storage + $0.convolution.bias.storage } + LayerParameters.flatten(network.dense).storage
    }

    /// The gradient in the order of `flatten(_:)`.
    static func flatten(_ gradient: ConvolutionalNetworkGradient) -> [Double] {
        gradient.blocks.flatMap { $0.weights.storage + $0.bias.storage } + LayerParameters.flatten(gradient.dense).storage
    }

    /// `network` with its parameters read from `parameters`, in the order of `flatten(_:)`.
    static func unflatten(_ parameters: [Double], like network: ConvolutionalNetwork) -> ConvolutionalNetwork {
        var result = network
        var offset = 0
        for index in result.blocks.indices {
            let weights = result.blocks[index].convolution.weights.count, filters = result.blocks[index].convolution.filters
            result.blocks[index].convolution.weights.storage = Array(parameters[offset..<(offset + weights)])
            result.blocks[index].convolution.bias = Vector(Array(parameters[(offset + weights)..<(offset + weights + filters)]))
            offset += weights + filters
        }
        result.dense = LayerParameters.unflatten(Vector(Array(parameters[offset...])), like: network.dense)
        return result
    }
}
