import CourseDrivers
import CourseKit
import Foundation
import ReferenceEngine
import SubmissionRuntime
import MachineSpeed
import Testing
@testable import Grader
import TestTiers

/// Training cases: data transformed by each student's secret, so that weights prepared in advance score at
/// chance while honest training is unaffected; credit that rises continuously; a budget in CPU time.
@Suite(.serialized, .integration) struct TrainingDataTests {
    /// The MNIST check of practical 2 with a small training set, and a driver that writes its data to a fresh folder.
    static func smallCheck() throws -> (Practical2Driver, CheckSpec) {
        let loaded = try Practical2Driver.load("practical2", from: TestSupport.course, requireRubric: true)
        var (_, check) = try #require(loaded.spec.allChecks.first { $0.check.call == "train" })
        check.settings["samples"] = .number(4000)
        check.settings["test"] = .number(2000)
        check.settings["hidden"] = .number(32)
        let driver = Practical2Driver(context: DriverContext(course: TestSupport.course, dataFolder: TestSupport.temporaryFolder("grade-training")))
        return (driver, check)
    }

    /// The training data the submission would read for `prepared`.
    static func trainingData(_ prepared: PreparedCase<Practical2Call>) throws -> (TrainingData, ArchitectureHints) {
        guard case let .train(images, labels, hints, _) = prepared.call else { throw RecipeSampler.ParameterError(description: "not a training case") }
        return (try NetworkParameters.readTrainingData(images: images, labels: labels), hints)
    }

    @Test func weightsPreparedInAdvanceScoreAtChanceWhileHonestTrainingIsUnaffected() throws {
        let (driver, check) = try Self.smallCheck()
        let recipe = check.publicCases[0]
        // Weights trained on the data as published (no secret), then handed in for two students' cases.
        let published = try driver.prepareCase(for: check, recipe: recipe, seed: recipe.seed ?? 0)
        let (plainData, hints) = try Self.trainingData(published)
        let offline = ReferencePractical2().train(plainData, hints: hints, seconds: 3)
        let plainHeldOut = try #require(published.evidence.first(TrainingCheck.Evidence.self)?.scorer as? HeldOutDigits).digits
        let offlineOnPlain = ReferencePractical2.accuracy(offline, inputs: plainHeldOut.inputs, labels: plainHeldOut.labels)
        #expect(offlineOnPlain > 0.8, "the offline network is a good one: \(offlineOnPlain)")

        for privateSeed: UInt64 in [0xA11CE, 0xB0B] {
            let prepared = try driver.prepareCase(for: check, recipe: recipe, seed: recipe.seed ?? 0, privateSeed: privateSeed)
            defer { driver.release(prepared) }
            let heldOut = try #require(prepared.evidence.first(TrainingCheck.Evidence.self)?.scorer as? HeldOutDigits).digits
            let cheating = ReferencePractical2.accuracy(offline, inputs: heldOut.inputs, labels: heldOut.labels)
            #expect(cheating < 0.2, "offline weights on student \(privateSeed)'s data: \(cheating)")
            let (data, studentHints) = try Self.trainingData(prepared)
            let honest = ReferencePractical2().train(data, hints: studentHints, seconds: 3)
            let accuracy = ReferencePractical2.accuracy(honest, inputs: heldOut.inputs, labels: heldOut.labels)
            #expect(abs(accuracy - offlineOnPlain) < 0.03, "honest training on the transformed data: \(accuracy) against \(offlineOnPlain)")
            print("student \(privateSeed): offline weights \(cheating), honest training \(accuracy) (untransformed \(offlineOnPlain))")
        }
    }

    @Test func everyStudentTrainsOnTheSameImagesAndItsFilesAreRemoved() throws {
        let (driver, check) = try Self.smallCheck()
        let recipe = check.publicCases[0]
        let first = try driver.prepareCase(for: check, recipe: recipe, seed: 11, privateSeed: 1)
        let second = try driver.prepareCase(for: check, recipe: recipe, seed: 12, privateSeed: 2)
        let (a, _) = try Self.trainingData(first), (b, _) = try Self.trainingData(second)
        // The same images under two permutations: the same multiset of pixel values per image, the same class sizes.
        #expect(a.inputs.storage.sorted() == b.inputs.storage.sorted())
        #expect(Dictionary(grouping: a.labels, by: { $0 }).values.map(\.count).sorted() == Dictionary(grouping: b.labels, by: { $0 }).values.map(\.count).sorted())
        #expect(a.inputs.storage != b.inputs.storage)
        for prepared in [first, second] {
            #expect(prepared.temporaryFiles.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
            driver.release(prepared)
            #expect(prepared.temporaryFiles.allSatisfy { !FileManager.default.fileExists(atPath: $0.path) })
        }
    }

    @Test func creditRisesContinuouslyBetweenThePartialAndFullAccuracies() {
        let expect = ["accuracy": 0.95, "partial-accuracy": 0.9]
        #expect(TrainingCheck.credit(score: 0.97, expect: expect) == 1)
        #expect(TrainingCheck.credit(score: 0.95, expect: expect) == 1)
        #expect(abs(TrainingCheck.credit(score: 0.94, expect: expect) - 0.8) < 1e-9)
        #expect(abs(TrainingCheck.credit(score: 0.925, expect: expect) - 0.5) < 1e-9)
        #expect(TrainingCheck.credit(score: 0.9, expect: expect) == 0)
        #expect(TrainingCheck.credit(score: 0.5, expect: expect) == 0)
        var previous = 0.0
        for step in 0...1000 {
            let credit = TrainingCheck.credit(score: 0.85 + Double(step) * 0.00015, expect: expect)
            #expect(credit >= previous && credit - previous < 0.01, "no jump at \(0.85 + Double(step) * 0.00015)")
            previous = credit
        }
    }

    @Test func aRunOverItsCPUBudgetEarnsNothingAndSaysByHowMuch() throws {
        var rng = SeededGenerator(seed: 5)
        let layers = [DenseLayer.random(inputs: 784, outputs: 10, activation: .softmax, using: &rng)]
        let heldOut = TrainingData(inputs: Matrix(rows: 10, columns: 784), labels: Array(0..<10))
        let evidence = TrainingCheck.Evidence(seconds: 10, scorer: HeldOutDigits(heldOut, evaluator: ReferenceModels()))
        let within = TrainingCheck.judge(.layers(layers), evidence: evidence, expect: ["accuracy": 0.05, "partial-accuracy": 0], cpuSeconds: 11.9)
        #expect(within.passed && within.message.contains("in 11.9 s of CPU time (budget 10 s)"), "\(within.message)")
        let over = TrainingCheck.judge(.layers(layers), evidence: evidence, expect: ["accuracy": 0.05, "partial-accuracy": 0], cpuSeconds: 14.2)
        #expect(!over.passed && over.credit == 0 && over.exceededBudget && !within.exceededBudget)
        #expect(over.message.hasPrefix("train() used 14.2 s of CPU time, 42% over its budget of 10 s (at most 12 s with the grace): no credit"), "\(over.message)")
    }

    /// On a machine twice as slow as the course's reference, the same work takes twice the CPU time: the call
    /// is given twice the seconds, and the judge allows and reports them, saying what they are at the reference speed.
    @Test func aSlowerMachineStretchesTheBudgetItGivesAndJudges() throws {
        var rng = SeededGenerator(seed: 5)
        let layers = [DenseLayer.random(inputs: 784, outputs: 10, activation: .softmax, using: &rng)]
        let heldOut = TrainingData(inputs: Matrix(rows: 10, columns: 784), labels: Array(0..<10))
        let evidence = TrainingCheck.Evidence(seconds: 10, scorer: HeldOutDigits(heldOut, evaluator: ReferenceModels()))
        let expect = ["accuracy": 0.05, "partial-accuracy": 0.0]
        let stretched = TrainingCheck.judge(.layers(layers), evidence: evidence, expect: expect, cpuSeconds: 19.5, slowdown: 2)
        #expect(stretched.passed, "\(stretched.message)")
        #expect(stretched.message.contains("in 19.5 s of CPU time (budget 20 s: 10 s at the course's reference speed, this machine taking 2× its CPU time)"),
                "\(stretched.message)")
        // 19.5 s is over the grace of a 10 s budget on the reference machine, and 23 s over a stretched one.
        #expect(TrainingCheck.judge(.layers(layers), evidence: evidence, expect: expect, cpuSeconds: 19.5).credit == 0)
        let over = TrainingCheck.judge(.layers(layers), evidence: evidence, expect: expect, cpuSeconds: 23.5, slowdown: 2)
        #expect(over.credit == 0 && over.message.hasPrefix("train() used 23.5 s of CPU time, 18% over its budget of 20 s: 10 s at the course's reference speed"),
                "\(over.message)")

        #expect(MachineBudget(referenceSeconds: 10, slowdown: 2.5).seconds == 25)
        #expect(MachineBudget(referenceSeconds: 10, slowdown: 1).description == "10 s")
        #expect(MachineBudget(referenceSeconds: 10, slowdown: 3).problem == nil && MachineBudget(referenceSeconds: 10, slowdown: 6).problem == nil)
        // Far outside what a machine plausibly measures: the grader's fault, said in words.
        for slowdown in [0.01, 15, .infinity, .nan] {
            let problem = try #require(MachineBudget(referenceSeconds: 10, slowdown: slowdown).problem)
            #expect(problem.contains("CPU time of the course's reference machine") && problem.contains("grade when it is less loaded"))
        }

        // Both practicals' training calls carry the stretched budget; their other calls are left alone.
        let p2 = Practical2Driver(context: DriverContext())
        let hints = ArchitectureHints(inputs: 784, classes: 10, hiddenSizes: [16], seed: 1)
        guard case let .train(_, _, _, seconds) = p2.withBudget(.train(images: "a", labels: "b", hints: hints, seconds: 10), seconds: 25) else {
            Issue.record("not a training call"); return
        }
        #expect(seconds == 25)
        let p3 = Practical3Driver(context: DriverContext())
        guard case let .trainGAN(_, _, ganSeconds) = p3.withBudget(.trainGAN(samples: Matrix(rows: 1, columns: 2), hints: GANHints(noiseSize: 2, sampleSize: 2, seed: 1), seconds: 10), seconds: 31) else {
            Issue.record("not a GAN training call"); return
        }
        #expect(ganSeconds == 31)
    }

    /// The speed probe measures something: a positive, finite slowdown, steady enough between two measurements
    /// taken one after the other that a budget does not swing with it.
    @Test func theSpeedProbeMeasuresAPlausibleSlowdown() {
        let first = SpeedProbe.slowdown(), second = SpeedProbe.slowdown()
        #expect(first.isFinite && first > 0 && second.isFinite && second > 0)
        #expect(max(first, second) / min(first, second) < 1.5, "\(first) then \(second)")
    }
}
