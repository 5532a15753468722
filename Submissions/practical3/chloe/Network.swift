import CourseKit
import Foundation

// Dense layers (as in practical 2) and the CNN's forward and backward passes.

struct DenseCache {
    var inputs: [Matrix] = []       // A_{l-1} for each layer
    var preActivations: [Matrix] = []
    var output: Matrix
}

func activate(_ z: Matrix, _ activation: Activation) -> Matrix {
    switch activation {
    case .sigmoid: return z.map(sigmoid)
    case .relu: return z.map { Swift.max(0, $0) }
    case .tanh: return z.map { Foundation.tanh($0) }
    case let .leakyReLU(alpha): return z.map { $0 > 0 ? $0 : alpha * $0 }
    case .identity: return z
    case .softmax:
        var out = z
        for r in 0..<z.rows {
            let row = z.row(r).storage
            let top = row.max() ?? 0
            let exps = row.map { exp($0 - top) }
            let total = exps.reduce(0, +)
            for c in 0..<z.columns { out[r, c] = exps[c] / total }
        }
        return out
    }
}

/// φ′(z) ⊙ upstream for an elementwise activation.
func activationBackward(_ z: Matrix, _ a: Matrix, _ upstream: Matrix, _ activation: Activation) -> Matrix {
    var out = upstream
    for i in out.storage.indices {
        let slope: Double
        switch activation {
        case .sigmoid: slope = a.storage[i] * (1 - a.storage[i])
        case .relu: slope = z.storage[i] > 0 ? 1 : 0
        case .tanh: slope = 1 - a.storage[i] * a.storage[i]
        case let .leakyReLU(alpha): slope = z.storage[i] > 0 ? 1 : alpha
        case .identity, .softmax: slope = 1
        }
        out.storage[i] *= slope
    }
    return out
}

func denseForward(_ layers: [DenseLayer], _ input: Matrix) -> DenseCache {
    var cache = DenseCache(output: input)
    var a = input
    for layer in layers {
        cache.inputs.append(a)
        var z = a.timesTransposed(layer.weights)
        for r in 0..<z.rows { for c in 0..<z.columns { z[r, c] += layer.bias[c] } }
        cache.preActivations.append(z)
        a = activate(z, layer.activation)
    }
    cache.output = a
    return cache
}

/// From ∂L/∂Z of the last layer: every layer's gradients and ∂L/∂(input).
func denseBackward(_ layers: [DenseLayer], _ cache: DenseCache, lastDelta: Matrix) -> ([LayerGradient], Matrix) {
    var gradients: [LayerGradient] = []
    var delta = lastDelta
    var upstream = delta
    for l in stride(from: layers.count - 1, through: 0, by: -1) {
        if l < layers.count - 1 {
            let a = l + 1 < cache.inputs.count ? cache.inputs[l + 1] : cache.output
            delta = activationBackward(cache.preActivations[l], a, upstream, layers[l].activation)
        }
        let dW = delta.transposedTimes(cache.inputs[l])
        var db = Vector.zeros(delta.columns)
        for r in 0..<delta.rows { for c in 0..<delta.columns { db[c] += delta[r, c] } }
        gradients.insert(LayerGradient(weights: dW, bias: db), at: 0)
        upstream = delta * layers[l].weights
    }
    return (gradients, upstream)
}

/// One forward pass of a CNN, kept for its backward pass.
struct Forward {
    let network: ConvolutionalNetwork
    var blockInputs: [ImageBatch] = []
    var preActivations: [ImageBatch] = []
    var activations: [ImageBatch] = []
    var flatShape: ImageBatch
    var dense: DenseCache

    init(_ network: ConvolutionalNetwork, _ input: ImageBatch) {
        self.network = network
        var x = input
        for block in network.blocks {
            blockInputs.append(x)
            let z = convolve(x, block.convolution)
            preActivations.append(z)
            let a = z.map { Swift.max(0, $0) }
            activations.append(a)
            x = block.pooling.map { poolWithArgmax(a, $0).0 } ?? a
        }
        flatShape = x
        dense = denseForward(network.dense, x.flattened)
    }

    var probabilities: Matrix { dense.output }

    func backward(_ targets: Matrix) -> (parameters: ConvolutionalNetworkGradient, input: ImageBatch) {
        let n = Double(targets.rows)
        var delta = dense.output - targets
        delta = (1 / n) * delta
        let (denseGradients, flatGradient) = denseBackward(network.dense, dense, lastDelta: delta)
        var g = ImageBatch(count: flatShape.count, channels: flatShape.channels, height: flatShape.height, width: flatShape.width,
                           storage: flatGradient.storage)
        var filterGradients: [FilterGradient] = []
        for b in stride(from: network.blocks.count - 1, through: 0, by: -1) {
            let block = network.blocks[b]
            if let pooling = block.pooling { g = poolBackwardPass(activations[b], pooling, g) }
            for i in g.storage.indices where preActivations[b].storage[i] <= 0 { g.storage[i] = 0 }
            let conv = convolveBackward(blockInputs[b], block.convolution, g)
            filterGradients.insert(FilterGradient(weights: conv.weights, bias: conv.bias), at: 0)
            g = conv.input
        }
        return (ConvolutionalNetworkGradient(blocks: filterGradients, dense: denseGradients), g)
    }
}

// MARK: GAN

/// The discriminator's pre-activation s of its last layer (D = σ(s)), one per row.
func logits(_ discriminator: [DenseLayer], _ samples: Matrix) -> Matrix {
    denseForward(discriminator, samples).preActivations.last!
}

func discriminatorGradient(_ gan: GenerativeAdversarialNetwork, _ real: Matrix, _ noise: Matrix) -> [LayerGradient] {
    let fake = denseForward(gan.generator, noise).output
    let realCache = denseForward(gan.discriminator, real), fakeCache = denseForward(gan.discriminator, fake)
    let m = Double(real.rows)
    let realDelta = realCache.preActivations.last!.map { (sigmoid($0) - 1) / m }
    let fakeDelta = fakeCache.preActivations.last!.map { sigmoid($0) / Double(fake.rows) }
    let (fromReal, _) = denseBackward(gan.discriminator, realCache, lastDelta: realDelta)
    let (fromFake, _) = denseBackward(gan.discriminator, fakeCache, lastDelta: fakeDelta)
    return zip(fromReal, fromFake).map { LayerGradient(weights: $0.weights + $1.weights, bias: $0.bias + $1.bias) }
}

func generatorGradient(_ gan: GenerativeAdversarialNetwork, _ noise: Matrix) -> [LayerGradient] {
    let generator = denseForward(gan.generator, noise)
    let discriminator = denseForward(gan.discriminator, generator.output)
    let m = Double(noise.rows)
    let delta = discriminator.preActivations.last!.map { (sigmoid($0) - 1) / m }
    let (_, sampleGradient) = denseBackward(gan.discriminator, discriminator, lastDelta: delta)
    let lastDelta = activationBackward(generator.preActivations.last!, generator.output, sampleGradient, gan.generator.last!.activation)
    return denseBackward(gan.generator, generator, lastDelta: lastDelta).0
}

/// One optimiser step on `layers`, whose gradient at given parameters is `gradient`.
func step(_ optimizer: Optimizer, _ layers: [DenseLayer], _ state: inout OptimizerState,
          _ gradient: ([DenseLayer]) -> [LayerGradient]) -> [DenseLayer] {
    var theta = LayerParameters.flatten(layers).storage
    state.step += 1
    let t = Double(state.step)
    switch optimizer {
    case let .sgd(eta):
        let g = LayerParameters.flatten(gradient(layers)).storage
        for i in theta.indices { theta[i] -= eta * g[i] }
    case let .momentum(eta, beta):
        let g = LayerParameters.flatten(gradient(layers)).storage
        for i in theta.indices {
            state.velocity[i] = beta * state.velocity[i] + (1 - beta) * g[i]
            theta[i] -= eta * state.velocity[i]
        }
    case let .nesterov(eta, beta):
        let ahead = zip(theta, state.velocity.storage).map { $0 - eta * beta * $1 }
        let g = LayerParameters.flatten(gradient(LayerParameters.unflatten(Vector(ahead), like: layers))).storage
        for i in theta.indices {
            state.velocity[i] = beta * state.velocity[i] + (1 - beta) * g[i]
            theta[i] -= eta * state.velocity[i]
        }
    case let .adagrad(eta, epsilon):
        let g = LayerParameters.flatten(gradient(layers)).storage
        for i in theta.indices {
            state.squaredGradients[i] += g[i] * g[i]
            theta[i] -= eta * g[i] / (state.squaredGradients[i].squareRoot() + epsilon)
        }
    case let .rmsprop(eta, beta, epsilon):
        let g = LayerParameters.flatten(gradient(layers)).storage
        for i in theta.indices {
            state.squaredGradients[i] = beta * state.squaredGradients[i] + (1 - beta) * g[i] * g[i]
            theta[i] -= eta * g[i] / (state.squaredGradients[i].squareRoot() + epsilon)
        }
    case let .adam(eta, beta1, beta2, epsilon):
        let g = LayerParameters.flatten(gradient(layers)).storage
        for i in theta.indices {
            state.firstMoment[i] = beta1 * state.firstMoment[i] + (1 - beta1) * g[i]
            state.secondMoment[i] = beta2 * state.secondMoment[i] + (1 - beta2) * g[i] * g[i]
            let mHat = state.firstMoment[i] / (1 - pow(beta1, t)), vHat = state.secondMoment[i] / (1 - pow(beta2, t))
            theta[i] -= eta * mHat / (vHat.squareRoot() + epsilon)
        }
    }
    return LayerParameters.unflatten(Vector(theta), like: layers)
}
