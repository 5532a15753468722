import CourseDrivers
import CourseKit
import Foundation
import SubmissionRuntime
import Testing
@testable import Grader
import TestTiers

/// Public cases stored whole (`PublicCaseBundle`) are judged exactly as the cases the grader generates:
/// every public case of every practical, written to JSON and read back, gives the same verdict, message
/// and credit as the live case on the reference's reply and on mutated replies (values changed, shapes
/// broken, bytes garbled), so a student's kit that judges stored cases reports what the course would.
@Suite(.integration) struct StoredCaseTests {
    /// Mutated replies per case (fewer for training, whose scorer runs a forward pass over held-out data).
    static let mutationsPerCase = 24

    @Test func practical1CasesJudgeTheSameStored() throws {
        let compared = try Self.compare(Practical1Driver.self, "practical1", seed: 0x5701)
        #expect(compared.cases == 30)
    }

    @Test func practical2CasesJudgeTheSameStored() throws {
        let compared = try Self.compare(Practical2Driver.self, "practical2", seed: 0x5702)
        #expect(compared.cases == 26)
        #expect(compared.dataFiles == 2, "the training case's images and labels are stored with it")
    }

    @Test func practical3CasesJudgeTheSameStored() throws {
        let compared = try Self.compare(Practical3Driver.self, "practical3", seed: 0x5703)
        #expect(compared.cases == 35)
        #expect(compared.dataFiles == 2)
    }

    @Test func aBundleInAnotherFormatOrNoneIsRefused() throws {
        let bundle = try PublicCaseBundle<Practical1Call>(assignment: "practical1", specDigest: "00", cases: [])
        var object = try #require(try JSONSerialization.jsonObject(with: bundle.encoded()) as? [String: Any])
        object["format"] = 3
        let later = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: PublicCaseBundle<Practical1Call>.BundleError.self) { try PublicCaseBundle<Practical1Call>.decode(later) }
        do { _ = try PublicCaseBundle<Practical1Call>.decode(later) } catch { #expect("\(error)".contains("format 3")) }
        #expect(throws: PublicCaseBundle<Practical1Call>.BundleError.self) { try PublicCaseBundle<Practical1Call>.decode(Data("[1, 2]".utf8)) }
        #expect(try PublicCaseBundle<Practical1Call>.decode(bundle.encoded()).assignment == "practical1")
    }

    /// A kit whose stored cases were edited (a reference answer changed to match a wrong solution, say) refuses
    /// them, as README says, instead of judging against them.
    @Test func editedStoredCasesAreRefused() throws {
        let loaded = try Practical1Driver.load("practical1", from: TestSupport.course, requireRubric: true)
        let folder = TestSupport.temporaryFolder("edited-cases")
        defer { try? FileManager.default.removeItem(at: folder) }
        let driver = Practical1Driver(context: DriverContext(course: TestSupport.course, dataFolder: folder.appendingPathComponent("live")))
        let grader = try AssignmentGrader(spec: loaded.spec, rubric: loaded.rubric, secret: TestSupport.secret, driver: driver, stateFolder: TestSupport.sharedState)
        let data = try grader.publicCaseBundle(specDigest: "digest", dataFolder: folder.appendingPathComponent("kit")).encoded()
        #expect(try PublicCaseBundle<Practical1Call>.decode(data).cases.count > 10)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var cases = try #require(object["cases"] as? [[String: Any]])
        cases[0]["inputs"] = "edited"
        object["cases"] = cases
        let edited = try JSONSerialization.data(withJSONObject: object)
        do {
            _ = try PublicCaseBundle<Practical1Call>.decode(edited)
            Issue.record("an edited bundle was read")
        } catch {
            #expect("\(error)" == "its cases were edited after the kit was written (they no longer match their digest): unpack the kit again")
        }
    }

    @Test func evidenceWithoutAStoredFormIsRefused() {
        struct Unknown: Sendable {}
        #expect(throws: StoredEvidence.Unstorable.self) { try StoredEvidence(Unknown()) }
    }

    /// Stores every public case of `assignment`, reads the bundle back from JSON, and compares each stored
    /// case with the live one: the call, the reference's answer, the data files, and the verdict of the
    /// reference's reply and of mutated ones.
    static func compare<Driver: PracticalDriver>(_ type: Driver.Type, _ assignment: String, seed: UInt64) throws -> (cases: Int, dataFiles: Int) {
        let loaded = try Driver.load(assignment, from: TestSupport.course, requireRubric: true)
        let folder = TestSupport.temporaryFolder("stored-cases")
        defer { try? FileManager.default.removeItem(at: folder) }
        let driver = Driver(context: DriverContext(course: TestSupport.course, dataFolder: folder.appendingPathComponent("live")))
        let grader = try AssignmentGrader(spec: loaded.spec, rubric: loaded.rubric, secret: TestSupport.secret, driver: driver,
                                          stateFolder: TestSupport.sharedState)
        let kitData = folder.appendingPathComponent("kit")
        let bundle = try PublicCaseBundle<Driver.Call>.decode(try grader.publicCaseBundle(specDigest: "digest", dataFolder: kitData).encoded())
        #expect(bundle.assignment == assignment && bundle.specDigest == "digest")
        var rng = SeededGenerator(seed: seed)
        var compared = 0, dataFiles = 0
        for (_, check) in loaded.spec.allChecks {
            for (index, recipe) in check.publicCases.enumerated() {
                let live = try driver.prepareCase(for: check, recipe: recipe, seed: recipe.seed ?? 0)
                defer { driver.release(live) }
                let stored = try #require(bundle.storedCase(check: check.id, number: index + 1), "\(check.id) public \(index + 1) is stored")
                let name = "\(check.id) \(stored.label)"
                #expect(stored.inputs == live.inputs, "\(name)")
                #expect(stored.reference == driver.referenceAnswer(for: live), "\(name)")
                // The same call, but for the data files it reads, which hold the same bytes.
                #expect(equal(driver.relocatingData(stored.call) { _ in "" }, driver.relocatingData(live.call) { _ in "" }), "\(name)")
                #expect(stored.dataFiles.count == live.temporaryFiles.count, "\(name)")
                for (file, storedName) in zip(live.temporaryFiles, stored.dataFiles) {
                    #expect(try Data(contentsOf: file) == Data(contentsOf: kitData.appendingPathComponent(storedName)), "\(name): \(storedName)")
                    dataFiles += 1
                }

                // What the bundle leaves out comes back from the live case, as a kit supplies its own.
                let scorer = live.evidence.first(TrainingCheck.Evidence.self)?.scorer
                let substitutes = EvidenceSubstitutes(scorer: { _ in scorer! }, attackTarget: live.evidence.first(AttackCheck.Evidence.self)?.target)
                var restored = live
                restored.evidence = stored.restoredEvidence(with: substitutes)
                #expect(restored.evidence.all.count == live.evidence.all.count, "\(name)")

                let base = ReplyFuzzTests.wellFormedReply(driver, live)
                let answer = try WireFormat.decoder().decode(Reply.self, from: base).answer
                let rounds = scorer == nil ? mutationsPerCase : 4
                var payloads = [base]
                for round in 0..<rounds {
                    payloads.append(round % 2 == 0 ? try WireFormat.encoder().encode(Reply(id: 1, answer: ReplyFuzzTests.reshape(answer, rng: &rng)))
                                                   : ReplyFuzzTests.mutate(base, rng: &rng))
                }
                for payload in payloads {
                    let evaluator = ReplyEvaluator(driver: driver)
                    let tolerance = check.effectiveTolerance(loaded.spec.defaults)
                    let expected = evaluator.evaluate(payload, requestID: 1, prepared: live, reference: driver.referenceAnswer(for: live), check: check,
                                                      tolerance: tolerance, disclosure: .full, cpuSeconds: 1)
                    let got = evaluator.evaluate(payload, requestID: 1, prepared: restored, reference: stored.reference, check: check,
                                                 tolerance: tolerance, disclosure: .full, cpuSeconds: 1)
                    #expect(got == expected, "\(name)")
                }
                compared += 1
            }
        }
        #expect(bundle.cases.count == compared, "only public cases are stored")
        return (compared, dataFiles)
    }

    /// Whether two calls are the same, compared by their wire JSON.
    static func equal<Call: Codable>(_ a: Call, _ b: Call) -> Bool {
        let encoder = WireFormat.encoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(a)) == (try? encoder.encode(b))
    }
}
