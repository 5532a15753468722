@testable import CourseDrivers
import CourseKit
import Foundation
import ReferenceEngine
import SubmissionRuntime
import Testing
@testable import Grader

/// Practical 3's judges on answers built by hand from the reference's: what passes, what fails, and
/// what each failure says.
@Suite struct Practical3ChecksTests {
    static let loaded = try! Practical3Driver.load("practical3", from: TestSupport.course, requireRubric: true)
    static let driver = Practical3Driver(context: DriverContext(course: TestSupport.course))

    /// The public case `index` of `checkID`, and the reference's answers to it (as judged, and as a submission gives it).
    static func publicCase(_ checkID: String, _ index: Int = 0) throws -> (CheckSpec, PreparedCase<Practical3Call>, reference: Answer, submitted: Answer) {
        let check = try #require(loaded.spec.allChecks.map(\.1).first { $0.id == checkID })
        let recipe = check.publicCases[index]
        let prepared = try driver.prepareCase(for: check, recipe: recipe, seed: recipe.seed ?? 0)
        return (check, prepared, driver.referenceAnswer(for: prepared), driver.referenceAnswerAsSubmission(to: prepared.call))
    }

    static func judge(_ answer: Answer, _ check: CheckSpec, _ prepared: PreparedCase<Practical3Call>, _ reference: Answer,
                      disclosure: Disclosure = .full) -> Judgement {
        if let problem = driver.shapeProblem(answer, for: prepared, reference: reference) { return .fail(problem) }
        return driver.judge(answer, reference: reference, for: prepared, check: check,
                            tolerance: check.effectiveTolerance(loaded.spec.defaults), disclosure: disclosure)
    }

    /// `answer` with the part `name` changed by `change`.
    static func changing(_ answer: Answer, part name: String, _ change: (inout [Double]) -> Void) -> Answer {
        guard case var .fields(fields) = answer, let k = fields.firstIndex(where: { $0.name == name }) else { return answer }
        switch fields[k].value {
        case var .tensor(tensor): change(&tensor.storage); fields[k].value = .tensor(tensor)
        case var .vector(vector): change(&vector.storage); fields[k].value = .vector(vector)
        case var .matrix(matrix): change(&matrix.storage); fields[k].value = .matrix(matrix)
        default: break
        }
        return .fields(fields)
    }

    // MARK: Gradients

    @Test func theReferenceBackwardPassesAndOneWrongEntryIsLocated() throws {
        let (check, prepared, reference, submitted) = try Self.publicCase("convolution-backward", 1)
        #expect(Self.judge(submitted, check, prepared, reference).passed)
        let wrong = Self.changing(submitted, part: "∂L/∂W") { $0[5] += 0.5 }
        let judgement = Self.judge(wrong, check, prepared, reference)
        #expect(!judgement.passed)
        // Entry 5 of a 3 × 2 × 3 × 3 tensor is [0, 0, 1, 2].
        #expect(judgement.message.contains("worst at ∂L/∂W[0, 0, 1, 2]"), "\(judgement.message)")
    }

    @Test func aBackwardPassThatDisagreesWithItsOwnForwardPassFails() throws {
        let (check, prepared, reference, submitted) = try Self.publicCase("cnn-gradient", 1)
        #expect(Self.judge(submitted, check, prepared, reference).passed)
        let inconsistent = Self.changing(submitted, part: directionalDerivativesField) { $0[0] *= 1.01 }
        let judgement = Self.judge(inconsistent, check, prepared, reference)
        #expect(!judgement.passed && judgement.message.contains("does not match your forward pass"), "\(judgement.message)")
        let missing = Self.changing(submitted, part: directionalDerivativesField) { $0.removeLast() }
        #expect(Self.judge(missing, check, prepared, reference).message.contains("directional derivatives came back"))
    }

    @Test func gradientsScaledByTheBatchSizeAreNamedAsSuch() throws {
        let (check, prepared, reference, submitted) = try Self.publicCase("cnn-gradient", 1)
        guard case let .gradient(_, input, _, _) = prepared.call, case let .fields(fields) = submitted else { Issue.record("not a gradient case"); return }
        let scaled = Answer.fields(fields.map { field in
            field.name == directionalDerivativesField ? field : AnswerField(field.name, Self.scaled(field.value, by: Double(input.count)))
        })
        let judgement = Self.judge(scaled, check, prepared, reference)
        #expect(judgement.message.contains("\(input.count) is the batch size"), "\(judgement.message)")
        // The names of a CNN's parts say which layer is wrong.
        #expect(fields.map(\.name).contains("block 1 ∂L/∂W") && fields.map(\.name).contains("dense ∂L/∂b_2"))
    }

    static func scaled(_ answer: Answer, by factor: Double) -> Answer {
        switch answer {
        case var .tensor(tensor): tensor.storage = tensor.storage.map { $0 * factor }; return .tensor(tensor)
        case let .vector(vector): return .vector(vector * factor)
        case let .matrix(matrix): return .matrix(factor * matrix)
        default: return answer
        }
    }

    // MARK: Attacks

    @Test func anAttackOutsideItsBudgetFailsWhereItLeavesIt() throws {
        let (check, prepared, reference, submitted) = try Self.publicCase("fgsm")
        #expect(Self.judge(submitted, check, prepared, reference).passed)
        guard case let .tensor(images) = submitted, case let .attack(_, _, x, _, attack) = prepared.call else { Issue.record("not an attack"); return }
        var beyond = images
        beyond.storage[7] = min(1, x.storage[7] + 2 * attack.epsilon)
        beyond.storage[7] = x.storage[7] + 2 * attack.epsilon <= 1 ? beyond.storage[7] : max(0, x.storage[7] - 2 * attack.epsilon)
        let judgement = Self.judge(.tensor(beyond), check, prepared, reference)
        #expect(judgement.message.contains("more than ε") && judgement.message.contains("image 1"), "\(judgement.message)")
        var unclipped = images
        unclipped.storage[3] = 1 + attack.epsilon / 2
        let outside = Self.judge(.tensor(unclipped), check, prepared, reference)
        #expect(outside.message.contains("outside [0, 1]") || outside.message.contains("more than ε"), "\(outside.message)")
    }

    @Test func aDescentStepInsteadOfAnAscentIsRecognised() throws {
        let (check, prepared, reference, _) = try Self.publicCase("fgsm")
        guard case let .attack(_, network, x, targets, attack) = prepared.call else { Issue.record("not an attack"); return }
        let gradient = ReferencePractical3().inputGradient(network, input: x, targets: targets)
        let descent = zip(x.storage, gradient.storage).map { pixel, g in min(1, max(0, pixel - attack.epsilon * (g > 0 ? 1 : g < 0 ? -1 : 0))) }
        let judgement = Self.judge(.tensor(Tensor(shape: x.shape, storage: descent)), check, prepared, reference)
        #expect(!judgement.passed && judgement.message.contains("opposite"), "\(judgement.message)")
    }

    @Test func theGraderNetworkMeasuresTheHarmOnDigits() throws {
        let (check, prepared, reference, submitted) = try Self.publicCase("fgsm", 1)
        let judgement = Self.judge(submitted, check, prepared, reference)
        #expect(judgement.passed && judgement.message.contains("under your attack"), "\(judgement.message)")
        // The unattacked images are within any budget but do no harm: they differ from the reference's.
        guard case let .attack(_, _, x, _, _) = prepared.call else { return }
        #expect(!Self.judge(.tensor(x.tensor), check, prepared, reference).passed)
    }

    // MARK: Trained models

    @Test func theEightSymmetriesOfTheSquareAreDistinctPermutations() {
        let symmetries = (0..<8).map { Practical3Driver.symmetry($0, side: 5) }
        #expect(Set(symmetries).count == 8)
        #expect(symmetries[0] == Array(0..<25))
        for permutation in symmetries { #expect(Set(permutation) == Set(0..<25)) }
        // Four quarter turns make the identity.
        let turn = symmetries[1]
        var composed = Array(0..<25)
        for _ in 0..<4 { composed = composed.map { turn[$0] } }
        #expect(composed == Array(0..<25))
    }

    @Test func networksTheGraderCannotAffordOrUseAreRefused() {
        let hints = ImageHints(channels: 1, height: 28, width: 28, classes: 10, seed: 1)
        var rng = SeededGenerator(seed: 3)
        func network(filters: Int, kernel: Int, padding: Int, channels: Int = 1, dense inputs: Int? = nil) -> ConvolutionalNetwork {
            let convolution = ConvolutionLayer.random(filters: filters, channels: channels, kernelSize: kernel, padding: padding, using: &rng)
            let size = convolution.outputSize(height: 28, width: 28).map { $0.height * $0.width } ?? 1
            return ConvolutionalNetwork(channels: 1, height: 28, width: 28, blocks: [ConvolutionalBlock(convolution: convolution)],
                                        dense: [DenseLayer.random(inputs: inputs ?? filters * size, outputs: 10, activation: .softmax, using: &rng)])
        }
        #expect(HeldOutImages.problem(network(filters: 4, kernel: 3, padding: 1), hints: hints) == nil)
        #expect(HeldOutImages.problem(network(filters: 4, kernel: 3, padding: 1, channels: 3), hints: hints)?.contains("take 3 channels") == true)
        #expect(HeldOutImages.problem(network(filters: 4, kernel: 3, padding: 1, dense: 17), hints: hints)?.contains("the last block gives") == true)
        // Padding of 200 on a 28 × 28 image: hundreds of millions of multiply-adds per image.
        let padded = network(filters: 8, kernel: 5, padding: 200, dense: 1)
        #expect(HeldOutImages.problem(padded, hints: hints)?.contains("multiply-adds") == true)
    }

    /// Returned networks built to make scoring trap or run away: each is refused, with what is wrong, before any of it is evaluated.
    @Test func hostileNetworksAreRefusedBeforeScoring() throws {
        let hints = ImageHints(channels: 1, height: 28, width: 28, classes: 10, seed: 1)
        var rng = SeededGenerator(seed: 4)
        func network(_ blocks: [ConvolutionalBlock], inputs: Int) -> ConvolutionalNetwork {
            ConvolutionalNetwork(channels: 1, height: 28, width: 28, blocks: blocks,
                                 dense: [DenseLayer.random(inputs: inputs, outputs: 10, activation: .softmax, using: &rng)])
        }
        // No filters, a 65,550 × 65,550 kernel and padding 65,536: no weights to count, but the im2col columns
        // of one image would overflow Int (the grader used to trap on that product).
        let empty = ConvolutionLayer(weights: Tensor(shape: [0, 1, 65_550, 65_550], storage: []), bias: Vector([]), padding: 65_536)
        #expect(HeldOutImages.problem(network([ConvolutionalBlock(convolution: empty)], inputs: 1), hints: hints) == "block 1 has no filters")
        // One filter, a 1 × 1 kernel and padding 65,536: 1.7 × 10¹⁰ entries for one image.
        let padded = ConvolutionLayer(weights: Tensor(shape: [1, 1, 1, 1], storage: [1]), bias: Vector([0]), padding: 65_536)
        let huge = try #require(HeldOutImages.problem(network([ConvolutionalBlock(convolution: padded)], inputs: 1), hints: hints))
        #expect(huge == "the network takes \(2 * 131_100 * 131_100 + 10) operations per image (multiply-adds and pooling, every layer counted); at most 5000000 are accepted", "\(huge)")
        // 4.89 M multiply-adds of convolution (under the cap) and a 1,106 × 1,106 max pooling at stride 1 on its
        // 2,212 × 2,212 map, which the cap used to leave out: 1.5 × 10¹² comparisons per image.
        let wide = ConvolutionLayer(weights: Tensor(shape: [1, 1, 1, 1], storage: [1]), bias: Vector([0]), padding: 1092)
        let pooled = network([ConvolutionalBlock(convolution: wide, pooling: Pooling(.max, window: 1106, stride: 1))], inputs: 1)
        let pooling = try #require(HeldOutImages.problem(pooled, hints: hints))
        #expect(pooling.contains("operations per image (multiply-adds and pooling, every layer counted)"), "\(pooling)")
        // Scoring never evaluates what it cannot count: every image is unclassified, nothing traps.
        let batch = ImageBatch(count: 2, channels: 1, height: 28, width: 28, storage: Array(repeating: 0.5, count: 2 * 784))
        #expect(HeldOutImages.predictions(network([ConvolutionalBlock(convolution: empty)], inputs: 1), images: batch, evaluator: ReferenceModels()) == [-1, -1])
        // The reference's own kind of network is well within every bound.
        let small = network([ConvolutionalBlock(convolution: .random(filters: 8, channels: 1, kernelSize: 3, padding: 1, using: &rng),
                                                pooling: Pooling(.max, window: 2, stride: 2))], inputs: 8 * 14 * 14)
        let cost = try NetworkCost.of(small).get()
        #expect(HeldOutImages.problem(small, hints: hints) == nil && cost.operations == 8 * 9 * 784 + 8 * 784 + 8 * 4 * 196 + 10 * 8 * 196 && cost.flattened == 8 * 196)
    }

    @Test func aMixtureIsCoveredByItsOwnSamplesAndNotByOneMode() {
        let mixture = MixtureOfGaussians(modes: 8, radius: 2, sigma: 0.05, angle: 0.3)
        var rng = SeededGenerator(seed: 11)
        let own = mixture.coverage(of: mixture.sample(2500, using: &rng), perMode: 20)
        #expect(own.modesCovered == 8 && own.highQuality > 0.98 && own.balancedQuality > 0.9)
        let collapsed = Matrix(rows: 2500, columns: 2, storage: (0..<2500).flatMap { _ in [mixture.centres[2].x, mixture.centres[2].y] })
        let one = mixture.coverage(of: collapsed, perMode: 20)
        #expect(one.modesCovered == 1 && one.highQuality == 1 && one.balancedQuality == 0.125)
        let scorer = GeneratorOnMixture(mixture: mixture, noise: Matrix(rows: 10, columns: 2), evaluator: ReferenceModels())
        #expect(scorer.metric.key == "quality")
        if case let .unusable(problem) = scorer.score(.layers([DenseLayer.random(inputs: 3, outputs: 2, activation: .identity, using: &rng)])) {
            #expect(problem.contains("the noise has 2 entries"), "\(problem)")
        } else {
            Issue.record("a generator taking 3 noise entries was scored")
        }
    }
}
