@testable import CourseDrivers
import CourseKit
import Foundation
import SubmissionRuntime
import Testing
@testable import Grader
import TestTiers

/// Practical 3's training checks pay only for learning within the budget: work prepared before grading,
/// fitted to the case by the means that need no training, earns nothing on the hidden tasks, whatever the
/// student's secret. (`grade-bench reference-training` measures the same against the reference's honest
/// training under 20 ids.)
@Suite(.serialized, .integration) struct PreparedInAdvanceTests {
    static let loaded = try! Practical3Driver.load("practical3", from: TestSupport.course, requireRubric: true)

    static func check(_ id: String) throws -> CheckSpec {
        try #require(loaded.spec.allChecks.map(\.1).first { $0.id == id })
    }

    /// A graded case of `check` for a student whose private seed is `secret`, drawn into a folder of its own.
    static func hiddenCase(_ check: CheckSpec, secret: UInt64, driver: Practical3Driver) throws -> PreparedCase<Practical3Call> {
        let recipe = try #require(check.hidden?.recipes.first)
        return try driver.prepareCase(for: check, recipe: recipe, seed: 7, privateSeed: secret)
    }

    /// The bar below which a check gives nothing.
    static func floor(_ check: CheckSpec, key: String) -> Double {
        TrainingCheck.targets(TrainingMetric(key: key, name: key), expect: check.expect).none
    }

    /// The approach of a submission that trained a network on MNIST offline, tried the square's 8 symmetries
    /// on the training images, kept the best, read a relabelling off the confusion counts and returned the
    /// network with its output layer permuted: on MNIST turned and relabelled it scored 98.4%; on the glyph
    /// task it is far below the bar for any credit, under every secret tried.
    @Test func aNetworkTrainedOnMNISTInAdvanceEarnsNothingOnTheGlyphTask() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prepared-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let driver = Practical3Driver(context: DriverContext(course: TestSupport.course, dataFolder: folder))
        let check = try Self.check("cnn-training"), floor = Self.floor(check, key: "accuracy")
        var scores: [Double] = []
        for secret: UInt64 in [11, 12, 13] {
            let prepared = try Self.hiddenCase(check, secret: secret, driver: driver)
            defer { driver.release(prepared) }
            scores.append(try #require(try driver.preparedNetworkScore(prepared)))
        }
        #expect(scores.allSatisfy { $0 < floor - 0.3 }, "held-out accuracies \(scores), no credit below \(floor)")
    }

    /// The approach of a submission that trained no GAN: it fitted a ring of 8 modes to the samples (radius
    /// and turn) and mapped each eighth of the noise plane onto one mode, 98% on the ring; on the hidden
    /// layouts it is below the bar for any credit under 20 secrets.
    @Test func aRingFittedInClosedFormEarnsNothingOnAHiddenLayout() throws {
        let driver = Practical3Driver(context: DriverContext(course: TestSupport.course))
        let check = try Self.check("gan-training"), floor = Self.floor(check, key: "quality")
        var scores: [Double] = []
        for secret in 1...20 {
            let prepared = try Self.hiddenCase(check, secret: UInt64(secret), driver: driver)
            scores.append(try #require(driver.ringFitScore(prepared)))
        }
        #expect(scores.allSatisfy { $0 < floor }, "sample qualities \(scores.map { ($0 * 1000).rounded() / 1000 }), no credit below \(floor)")
        // The same fit on the ring it was made for scores nearly everything: the layout, not the fit, defeats it.
        var rng = SeededGenerator(seed: 3)
        let ring = MixtureOfGaussians(modes: 8, radius: 2, sigma: 0.1, angle: 0.7)
        let onRing = PreparedCase<Practical3Call>(
            call: .trainGAN(samples: ring.sample(4096, using: &rng), hints: GANHints(noiseSize: 2, sampleSize: 2, seed: 1), seconds: 10), inputs: "",
            evidence: [TrainingCheck.Evidence(seconds: 10, scorer: GeneratorOnMixture(mixture: ring, noise: rng.gaussianMatrix(rows: 2500, columns: 2), evaluator: ReferenceModels()))])
        #expect(try #require(driver.ringFitScore(onRing)) > 0.95)
    }

    /// Every secret draws its own alphabet, the same one every time, with its ten glyphs kept apart: the
    /// similarity sought (0.45) is not always reached within 200 draws, but no two glyphs come close to
    /// alike (1 for the same drawing; the least alike of 200 draws stays under 0.5 in these alphabets).
    @Test func glyphAlphabetsAreTheSecretsOwnAndKeptApart() {
        let first = GlyphAlphabet(secret: 21), again = GlyphAlphabet(secret: 21), other = GlyphAlphabet(secret: 22)
        let drawings = { (alphabet: GlyphAlphabet) in alphabet.glyphs.map { GlyphAlphabet.blurred(GlyphAlphabet.render($0, width: 1.2)) } }
        #expect(drawings(first) == drawings(again))
        #expect(drawings(first) != drawings(other))
        for alphabet in [first, other] {
            let drawn = drawings(alphabet)
            #expect(drawn.count == 10)
            for i in drawn.indices { for j in drawn.indices where j > i { #expect(GlyphAlphabet.similarity(drawn[i], drawn[j]) < 0.5) } }
        }
        // Images are in [0, 1] in steps of 1/255, as IDX files hold them, with every class present.
        var rng = SeededGenerator(seed: 1)
        let images = first.images(500, using: &rng)
        #expect(images.inputs.storage.allSatisfy { $0 >= 0 && $0 <= 1 && ($0 * 255).rounded() == $0 * 255 })
        #expect(Set(images.labels) == Set(0..<10))
        #expect(images.inputs.storage.reduce(0, +) / 500 > 20, "each image has strokes")
    }

    /// A scattered layout keeps its modes apart and inside the disc; one too crowded for the rule still ends.
    @Test func scatteredModesKeepTheirDistance() {
        var rng = SeededGenerator(seed: 5)
        let mixture = MixtureOfGaussians.scattered(modes: 8, radius: 2, sigma: 0.1, separation: 1, using: &rng)
        #expect(mixture.centres.count == 8)
        for (i, a) in mixture.centres.enumerated() {
            #expect((a.x * a.x + a.y * a.y).squareRoot() <= 2)
            for b in mixture.centres.dropFirst(i + 1) { #expect(((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() >= 1) }
        }
        let crowded = MixtureOfGaussians.scattered(modes: 30, radius: 1, sigma: 0.01, separation: 0.9, using: &rng)
        #expect(crowded.centres.count == 30)
    }
}
