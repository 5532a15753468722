/// What the grader suggests for `Practical3.train`; a submission may follow it or not.
public struct ImageHints: Sendable, Hashable, Codable {
    /// C, H and W of every image.
    public var channels: Int, height: Int, width: Int
    /// Number of classes; the returned network must output one score per class.
    public var classes: Int
    /// A seed for initialisation and shuffling, so a run can be reproduced.
    public var seed: UInt64

    /// Creates hints.
    public init(channels: Int, height: Int, width: Int, classes: Int, seed: UInt64) {
        self.channels = channels
        self.height = height
        self.width = width
        self.classes = classes
        self.seed = seed
    }
}

/// What the grader suggests for `Practical3.trainGAN`.
public struct GANHints: Sendable, Hashable, Codable {
    /// The size of the noise vector z the generator takes (the grader draws z ~ N(0, I) of this size).
    public var noiseSize: Int
    /// The size of a sample (2 for points of the plane).
    public var sampleSize: Int
    /// A seed for initialisation and noise, so a run can be reproduced.
    public var seed: UInt64

    /// Creates hints.
    public init(noiseSize: Int, sampleSize: Int, seed: UInt64) {
        self.noiseSize = noiseSize
        self.sampleSize = sampleSize
        self.seed = seed
    }
}

/// The two optimiser states of a GAN's alternating steps.
public struct GANOptimizerStates: Sendable, Hashable, Codable {
    /// The generator's.
    public var generator: OptimizerState
    /// The discriminator's.
    public var discriminator: OptimizerState

    /// Creates the states.
    public init(generator: OptimizerState, discriminator: OptimizerState) {
        self.generator = generator
        self.discriminator = discriminator
    }

    /// Fresh (zero) states for `gan`.
    public init(for gan: GenerativeAdversarialNetwork) {
        self.init(generator: OptimizerState(dimension: LayerParameters.flatten(gan.generator).count),
                  discriminator: OptimizerState(dimension: LayerParameters.flatten(gan.discriminator).count))
    }
}

/// Practical 3: convolutional networks, adversarial examples and a generative adversarial network.
///
/// Implement this protocol in a type named `Solution`. Images come in batches N × C × H × W
/// (`ImageBatch`); labels as one-hot rows of a matrix (N × classes); losses are averaged over the batch.
/// The formulas are in the doc comments of `ConvolutionLayer` (cross-correlation, as PyTorch's `conv2d`:
/// do not flip the kernel), `Pooling`, `Dropout`, `BatchNormalization`, `ConvolutionalNetwork`, `Attack`
/// and `GenerativeAdversarialNetwork`.
public protocol Practical3: Sendable {
    /// The convolution of `x` by `layer`: N × F × H_out × W_out.
    func convolutionForward(_ x: ImageBatch, layer: ConvolutionLayer) -> ImageBatch

    /// ∂L/∂X, ∂L/∂W and ∂L/∂b of the convolution, given ∂L/∂Y.
    func convolutionBackward(_ x: ImageBatch, layer: ConvolutionLayer, outputGradient: ImageBatch) -> ConvolutionGradient

    /// Max or average pooling of `x`.
    func pool(_ x: ImageBatch, _ pooling: Pooling) -> ImageBatch

    /// ∂L/∂X of pooling, given ∂L/∂Y (max: to the first maximum of each window in row-major order).
    func poolBackward(_ x: ImageBatch, _ pooling: Pooling, outputGradient: ImageBatch) -> ImageBatch

    /// Inverted dropout of `x` with the given mask (one entry per pixel of the batch, 1 kept, 0 dropped).
    func dropout(_ x: ImageBatch, _ dropout: Dropout, mask: [Double]) -> ImageBatch

    /// ∂L/∂X of dropout with the same mask, given ∂L/∂Y.
    func dropoutBackward(_ dropout: Dropout, mask: [Double], outputGradient: ImageBatch) -> ImageBatch

    /// Batch normalisation of `x` in training mode (the batch's own statistics).
    func batchNormalization(_ x: ImageBatch, _ layer: BatchNormalization) -> ImageBatch

    /// ∂L/∂X, ∂L/∂γ and ∂L/∂β of batch normalisation in training mode, given ∂L/∂Y.
    func batchNormalizationBackward(_ x: ImageBatch, _ layer: BatchNormalization, outputGradient: ImageBatch) -> BatchNormalizationGradient

    /// The network's softmax cross-entropy on `input` with one-hot `targets`, averaged over the batch.
    func loss(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix) -> Double

    /// The gradient of that loss with respect to every parameter of the network.
    func gradient(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix) -> ConvolutionalNetworkGradient

    /// ∇ₓL, the gradient of that loss with respect to the images.
    func inputGradient(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix) -> ImageBatch

    /// FGSM: clip(x + ε · sign(∇ₓL), 0, 1), with sign(0) = 0.
    func fgsm(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix, epsilon: Double) -> ImageBatch

    /// PGD from x without a random start: `steps` steps of α · sign(∇ₓL), each followed by the projection
    /// onto the ε-ball around x (∞-norm) and onto [0, 1].
    func pgd(_ network: ConvolutionalNetwork, input: ImageBatch, targets: Matrix, epsilon: Double, stepSize: Double, steps: Int) -> ImageBatch

    /// Builds and trains a convolutional classifier on `data` (one image per row, C·H·W pixels, as `hints`
    /// gives the shape) within `seconds` of CPU time, and returns it.
    ///
    /// **The budget** is the CPU time of your whole process during the call, as in practical 2: watch it with
    /// `CPUTimer`; a call that uses more than `seconds` × 1.1 + 1 earns no credit. **The network** is scored
    /// by the grader's own forward pass on held-out images of the same task. In graded runs the task is not
    /// MNIST: it is ten classes of pen-drawn glyphs (28 × 28, one channel, MNIST's conventions) drawn from a
    /// secret of each student, so only what `train` learns from `data` within the budget counts; a network
    /// prepared in advance earns nothing. It has at most 8 blocks and 4 dense layers, at most 2,000,000
    /// parameters and 5,000,000 operations per image; a network beyond these bounds is not evaluated (a
    /// protocol error).
    func train(_ data: TrainingData, hints: ImageHints, seconds: Double) -> ConvolutionalNetwork

    /// L_D of `gan` on `real` samples and the generator's samples of `noise` (one row each).
    func discriminatorLoss(_ gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix) -> Double

    /// L_G, the non-saturating generator loss, on the generator's samples of `noise`.
    func generatorLoss(_ gan: GenerativeAdversarialNetwork, noise: Matrix) -> Double

    /// ∂L_G/∂θ_G (through the discriminator) and ∂L_D/∂θ_D (the generator's samples taken as data).
    func ganGradients(_ gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix) -> GANGradient

    /// One alternating step with `optimizer`: the discriminator on L_D, then the generator on L_G with the
    /// updated discriminator and the same noise; returns the new networks and optimiser states.
    func ganStep(_ gan: GenerativeAdversarialNetwork, real: Matrix, noise: Matrix, optimizer: Optimizer,
                 states: GANOptimizerStates) -> (gan: GenerativeAdversarialNetwork, states: GANOptimizerStates)

    /// Trains a GAN on `samples` (one per row) within `seconds` of CPU time and returns its generator, which
    /// must map noise of `hints.noiseSize` to samples of `hints.sampleSize`. The grader draws its own noise,
    /// maps it through the generator with its own forward pass and scores how many modes of the data the
    /// samples cover and how many samples lie close to one. In graded runs the data is a mixture of
    /// Gaussians at places drawn from a secret of each student, in no fixed shape: only a generator that
    /// learns from `samples` fits it. At most 8 layers, 1,024 units per layer and 200,000 parameters.
    func trainGAN(_ samples: Matrix, hints: GANHints, seconds: Double) -> [DenseLayer]
}
