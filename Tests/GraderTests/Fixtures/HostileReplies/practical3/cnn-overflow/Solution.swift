import CourseKit
import Foundation

struct Solution: Practical3 {
    func convolutionForward(_ x: ImageBatch, layer: ConvolutionLayer) -> ImageBatch { convolve(x, layer) }

    func convolutionBackward(_ x: ImageBatch, layer: ConvolutionLayer, outputGradient: ImageBatch) -> ConvolutionGradient {
        convolveBackward(x, layer, outputGradient)
    }

    func pool(_ x: ImageBatch, _ pooling: Pooling) -> ImageBatch { poolWithArgmax(x, pooling).0 }

    func poolBackward(_ x: ImageBatch, _ pooling: Pooling, outputGradient: ImageBatch) -> ImageBatch {
        poolBackwardPass(x, pooling, outputGradient)
    }

    func dropout(_ x: ImageBatch, _ dropout: Dropout, mask: [Double]) -> ImageBatch {
        var y = x
        for i in y.storage.indices { y.storage[i] = x.storage[i] * mask[i] * dropout.scale }
        return y
    }

    func dropoutBackward(_ dropout: Dropout, mask: [Double], outputGradient: ImageBatch) -> ImageBatch {
        var d = outputGradient
        for i in d.storage.indices { d.storage[i] = outputGradient.storage[i] * mask[i] * dropout.scale }
        return d
    }

    func batchNormalization(_ x: ImageBatch, _ layer: BatchNormalization) -> ImageBatch {
        let stats = channelStatistics(x, epsilon: layer.epsilon)
        let plane = x.height * x.width
        var y = x
        for n in 0..<x.count {
            for c in 0..<x.channels {
                for k in 0..<plane {
                    let i = (n * x.channels + c) * plane + k
                    y.storage[i] = layer.gamma[c] * (x.storage[i] - stats[c].mean) * stats[c].inverse + layer.beta[c]
                }
            }
        }
        return y
    }

    func batchNormalizationBackward(_ x: ImageBatch, _ layer: BatchNormalization, outputGradient g: ImageBatch) -> BatchNormalizationGradient {
        let stats = channelStatistics(x, epsilon: layer.epsilon)
        let plane = x.height * x.width, m = Double(x.count * plane)
        var dX = x
        var dGamma = Vector.zeros(x.channels), dBeta = Vector.zeros(x.channels)
        for c in 0..<x.channels {
            var sumG = 0.0, sumGX = 0.0
            for n in 0..<x.count {
                for k in 0..<plane {
                    let i = (n * x.channels + c) * plane + k
                    let xhat = (x.storage[i] - stats[c].mean) * stats[c].inverse
                    sumG += g.storage[i]
                    sumGX += g.storage[i] * xhat
                }
            }
            dGamma[c] = sumGX
            dBeta[c] = sumG
            for n in 0..<x.count {
                for k in 0..<plane {
                    let i = (n * x.channels + c) * plane + k
                    let xhat = (x.storage[i] - stats[c].mean) * stats[c].inverse
                    dX.storage[i] = layer.gamma[c] * stats[c].inverse / m * (m * g.storage[i] - sumG - xhat * sumGX)
                }
            }
        }
        return BatchNormalizationGradient(input: dX, gamma: dGamma, beta: dBeta)
    }

    func loss(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix) -> Double {
        crossEntropy(Forward(network, input).probabilities, targets)
    }

    func gradient(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix) -> ConvolutionalNetworkGradient {
        Forward(network, input).backward(targets).parameters
    }

    func inputGradient(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix) -> ImageBatch {
        Forward(network, input).backward(targets).input
    }

    func fgsm(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix, epsilon: Double) -> ImageBatch {
        pgd(network, input: input, targets: targets, epsilon: epsilon, stepSize: epsilon, steps: 1)
    }

    func pgd(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix, epsilon: Double, stepSize: Double, steps: Int) -> ImageBatch {
        var x = input
        for _ in 0..<steps {
            let g = inputGradient(network, input: x, targets: targets)
            for i in x.storage.indices {
                let sign: Double = g.storage[i] > 0 ? 1 : (g.storage[i] < 0 ? -1 : 0)
                let stepped = x.storage[i] + stepSize * sign
                let projected = Swift.min(input.storage[i] + epsilon, Swift.max(input.storage[i] - epsilon, stepped))
                x.storage[i] = Swift.min(1, Swift.max(0, projected))
            }
        }
        return x
    }

    func train(_ data: TrainingData, hints: ImageHints, seconds: Double) -> ConvolutionalNetwork {
        // hostile: no filters, a 65,550 × 65,550 kernel and padding 65,536: nothing to count, an overflowing product to score.
        var rng = SeededGenerator(seed: hints.seed)
        let empty = ConvolutionLayer(weights: Tensor(shape: [0, hints.channels, 65_550, 65_550], storage: []), bias: Vector([]), padding: 65_536)
        return ConvolutionalNetwork(channels: hints.channels, height: hints.height, width: hints.width, blocks: [ConvolutionalBlock(convolution: empty)],
                                    dense: [DenseLayer.random(inputs: 0, outputs: hints.classes, activation: .softmax, using: &rng)])
    }

    func discriminatorLoss(_ gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix) -> Double {
        let fake = denseForward(gan.generator, noise).output
        let realLogits = logits(gan.discriminator, real), fakeLogits = logits(gan.discriminator, fake)
        return mean(realLogits.storage.map { softplus(-$0) }) + mean(fakeLogits.storage.map(softplus))
    }

    func generatorLoss(_ gan: GenerativeAdversarialNetwork, noise: Matrix) -> Double {
        let fake = denseForward(gan.generator, noise).output
        return mean(logits(gan.discriminator, fake).storage.map { softplus(-$0) })
    }

    func ganGradients(_ gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix) -> GANGradient {
        GANGradient(generator: generatorGradient(gan, noise), discriminator: discriminatorGradient(gan, real, noise))
    }

    func ganStep(_ gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix, optimizer: Optimizer,
                 states: GANOptimizerStates) -> (gan: GenerativeAdversarialNetwork, states: GANOptimizerStates) {
        var next = gan, newStates = states
        next.discriminator = step(optimizer, gan.discriminator, &newStates.discriminator) { layers in
            var moved = gan
            moved.discriminator = layers
            return discriminatorGradient(moved, real, noise)
        }
        let updated = next
        next.generator = step(optimizer, gan.generator, &newStates.generator) { layers in
            var moved = updated
            moved.generator = layers
            return generatorGradient(moved, noise)
        }
        return (next, newStates)
    }

    func trainGAN(_ samples: Matrix, hints: GANHints, seconds: Double) -> [DenseLayer] {
        trainAdversarial(samples, hints: hints, seconds: seconds, solution: self)
    }
}

func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
func softplus(_ x: Double) -> Double { Swift.max(x, 0) + log1p(exp(-abs(x))) }
func sigmoid(_ x: Double) -> Double { x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }

func crossEntropy(_ probabilities: Matrix, _ targets: Matrix) -> Double {
    var total = 0.0
    for i in targets.storage.indices where targets.storage[i] != 0 { total -= targets.storage[i] * log(probabilities.storage[i]) }
    return total / Double(targets.rows)
}
