import CourseDrivers
import Foundation
import Grader
import Testing
@testable import Mutation
import TestTiers

/// The mutation benchmark on practical 1's sample, and the list of equivalent mutants kept honest.
@Suite(.serialized, .integration) struct MutationBenchmarkTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let listed = try! EquivalentMutant.load(repository.appendingPathComponent("bench/equivalent-mutants.yaml"))

    /// Every listed mutant is still made from its sample and says why it is equivalent: a list that
    /// drifted from the samples would excuse survivors it no longer names.
    @Test func everyListedEquivalentIsALiveMutantWithAReason() throws {
        #expect(!Self.listed.isEmpty)
        for (sample, entries) in Dictionary(grouping: Self.listed, by: \.sample) {
            let folder = Self.repository.appendingPathComponent(sample)
            var ids: Set<String> = []
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
                ids.formUnion(MutantGenerator.mutants(of: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), file: file).map(\.id))
            }
            for entry in entries {
                #expect(ids.contains(entry.mutant), "\(sample): '\(entry.mutant)' is not one of its mutants")
                #expect(entry.reason.count >= 20, "\(sample): '\(entry.mutant)' needs a reason")
            }
            #expect(Set(entries.map(\.mutant)).count == entries.count, "\(sample) lists a mutant twice")
        }
    }

    /// Every mutant of practical 1's alice that compiles loses points, unless it is listed as equivalent;
    /// no listed one loses points (it would not be equivalent). Practical 2's run, with training, is the
    /// benchmark's (`grade-bench mutants`).
    @Test func everyMutantOfPractical1sSampleIsKilledOrEquivalent() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mutation-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let sampleName = "Submissions/practical1/alice"
        let bench = try MutationBenchmark(assignment: "practical1", sample: Self.repository.appendingPathComponent(sampleName), sampleName: sampleName,
                                          layout: CourseLayout(root: Self.repository), driver: Practical1Driver(), scratch: scratch, skipTraining: true)
        let equivalents = Dictionary(uniqueKeysWithValues: Self.listed.filter { $0.sample == sampleName }.map { ($0.mutant, $0.reason) })
        #expect(try bench.fate(of: nil, index: -1, equivalents: [:]) == .survived, "the sample itself must get every point")
        let mutants = try bench.mutants()
        #expect(mutants.count >= 80)
        var killed = 0
        for (index, mutant) in mutants.enumerated() {
            let fate = try bench.fate(of: mutant, index: index, equivalents: equivalents)
            switch fate {
            case .killed: killed += 1
            case .stillborn, .equivalent: break
            case .survived: Issue.record("\(mutant.id) survives every check")
            case let .graderError(message): Issue.record("\(mutant.id): grader error \(message)")
            }
            if case .killed = fate, equivalents[mutant.id] != nil { Issue.record("\(mutant.id) is listed as equivalent but loses points") }
        }
        #expect(killed >= 70)
    }
}
