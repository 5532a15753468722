import CourseKit
import Foundation

extension ReferencePractical3 {
    /// L_D on `real` samples and the generator's samples of `noise` (see `GenerativeAdversarialNetwork`).
    public func discriminatorLoss(_ gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix) -> Double {
        let fake = ReferencePractical2().forward(gan.generator, input: noise).output
        return mean(logits(gan.discriminator, real).storage.map { softplus(-$0) }) + mean(logits(gan.discriminator, fake).storage.map(softplus))
    }

    /// L_G, the non-saturating generator loss, on the generator's samples of `noise`.
    public func generatorLoss(_ gan: GenerativeAdversarialNetwork, noise: Matrix) -> Double {
        let fake = ReferencePractical2().forward(gan.generator, input: noise).output
        return mean(logits(gan.discriminator, fake).storage.map { softplus(-$0) })
    }

    /// ∂L_D/∂θ_D (the generator's samples taken as data) and ∂L_G/∂θ_G (through the discriminator).
    public func ganGradients(_ gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix) -> GANGradient {
        GANGradient(generator: generatorGradient(gan, noise: noise), discriminator: discriminatorGradient(gan, real: real, noise: noise))
    }

    /// One alternating step: the discriminator by `optimizer` on L_D, then the generator on L_G with the
    /// updated discriminator and the same noise; each network keeps its own optimiser state.
    public func ganStep(_ gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix, optimizer: Optimizer,
                        states: GANOptimizerStates) -> (gan: GenerativeAdversarialNetwork, states: GANOptimizerStates) {
        let optimizers = ReferencePractical2()
        var next = gan
        let discriminator = optimizers.optimizerStep(optimizer, parameters: LayerParameters.flatten(gan.discriminator), state: states.discriminator) { theta in
            var moved = gan
            moved.discriminator = LayerParameters.unflatten(theta, like: gan.discriminator)
            return LayerParameters.flatten(discriminatorGradient(moved, real: real, noise: noise))
        }
        next.discriminator = LayerParameters.unflatten(discriminator.parameters, like: gan.discriminator)
        let generator = optimizers.optimizerStep(optimizer, parameters: LayerParameters.flatten(gan.generator), state: states.generator) { theta in
            var moved = next
            moved.generator = LayerParameters.unflatten(theta, like: gan.generator)
            return LayerParameters.flatten(generatorGradient(moved, noise: noise))
        }
        next.generator = LayerParameters.unflatten(generator.parameters, like: gan.generator)
        return (next, GANOptimizerStates(generator: generator.state, discriminator: discriminator.state))
    }

    func discriminatorGradient(_ gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix) -> [LayerGradient] {
        let mlp = ReferencePractical2()
        let fake = mlp.forward(gan.generator, input: noise).output
        let realCache = mlp.forward(gan.discriminator, input: real), fakeCache = mlp.forward(gan.discriminator, input: fake)
        let m = Double(real.rows), n = Double(fake.rows)
        let onReal = denseBackward(gan.discriminator, cache: realCache,
                                   outputDelta: realCache.preActivations.last!.map { (sigmoid($0) - 1) / m }).parameters
        let onFake = denseBackward(gan.discriminator, cache: fakeCache, outputDelta: fakeCache.preActivations.last!.map { sigmoid($0) / n }).parameters
        return zip(onReal, onFake).map { LayerGradient(weights: $0.weights + $1.weights, bias: $0.bias + $1.bias) }
    }

    func generatorGradient(_ gan: GenerativeAdversarialNetwork, noise: Matrix) -> [LayerGradient] {
        let mlp = ReferencePractical2()
        let generated = mlp.forward(gan.generator, input: noise)
        let judged = mlp.forward(gan.discriminator, input: generated.output)
        let m = Double(noise.rows)
        let throughDiscriminator = denseBackward(gan.discriminator, cache: judged, outputDelta: judged.preActivations.last!.map { (sigmoid($0) - 1) / m }).input
        let last = gan.generator.count - 1
        let delta = ReferencePractical2.hadamard(throughDiscriminator, mlp.activationDerivative(generated.preActivations[last], gan.generator[last].activation))
        return denseBackward(gan.generator, cache: generated, outputDelta: delta).parameters
    }

    /// Backpropagation through dense layers from δ_L = ∂L/∂Z_L: the parameters' gradients and ∂L/∂A_0.
    func denseBackward(_ layers: [DenseLayer], cache: ForwardCache, outputDelta: Matrix) -> (parameters: [LayerGradient], input: Matrix) {
        let mlp = ReferencePractical2()
        var delta = outputDelta
        var gradients = [LayerGradient](repeating: LayerGradient(weights: Matrix(rows: 0, columns: 0), bias: []), count: layers.count)
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            gradients[l] = LayerGradient(weights: delta.transposedTimes(cache.activations[l]), bias: ReferencePractical2.columnSums(delta))
            let input = delta * layers[l].weights
            if l == 0 { return (gradients, input) }
            delta = ReferencePractical2.hadamard(input, mlp.activationDerivative(cache.preActivations[l - 1], layers[l - 1].activation))
        }
        return (gradients, outputDelta)
    }

    /// The discriminator's pre-activations s (one per row of `samples`).
    private func logits(_ discriminator: [DenseLayer], _ samples: Matrix) -> Matrix {
        ReferencePractical2().forward(discriminator, input: samples).preActivations.last!
    }

    private func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }

    /// log(1 + eˣ), without overflow or cancellation.
    func softplus(_ x: Double) -> Double { max(x, 0) + log1p(exp(-abs(x))) }

    func sigmoid(_ x: Double) -> Double { x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }
}
