import CourseKit
import Figures
import SubmissionRuntime

/// Practical 3's rules: convolutional layers, a CNN on MNIST, adversarial examples and a GAN.
public enum Practical3Rules: PracticalRules {
    public typealias Call = Practical3Call

    public static let protocolName = "Practical3"

    public static let signatures = [
        CallSignature("convolutionForward", judgedBy: [CompareCheck.self], problems: ["images"]),
        CallSignature("convolutionBackward", judgedBy: [GradientCheck.self], problems: ["images"]),
        CallSignature("pool", judgedBy: [CompareCheck.self], problems: ["images"]),
        CallSignature("poolBackward", judgedBy: [GradientCheck.self], problems: ["images"]),
        CallSignature("dropout", judgedBy: [CompareCheck.self], problems: ["images"]),
        CallSignature("dropoutBackward", judgedBy: [GradientCheck.self], problems: ["images"]),
        CallSignature("batchNormalization", judgedBy: [CompareCheck.self], problems: ["images"]),
        CallSignature("batchNormalizationBackward", judgedBy: [GradientCheck.self], problems: ["images"]),
        CallSignature("loss", judgedBy: [CompareCheck.self], problems: ["cnn"]),
        CallSignature("gradient", judgedBy: [GradientCheck.self], problems: ["cnn"]),
        CallSignature("inputGradient", judgedBy: [GradientCheck.self], problems: ["cnn"]),
        CallSignature("fgsm", judgedBy: [AttackCheck.self], problems: ["cnn", "digits"]),
        CallSignature("pgd", judgedBy: [AttackCheck.self], problems: ["cnn", "digits"]),
        CallSignature("train", judgedBy: [TrainingCheck.self], problems: ["glyphs"]),
        CallSignature("discriminatorLoss", judgedBy: [CompareCheck.self], problems: ["gan"]),
        CallSignature("generatorLoss", judgedBy: [CompareCheck.self], problems: ["gan"]),
        CallSignature("ganGradients", judgedBy: [GradientCheck.self], problems: ["gan"]),
        CallSignature("ganStep", judgedBy: [CompareCheck.self], problems: ["gan"]),
        CallSignature("trainGAN", judgedBy: [TrainingCheck.self], problems: ["mixture"]),
    ]

    /// A CNN or GAN training call's budget set to `seconds`.
    public static func withBudget(_ call: Practical3Call, seconds: Double) -> Practical3Call {
        switch call {
        case let .train(images, labels, hints, _): .train(images: images, labels: labels, hints: hints, seconds: seconds)
        case let .trainGAN(samples, hints, _): .trainGAN(samples: samples, hints: hints, seconds: seconds)
        default: call
        }
    }

    /// A training call's image and label files named by `relocate`.
    public static func relocatingData(_ call: Practical3Call, _ relocate: (String) -> String) -> Practical3Call {
        guard case let .train(images, labels, hints, seconds) = call else { return call }
        return .train(images: relocate(images), labels: relocate(labels), hints: hints, seconds: seconds)
    }

    public static func replyBudget(for call: Practical3Call) -> ReplyBudget {
        func layers(_ layers: [DenseLayer]) -> Int { layers.reduce(0) { $0 + $1.weights.storage.count + $1.bias.count } }
        func network(_ network: ConvolutionalNetwork) -> Int { network.parameterCount }
        let numbers: Int, containers: Int
        switch call {
        case let .convolutionForward(x, layer):
            let size = layer.outputSize(height: x.height, width: x.width) ?? (0, 0)
            (numbers, containers) = (x.count * layer.filters * size.height * size.width + 4, 2)
        case let .convolutionBackward(x, layer, _, probes):
            (numbers, containers) = (x.storage.count + layer.weights.count + layer.bias.count + probes.count + 12, 16)
        case let .pool(x, _), let .dropout(x, _, _), let .batchNormalization(x, _):
            (numbers, containers) = (x.storage.count + 4, 2)
        case let .poolBackward(x, _, _, probes), let .dropoutBackward(x, _, _, _, probes), let .inputGradient(_, x, _, probes):
            (numbers, containers) = (x.storage.count + probes.count + 4, 8)
        case let .batchNormalizationBackward(x, layer, _, probes):
            (numbers, containers) = (x.storage.count + 2 * layer.gamma.count + probes.count + 4, 16)
        case .loss, .discriminatorLoss, .generatorLoss:
            (numbers, containers) = (1, 1)
        case let .gradient(n, _, _, probes):
            (numbers, containers) = (network(n) + 8 * (n.blocks.count + n.dense.count) + probes.count, 8 * (n.blocks.count + n.dense.count) + 8)
        case let .attack(_, _, x, _, _):
            (numbers, containers) = (x.storage.count + 4, 2)
        case let .ganGradients(gan, _, _, probes):
            let count = gan.generator.count + gan.discriminator.count
            (numbers, containers) = (layers(gan.generator) + layers(gan.discriminator) + 4 * count + 2 * probes.count, 8 * count + 8)
        case let .ganSteps(gan, _, _, _, _):
            let count = gan.generator.count + gan.discriminator.count
            (numbers, containers) = (layers(gan.generator) + layers(gan.discriminator) + 4 * count, 8 * count + 4)
        case .train:
            (numbers, containers) = (HeldOutImages.maximumParameters + 16 * (HeldOutImages.maximumBlocks + HeldOutImages.maximumDense),
                                     8 * (HeldOutImages.maximumBlocks + HeldOutImages.maximumDense) + 8)
            return ReplyBudget(numbers: numbers, containers: containers, description: "a network of at most \(HeldOutImages.maximumParameters) parameters")
        case .trainGAN:
            return ReplyBudget(numbers: GeneratorOnMixture.maximumParameters, containers: 3 * GeneratorOnMixture.maximumLayers,
                               description: "a generator of at most \(GeneratorOnMixture.maximumParameters) parameters")
        }
        return ReplyBudget(numbers: numbers, containers: containers, description: "\(numbers) numbers")
    }

    /// A returned CNN or generator beyond the contract's bounds (`HeldOutImages.problem`, `GeneratorOnMixture.problem`).
    public static func boundsProblem(_ answer: Answer, for prepared: PreparedCase<Practical3Call>) -> String? {
        switch (prepared.call, answer) {
        case let (.train(_, _, hints, _), .convolutionalNetwork(network)):
            return HeldOutImages.problem(network, hints: hints)
        case let (.trainGAN(_, hints, _), .layers(layers)):
            return GeneratorOnMixture.problem(layers, noiseSize: hints.noiseSize, samples: hints.sampleSize)
        default:
            return nil
        }
    }

    public static func shapeProblem(_ answer: Answer, for prepared: PreparedCase<Practical3Call>, reference: Answer) -> String? {
        switch (prepared.call, answer) {
        case (.train, .convolutionalNetwork), (.trainGAN, .layers):
            return nil
        default:
            guard let subject = prepared.evidence.first(PartGradients.self) else { return ReplyShape.problem(answer, against: reference) }
            if let problem = subject.derivativeProblem(answer) { return problem }
            guard let (parts, _) = PartGradients.split(answer) else { return nil }
            return ReplyShape.problem(.fields(parts), against: reference)
        }
    }
}

extension Practical3Rules {
    /// An attack's images: each original beside the student's perturbation, the student's adversarial
    /// image and the reference's.
    public static func figures(for call: Practical3Call, answer: Answer, reference: Answer) -> [Figure] {
        guard case let .attack(name, _, input, _, attack) = call, case let .tensor(mine) = answer, case let .tensor(theirs) = reference else { return [] }
        return AttackFigure.figure(name: name, epsilon: attack.epsilon, input: input, student: mine.storage, reference: theirs.storage).map { [$0] } ?? []
    }
}

/// The images of an attack, first channel of the first few images: original, perturbation (the student's
/// adversarial image minus the original, blue to red), the student's adversarial image and the reference's.
public enum AttackFigure {
    /// At most this many images are shown.
    public static let imageLimit = 4

    /// The figure, or nil when the arrays do not hold the input's images (the shape check has said why).
    public static func figure(name: String, epsilon: Double, input: ImageBatch, student: [Double], reference: [Double]) -> Figure? {
        let size = input.channels * input.height * input.width
        guard input.count > 0, size > 0, student.count == input.storage.count, reference.count == input.storage.count else { return nil }
        let plane = input.height * input.width
        var images: [ImageGrid.Image] = []
        for n in 0..<min(input.count, imageLimit) {
            let range = (n * size)..<(n * size + plane)
            let original = Array(input.storage[range]), yours = Array(student[range]), theirs = Array(reference[range])
            images += [
                ImageGrid.Image(caption: "image \(n + 1)", pixels: original),
                ImageGrid.Image(caption: "your perturbation", pixels: zip(yours, original).map { $0 - $1 }, isSigned: true),
                ImageGrid.Image(caption: "your \(name)", pixels: yours),
                ImageGrid.Image(caption: "reference \(name)", pixels: theirs),
            ]
        }
        return .images(ImageGrid(title: "\(name) with ε = \(Feedback.number(epsilon))",
                                 caption: "Each row: an image, your perturbation (red brightens, blue darkens, each within ±ε), your adversarial image and the reference's. FGSM moves every pixel by exactly ε (before clipping); PGD stays inside the ε-box around the original.",
                                 width: input.width, height: input.height, perRow: 4, images: images))
    }
}
