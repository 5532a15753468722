import CourseKit
import Foundation
import Grader
import ReferenceEngine
import SubmissionRuntime

/// Practical 2: the MLP from scratch, backpropagation, the optimisers and MNIST.
public struct Practical2Driver: PracticalDriver {
    public typealias Rules = Practical2Rules

    private let context: DriverContext
    private let mnist: MNISTCache

    /// Creates the driver; training cases read MNIST from the course and write their data to the context's folder.
    public init(context: DriverContext = DriverContext()) {
        self.context = context
        mnist = MNISTCache(folder: context.course?.dataURL("mnist"))
    }

    /// Training data is written to the context's data folder.
    public var sandboxData: URL? { context.dataFolder }

    public static let callTable = Practical2Rules.callTable(Practical2Driver.self, preparing: drawing)

    /// How each call's cases are drawn.
    private static let drawing: [String: CaseDrawing<Practical2Driver>] = [
        "activate": { _, sampler, _ in
            let (z, activation, summary) = try Self.logits(&sampler)
            return PreparedCase(call: .activate(z: z, activation: activation), inputs: summary)
        },
        "activationDerivative": { _, sampler, _ in
            let (z, activation, summary) = try Self.logits(&sampler)
            return PreparedCase(call: .activationDerivative(z: z, activation: activation), inputs: summary,
                                evidence: [CompareCheck.SubgradientsAtKinks(z: z, activation: activation)])
        },
        "loss": { _, sampler, _ in
            let (loss, predictions, targets, summary) = try Self.predictions(&sampler)
            return PreparedCase(call: .loss(loss: loss, predictions: predictions, targets: targets), inputs: summary)
        },
        "lossGradient": { _, sampler, _ in
            let (loss, predictions, targets, summary) = try Self.predictions(&sampler)
            return PreparedCase(call: .lossGradient(loss: loss, predictions: predictions, targets: targets), inputs: summary)
        },
        "forward": { _, sampler, _ in
            let (layers, input, _, _, summary) = try Self.network(&sampler)
            return PreparedCase(call: .forward(layers: layers, input: input), inputs: summary)
        },
        "backward": { _, sampler, _ in
            let (layers, input, targets, loss, summary) = try Self.network(&sampler)
            let probes = try sampler.integer("probes", default: 3), step = try sampler.real("step", default: 1e-6)
            let seed = sampler.rng.next()
            return PreparedCase(call: .backward(layers: layers, input: input, targets: targets, loss: loss, probes: probes, seed: seed, step: step),
                                inputs: summary + ", \(loss)",
                                evidence: [BackpropagationCheck.Subject(layers: layers, probes: probes, seed: seed, batchSize: input.rows, loss: loss)])
        },
        "optimizerStep": { _, sampler, _ in
            let n = try sampler.integer("dimension", default: 3), kappa = try sampler.real("condition", default: 10)
            // `stationary: k`: an axis-aligned quadratic started within 1e-6 of the minimiser in its first k
            // coordinates, whose gradient stays near zero there (where ε's place in RMSProp and AdaGrad shows).
            let stationary = try sampler.integer("stationary", default: 0)
            let (quadratic, facts) = ProblemFactory.quadratic(dimension: n, condition: kappa, mu: 1, rotated: stationary == 0, rng: &sampler.rng)
            let optimizer = try Self.optimizer(&sampler)
            let steps = try sampler.integer("steps", default: 20)
            var start = sampler.rng.gaussianVector(n)
            if stationary > 0, let minimizer = facts.minimizer {
                for i in 0..<min(stationary, n) { start[i] = minimizer[i] + 1e-6 * sampler.rng.nextGaussian() }
            }
            return PreparedCase(call: .optimizer(optimizer: optimizer, objective: .quadratic(quadratic), start: start, steps: steps),
                                inputs: "\(optimizer) on a quadratic in R^\(n), θ0 = \(Feedback.vector(start)), \(steps) steps")
        },
        "miniBatches": { _, sampler, _ in
            let count = try sampler.integer("count", default: 100), size = try sampler.integer("batchSize", default: 16)
            let batchSeed = sampler.rng.next() % 1_000_000
            return PreparedCase(call: .miniBatches(count: count, batchSize: size, seed: batchSeed),
                                inputs: "count \(count), batchSize \(size), seed \(batchSeed)")
        },
        "train": { driver, sampler, request in
            try driver.trainingCase(&sampler, transform: request.privateSeed ?? request.seed)
        },
    ]

    /// A matrix Z of logits and an activation, with the inputs in words.
    private static func logits(_ sampler: inout RecipeSampler) throws -> (Matrix, Activation, String) {
        let rows = try sampler.integer("rows", default: 4), columns = try sampler.integer("columns", default: 5)
        let activation = try Self.activation(&sampler)
        let scale = try sampler.real("scale", default: 3), shift = try sampler.real("shift", default: 0)
        let zeros = try sampler.real("zeros", default: 0)
        var z = sampler.rng.gaussianMatrix(rows: rows, columns: columns, standardDeviation: scale).map { $0 + shift }
        for i in z.storage.indices where sampler.rng.nextUniform() < zeros { z.storage[i] = 0 }
        return (z, activation, "\(activation) of a \(rows)×\(columns) matrix Z = \(Feedback.vector(Vector(z.storage)))")
    }

    /// A loss with predictions and targets of its kind, with the inputs in words.
    private static func predictions(_ sampler: inout RecipeSampler) throws -> (Loss, Matrix, Matrix, String) {
        let rows = try sampler.integer("rows", default: 6), classes = try sampler.integer("classes", default: 3)
        let loss = try Self.loss(&sampler)
        let logits = sampler.rng.gaussianMatrix(rows: rows, columns: classes)
        var targets = Matrix(rows: rows, columns: classes)
        let predictions: Matrix
        switch loss {
        case .softmaxCrossEntropy:
            predictions = ReferencePractical2().activate(logits, .softmax)
            for row in 0..<rows { targets[row, Int(sampler.rng.next() % UInt64(classes))] = 1 }
        case .binaryCrossEntropy:
            predictions = logits.map(LogisticLoss.sigmoid)
            targets = targets.map { _ in sampler.rng.nextUniform() < 0.5 ? 0 : 1 }
        case .mse:
            predictions = logits
            targets = sampler.rng.gaussianMatrix(rows: rows, columns: classes)
        }
        return (loss, predictions, targets, "\(loss) on \(rows) samples × \(classes) outputs")
    }

    /// A training case: MNIST training images written as IDX files the submission can read, and held-out
    /// images kept by the grader, both transformed by one pixel permutation and one relabelling drawn
    /// from `transform` (the student's private seed in graded runs), so that weights prepared in advance
    /// score at chance. The images themselves are the same for every student (a subset fixed by the
    /// setting `subset`), so identical code scores alike whoever runs it.
    ///
    /// The held-out set is every MNIST test image (setting `test`) and every training image not given to
    /// the submission (setting `spare`): 50,000 images for a 20,000-image subset. Two equally good
    /// networks disagree on a few percent of images, and on n images that alone moves their accuracies
    /// apart by about √(disagreement / n); five times the images, less than half the spread.
    private func trainingCase(_ sampler: inout RecipeSampler, transform: UInt64) throws -> PreparedCase<Practical2Call> {
        let split = try MNISTTrainingSplit(&sampler, samples: 20_000, spare: nil)
        let seconds = try sampler.real("seconds", default: 10), hidden = try sampler.integer("hidden", default: 128)
        let hints = ArchitectureHints(inputs: 784, classes: 10, hiddenSizes: [hidden], seed: sampler.rng.next() % 1_000_000)
        let summary = split.summary(seconds: seconds)
        guard let folder = context.dataFolder else {
            // Rehearsal: parameters checked, nothing written.
            return PreparedCase(call: .train(images: "", labels: "", hints: hints, seconds: seconds), inputs: summary)
        }
        var transformRNG = SeededGenerator(seed: transform)
        let pixels = Array(0..<784).shuffled(using: &transformRNG)
        let classes = Array(0..<10).shuffled(using: &transformRNG)
        // Each case writes files of its own (the transform is the student's), removed by `release` once it is judged.
        let (images, labels, heldOut) = try split.write(from: mnist, pixels: pixels, classes: classes, into: folder, name: "mnist")
        return PreparedCase(call: .train(images: images.path, labels: labels.path, hints: hints, seconds: seconds),
                            inputs: summary, evidence: [TrainingCheck.Evidence(seconds: seconds, scorer: HeldOutDigits(heldOut, evaluator: ReferenceModels()))],
                            temporaryFiles: [images, labels])
    }

    /// The training files of a case are removed once it is judged: each student's are their own.
    public func release(_ prepared: PreparedCase<Practical2Call>) {
        for file in prepared.temporaryFiles { try? FileManager.default.removeItem(at: file) }
    }

    /// Training cases need MNIST: it is read (and its files checked) before anyone is graded.
    public func preflight(_ spec: AssignmentSpec) throws {
        guard spec.allChecks.contains(where: { $0.1.call == "train" }), context.dataFolder != nil else { return }
        _ = try mnist.sets()
    }

    /// Through the wire type, backpropagation's answer includes the directional derivatives of the
    /// reference's own forward pass, as a submission's does.
    public func referenceAnswerAsSubmission(to call: Practical2Call) -> Answer { call.perform(on: ReferencePractical2()) }

    public func referenceAnswer(to call: Practical2Call) -> Answer {
        switch call {
        case .backward(let layers, let input, let targets, let loss, _, _, _):
            let reference = ReferencePractical2()
            let gradients = reference.backward(layers, cache: reference.forward(layers, input: input), targets: targets, loss: loss)
            return .backpropagation(BackpropagationAnswer(gradients: gradients, directionalDerivatives: []))
        case .train:
            return .layers([])
        default:
            return call.perform(on: ReferencePractical2())
        }
    }

    // MARK: Recipe vocabulary

    static func activation(_ sampler: inout RecipeSampler, key: String = "activation", default fallback: String = "relu") throws -> Activation {
        switch try sampler.text(key, default: fallback) {
        case "sigmoid": return .sigmoid
        case "relu": return .relu
        case "tanh": return .tanh
        case "leaky-relu": return .leakyReLU(alpha: try sampler.real("alpha", default: 0.01))
        case "softmax": return .softmax
        case "identity": return .identity
        case let other: throw RecipeSampler.ParameterError(description: "unknown \(key) '\(other)'; use sigmoid, relu, tanh, leaky-relu, softmax or identity")
        }
    }

    static func loss(_ sampler: inout RecipeSampler) throws -> Loss {
        switch try sampler.text("loss", default: "softmax-cross-entropy") {
        case "mse": return .mse
        case "binary-cross-entropy": return .binaryCrossEntropy
        case "softmax-cross-entropy": return .softmaxCrossEntropy
        case let other: throw RecipeSampler.ParameterError(description: "unknown loss '\(other)'; use mse, binary-cross-entropy or softmax-cross-entropy")
        }
    }

    static func optimizer(_ sampler: inout RecipeSampler) throws -> Optimizer {
        let eta = try sampler.real("learningRate", default: 0.05)
        switch try sampler.text("optimizer", default: "sgd") {
        case "sgd": return .sgd(learningRate: eta)
        case "momentum": return .momentum(learningRate: eta, beta: try sampler.real("beta", default: 0.9))
        case "nesterov": return .nesterov(learningRate: eta, beta: try sampler.real("beta", default: 0.9))
        case "adagrad": return .adagrad(learningRate: eta, epsilon: try sampler.real("epsilon", default: 1e-8))
        case "rmsprop": return .rmsprop(learningRate: eta, beta: try sampler.real("beta", default: 0.9), epsilon: try sampler.real("epsilon", default: 1e-8))
        case "adam":
            return .adam(learningRate: eta, beta1: try sampler.real("beta1", default: 0.9), beta2: try sampler.real("beta2", default: 0.999),
                         epsilon: try sampler.real("epsilon", default: 1e-8))
        case let other: throw RecipeSampler.ParameterError(description: "unknown optimizer '\(other)'; use sgd, momentum, nesterov, adagrad, rmsprop or adam")
        }
    }

    /// A random network, a batch and targets: `inputs`, `hidden` units in each of `depth` hidden layers, `outputs`, `rows` samples.
    static func network(_ sampler: inout RecipeSampler) throws -> ([DenseLayer], Matrix, Matrix, Loss, String) {
        let inputs = try sampler.integer("inputs", default: 4), hidden = try sampler.integer("hidden", default: 6)
        let depth = try sampler.integer("depth", default: 1), outputs = try sampler.integer("outputs", default: 3)
        let rows = try sampler.integer("rows", default: 8)
        let activation = try Self.activation(&sampler)
        let loss = try Self.loss(&sampler)
        // The output layer's activation: the loss's canonical partner by default, or another valid one
        // (sigmoid or tanh with MSE), where ∂L/∂Â ⊙ Φ′ does not simplify to (Â − Y)/m.
        let canonical = switch loss {
        case .softmaxCrossEntropy: "softmax"
        case .binaryCrossEntropy: "sigmoid"
        case .mse: "identity"
        }
        let output = try Self.activation(&sampler, key: "output", default: canonical)
        switch (loss, output) {
        case (.softmaxCrossEntropy, .softmax), (.binaryCrossEntropy, .sigmoid), (.mse, .identity), (.mse, .sigmoid), (.mse, .tanh): break
        default: throw RecipeSampler.ParameterError(description: "output \(output) cannot be used with the loss \(loss); softmax goes with softmax-cross-entropy, sigmoid with binary-cross-entropy or mse, identity and tanh with mse")
        }
        let sizes = [inputs] + Array(repeating: hidden, count: depth) + [outputs]
        var layers: [DenseLayer] = []
        for l in 0..<(sizes.count - 1) {
            var layer = DenseLayer.random(inputs: sizes[l], outputs: sizes[l + 1], activation: l == sizes.count - 2 ? output : activation, using: &sampler.rng)
            layer.bias = sampler.rng.gaussianVector(sizes[l + 1], standardDeviation: 0.1)
            layers.append(layer)
        }
        let input = sampler.rng.gaussianMatrix(rows: rows, columns: inputs)
        var targets = Matrix(rows: rows, columns: outputs)
        switch loss {
        case .softmaxCrossEntropy: for row in 0..<rows { targets[row, Int(sampler.rng.next() % UInt64(outputs))] = 1 }
        case .binaryCrossEntropy: targets = targets.map { _ in sampler.rng.nextUniform() < 0.5 ? 0 : 1 }
        case .mse: targets = sampler.rng.gaussianMatrix(rows: rows, columns: outputs)
        }
        let summary = "network \(sizes.map(String.init).joined(separator: "-")), \(activation) hidden, \(output) output, batch of \(rows)"
        return (layers, input, targets, loss, summary)
    }
}

/// MNIST loaded once per driver, on first use.
final class MNISTCache: Sendable {
    private let folder: URL?
    private let loaded = Locked<(TrainingData, TrainingData)?>(nil)

    init(folder: URL?) { self.folder = folder }

    /// The training and test sets.
    func sets() throws -> (TrainingData, TrainingData) {
        try loaded.withLock { loaded in
            if let loaded { return loaded }
            guard let folder else { throw RecipeSampler.ParameterError(description: "no course folder, so no MNIST data") }
            let sets = (try TrainingData.load(images: folder.appendingPathComponent("train-images-idx3-ubyte.gz"), labels: folder.appendingPathComponent("train-labels-idx1-ubyte.gz")),
                        try TrainingData.load(images: folder.appendingPathComponent("t10k-images-idx3-ubyte.gz"), labels: folder.appendingPathComponent("t10k-labels-idx1-ubyte.gz")))
            // Held-out sets join test and training images, so both must have as many pixels (and the 784 of `train`'s hints).
            guard sets.0.inputs.columns == 784, sets.1.inputs.columns == 784 else {
                throw IDXFile.Problem(file: "t10k-images-idx3-ubyte.gz",
                                      reason: "images of \(sets.1.inputs.columns) pixels beside training images of \(sets.0.inputs.columns); MNIST's are 28 × 28 = 784")
            }
            loaded = sets
            return sets
        }
    }
}

/// The MNIST images of a training case: `samples` training images given to the submission, judged on
/// `tests` test images and `spare` training images it is not given, all chosen by the `subset` seed and
/// transformed (pixels and classes permuted) for the student. Practicals 2 and 3 read it alike.
struct MNISTTrainingSplit {
    var samples: Int, tests: Int, spare: Int, subsetSeed: Int

    /// The split a recipe asks for, checked against MNIST's 60,000 training and 10,000 test images.
    init(_ sampler: inout RecipeSampler, samples defaultSamples: Int, spare defaultSpare: Int?) throws {
        samples = try sampler.integer("samples", default: defaultSamples)
        tests = try sampler.integer("test", default: 10_000)
        spare = try sampler.integer("spare", default: defaultSpare ?? 60_000 - samples)
        subsetSeed = try sampler.integer("subset", default: 1)
        guard samples >= 1, samples <= 60_000, tests >= 0, tests <= 10_000, spare >= 0, spare <= 60_000 - samples, tests + spare >= 1 else {
            throw RecipeSampler.ParameterError(description: "samples must be within 1…60000, test within 0…10000 and spare within 0…(60000 − samples), with at least one held-out image")
        }
    }

    /// The case's inputs in words.
    func summary(seconds: Double) -> String {
        "\(samples) MNIST training images, \(Feedback.number(seconds)) s of CPU time, evaluated on \(tests + spare) held-out images "
            + "(\(tests) test images and \(spare) training images not given)"
    }

    /// Writes the transformed training images as IDX files in `folder` (names of their own, since each
    /// student's transform is theirs) and returns them with the transformed held-out images.
    func write(from mnist: MNISTCache, pixels: [Int], classes: [Int], into folder: URL, name: String) throws -> (images: URL, labels: URL, heldOut: TrainingData) {
        let (train, test) = try mnist.sets()
        var subsetRNG = SeededGenerator(seed: UInt64(subsetSeed))
        let order = Array(0..<train.inputs.rows).shuffled(using: &subsetRNG)
        let trainIndices = Array(order.prefix(samples)), spareIndices = Array(order.dropFirst(samples).prefix(spare))
        let testIndices = tests == test.inputs.rows ? Array(0..<tests) : Array(Array(0..<test.inputs.rows).shuffled(using: &subsetRNG).prefix(tests))
        let subset = train.subset(trainIndices).transformed(pixels: pixels, classes: classes)
        let heldOut = test.subset(testIndices).followed(by: train.subset(spareIndices)).transformed(pixels: pixels, classes: classes)
        let stem = folder.appendingPathComponent("\(name)-\(samples)-\(UUID().uuidString.prefix(12).lowercased())")
        let images = stem.appendingPathExtension("images.idx"), labels = stem.appendingPathExtension("labels.idx")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try IDXFile.write(subset, images: images, labels: labels)
        return (images, labels, heldOut)
    }
}
