/// The data a classifier trains on: one image per row of `inputs`, its class in `labels`.
public struct TrainingData: Sendable, Hashable, Codable {
    /// m × n inputs (for MNIST, n = 784 pixel intensities in [0, 1]).
    public var inputs: Matrix
    /// m labels in 0..<classes.
    public var labels: [Int]

    /// Creates training data.
    public init(inputs: Matrix, labels: [Int]) {
        precondition(inputs.rows == labels.count, "TrainingData: \(inputs.rows) inputs but \(labels.count) labels")
        self.inputs = inputs
        self.labels = labels
    }
}

/// What the grader suggests for `train`; a submission may follow it or not.
public struct ArchitectureHints: Sendable, Hashable, Codable {
    /// Inputs per sample.
    public var inputs: Int
    /// Number of classes; the returned network must output one score per class.
    public var classes: Int
    /// Suggested hidden layer sizes, such as [128].
    public var hiddenSizes: [Int]
    /// A seed for initialisation and shuffling, so a run can be reproduced.
    public var seed: UInt64

    /// Creates hints.
    public init(inputs: Int, classes: Int, hiddenSizes: [Int], seed: UInt64) {
        self.inputs = inputs
        self.classes = classes
        self.hiddenSizes = hiddenSizes
        self.seed = seed
    }
}

/// Practical 2: a multilayer perceptron from scratch, backpropagation, the six optimisers and MNIST.
///
/// Implement this protocol in a type named `Solution`. Batches hold one sample per **row**.
/// The formulas are in the doc comments of `Activation`, `Loss`, `DenseLayer` and `Optimizer`.
public protocol Practical2: Sendable {
    /// Φ(Z), elementwise, or per row for softmax (subtract each row's maximum first).
    func activate(_ z: Matrix, _ activation: Activation) -> Matrix

    /// Φ′(Z), elementwise (not asked for softmax, whose gradient is fused with the cross-entropy).
    func activationDerivative(_ z: Matrix, _ activation: Activation) -> Matrix

    /// L(ŷ, y) averaged over the rows of the batch.
    func loss(_ loss: Loss, predictions: Matrix, targets: Matrix) -> Double

    /// ∂L/∂ŷ; for `.softmaxCrossEntropy`, ∂L/∂z of the softmax output layer, (ŷ − y)/m.
    func lossGradient(_ loss: Loss, predictions: Matrix, targets: Matrix) -> Matrix

    /// Forward propagation: A_0 = X, then Z_l = A_{l−1} W_lᵀ + 1 b_lᵀ and A_l = Φ_l(Z_l) for each layer.
    func forward(_ layers: [DenseLayer], input: Matrix) -> ForwardCache

    /// Backpropagation of `loss` through the layers, from a forward cache.
    ///
    /// With δ_l = ∂L/∂Z_l (m × n_l): δ_L = ∂L/∂Â ⊙ Φ′_L(Z_L) (or (Â − Y)/m for softmax cross-entropy),
    /// then the recursion δ_l = (δ_{l+1} W_{l+1}) ⊙ Φ′_l(Z_l), which is the slides'
    /// δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ Φ′(z_l) for every sample. The gradients are
    /// ∂L/∂W_l = δ_lᵀ A_{l−1} and ∂L/∂b_l = the column sums of δ_l.
    func backward(_ layers: [DenseLayer], cache: ForwardCache, targets: Matrix, loss: Loss) -> [LayerGradient]

    /// One step of `optimizer` from θ with `state`; `gradient` evaluates ∇L anywhere (Nesterov
    /// needs it at the look-ahead point). Returns the new θ and the new state.
    func optimizerStep(_ optimizer: Optimizer, parameters: Vector, state: OptimizerState,
                       gradient: (Vector) -> Vector) -> (parameters: Vector, state: OptimizerState)

    /// The mini-batches of one epoch: the indices 0..<count shuffled with `SeededGenerator(seed:)`
    /// (`Array(0..<count).shuffled(using:)`), then cut in order into batches of `batchSize`, the last one shorter if needed.
    func miniBatches(count: Int, batchSize: Int, seed: UInt64) -> [[Int]]

    /// Builds and trains a classifier on `data` within `seconds` of CPU time and returns its layers.
    ///
    /// **The budget** is the CPU time of your whole process (all threads) during the call, as the sandbox
    /// measures it, not wall-clock time, so that a busy grading machine changes nothing: watch it with
    /// `CPUTimer`. Reading the data and sending the answer are covered by a grace of 10% and 1 s; a call
    /// that uses more than `seconds` × 1.1 + 1 earns no credit, and the feedback says by how much it ran over.
    ///
    /// **The data** are images with their labels; the held-out images the network is scored on are
    /// transformed exactly as the training images are. In graded runs both are transformed by a secret
    /// of each student: the pixels are permuted and the classes relabelled. Training on the data you are
    /// given is unaffected (a fully connected network does not care about the order of its inputs or
    /// outputs), but a network prepared in advance scores at chance.
    ///
    /// **The network** is evaluated with the grader's own forward pass: it takes `hints.inputs` inputs,
    /// its last layer outputs one score per class (the predicted class is the largest), and it has at most
    /// 16 layers of at most 4,096 units each and 2,000,000 parameters.
    func train(_ data: TrainingData, hints: ArchitectureHints, seconds: Double) -> [DenseLayer]
}
