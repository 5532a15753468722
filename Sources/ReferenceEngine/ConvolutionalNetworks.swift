import CourseKit

extension ReferencePractical3 {
    /// What the forward pass keeps for the backward pass: each block's input, pre-activation and
    /// activation (before pooling), and the dense layers' cache.
    struct NetworkCache {
        var blockInputs: [ImageBatch] = []
        var preActivations: [ImageBatch] = []
        var activations: [ImageBatch] = []
        var dense: ForwardCache
        var lastShape: [Int]
    }

    /// The class probabilities Ŷ (N × classes) of `network` on `input`.
    public func predict(_ network: ConvolutionalNetwork, input: ImageBatch) -> Matrix {
        forward(network, input: input).dense.output
    }

    /// The softmax cross-entropy of `network` on `input`, averaged over the batch.
    public func loss(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix) -> Double {
        ReferencePractical2().loss(.softmaxCrossEntropy, predictions: predict(network, input: input), targets: targets)
    }

    /// The gradient of the loss with respect to every parameter of `network`.
    public func gradient(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix) -> ConvolutionalNetworkGradient {
        backward(network, cache: forward(network, input: input), targets: targets).parameters
    }

    /// ∇ₓL, the gradient of the loss with respect to the images.
    public func inputGradient(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix) -> ImageBatch {
        backward(network, cache: forward(network, input: input), targets: targets).input
    }

    /// FGSM or PGD (see `Attack`): steps of α · sign(∇ₓL), each projected onto the ε-ball around `input` and onto [0, 1].
    public func attack(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix, attack: Attack) -> ImageBatch {
        attackTrajectory(network, input: input, targets: targets, attack: attack).images
    }

    /// The attack's images and the ∇ₓL it stepped along at each step (the grader's sign ties are read from them).
    public func attackTrajectory(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix, attack: Attack) -> (images: ImageBatch, gradients: [ImageBatch]) {
        var x = input, gradients: [ImageBatch] = []
        for _ in 0..<attack.steps {
            let gradient = inputGradient(network, input: x, targets: targets)
            gradients.append(gradient)
            for index in x.storage.indices {
                let g = gradient.storage[index]
                let sign: Double = g > 0 ? 1 : g < 0 ? -1 : 0
                let original = input.storage[index]
                let moved = x.storage[index] + attack.stepSize * sign
                x.storage[index] = min(1, max(0, min(original + attack.epsilon, max(original - attack.epsilon, moved))))
            }
        }
        return (x, gradients)
    }

    func forward(_ network: ConvolutionalNetwork, input: ImageBatch) -> NetworkCache {
        precondition(input.channels == network.channels && input.height == network.height && input.width == network.width,
                     "forward: images of \(Tensor.describe(input.shape)) for a network of \(network.channels)×\(network.height)×\(network.width)")
        var x = input
        var cache = NetworkCache(dense: ForwardCache(preActivations: [], activations: []), lastShape: [])
        for block in network.blocks {
            cache.blockInputs.append(x)
            let z = convolutionForward(x, layer: block.convolution)
            let a = z.map { max(0, $0) }
            cache.preActivations.append(z)
            cache.activations.append(a)
            x = block.pooling.map { pool(a, $0) } ?? a
        }
        cache.lastShape = x.shape
        cache.dense = ReferencePractical2().forward(network.dense, input: x.flattened)
        return cache
    }

    func backward(_ network: ConvolutionalNetwork, cache: NetworkCache, targets: Matrix) -> (parameters: ConvolutionalNetworkGradient, input: ImageBatch) {
        // δ_L = (Ŷ − Y)/N for softmax cross-entropy, as in practical 2.
        let outputDelta = ReferencePractical2().lossGradient(.softmaxCrossEntropy, predictions: cache.dense.output, targets: targets)
        let (dense, flattened) = denseBackward(network.dense, cache: cache.dense, outputDelta: outputDelta)
        var gradient = ImageBatch(count: cache.lastShape[0], channels: cache.lastShape[1], height: cache.lastShape[2], width: cache.lastShape[3],
                                  storage: flattened.storage)
        var blocks = [FilterGradient](repeating: FilterGradient(weights: Tensor(zeros: []), bias: []), count: network.blocks.count)
        for (index, block) in network.blocks.enumerated().reversed() {
            if let pooling = block.pooling { gradient = poolBackward(cache.activations[index], pooling, outputGradient: gradient) }
            let z = cache.preActivations[index]
            for i in gradient.storage.indices where !(z.storage[i] > 0) { gradient.storage[i] = 0 }
            let convolution = convolutionBackward(cache.blockInputs[index], layer: block.convolution, outputGradient: gradient)
            blocks[index] = FilterGradient(weights: convolution.weights, bias: convolution.bias)
            gradient = convolution.input
        }
        return (ConvolutionalNetworkGradient(blocks: blocks, dense: dense), gradient)
    }
}
