import CourseDrivers
import Foundation
import Testing
@testable import Grader
import TestTiers

/// Compile-time bombs are stopped by the compilation limits and labelled, and bad source files are refused.
@Suite(.serialized, .sandboxTiming) struct CompileBombTests {
    static let bombs = TestSupport.repositoryRoot.appendingPathComponent("Tests/GraderTests/Fixtures/Hostile/CompileBombs")

    static func grader(compileSeconds: Double, compileMemoryMiB: Double) throws -> AssignmentGrader<Practical1Driver> {
        let loaded = try Practical1Driver.load("practical1", from: TestSupport.course, requireRubric: true)
        var settings = LimitSettings()
        settings.compileSeconds = compileSeconds
        settings.compileMemoryMiB = compileMemoryMiB
        return try AssignmentGrader(spec: loaded.spec, rubric: loaded.rubric, secret: nil, driver: Practical1Driver(),
                                    stateFolder: TestSupport.temporaryFolder("compile-bombs"), compileLimits: settings.appliedToCompilation(.compilation))
    }

    /// alice's files plus `extra` (name → contents).
    static func withAlice(_ extra: [String: String]) -> [String: String] {
        TestSupport.sampleFiles("alice").merging(extra) { _, new in new }
    }

    @Test func theTypeCheckerGivingUpIsACompileError() throws {
        let bomb = try String(contentsOf: Self.bombs.appendingPathComponent("type-checker.swift"), encoding: .utf8)
        let started = ContinuousClock.now
        let report = try Self.grader(compileSeconds: 60, compileMemoryMiB: 2048).grade(TestSupport.submission("type-checker", files: Self.withAlice(["Bomb.swift": bomb])))
        #expect(report.status == .compileError)
        #expect(report.buildMessage?.contains("unable to type-check this expression in reasonable time") == true)
        #expect(started.duration(to: .now) < .seconds(60))
    }

    @Test func aDeeplyNestedGenericHitsTheCompileTimeout() throws {
        let bomb = try String(contentsOf: Self.bombs.appendingPathComponent("nested-generic.swift"), encoding: .utf8)
        let started = ContinuousClock.now
        // Its memory grows by about 300 MiB a second: with room for 6 GiB, the 5 s limit stops it first.
        let report = try Self.grader(compileSeconds: 5, compileMemoryMiB: 6144).grade(TestSupport.submission("nested", files: Self.withAlice(["Bomb.swift": bomb])))
        #expect(report.status == .compileTimeout)
        #expect(report.buildMessage?.contains("compilation took longer than 5.0 s") == true)
        #expect(report.checks.allSatisfy { $0.cases.allSatisfy { $0.verdict == .compileTimeout } })
        #expect(started.duration(to: .now) < .seconds(9))
    }

    @Test func aHugeLiteralHitsTheCompileMemoryLimit() throws {
        // 20,000 nested pairs (400 KB): the type checker needs gigabytes for them, while alice's files alone
        // compile well within 1 GiB.
        let literal = "let table: [[Double]] = [" + (0..<20_000).map { "[\($0).5, \($0).25]" }.joined(separator: ", ") + "]\n"
        let grader = try Self.grader(compileSeconds: 60, compileMemoryMiB: 1024)
        #expect(grader.grade(TestSupport.submission("control", files: Self.withAlice([:]))).status == .graded)
        let started = ContinuousClock.now
        let report = grader.grade(TestSupport.submission("literal", files: Self.withAlice(["Table.swift": literal])))
        #expect(report.status == .compileMemoryLimit)
        #expect(report.buildMessage?.contains("compilation used more than 1024 MiB of memory") == true)
        #expect(started.duration(to: .now) < .seconds(60))
    }

    @Test func symbolicLinksAndOversizedSourcesAreRefused() throws {
        let grader = try Self.grader(compileSeconds: 60, compileMemoryMiB: 2048)
        let linked = TestSupport.submission("linked", files: Self.withAlice([:]))
        try FileManager.default.createSymbolicLink(atPath: linked.url.appendingPathComponent("Leak.swift").path,
                                                   withDestinationPath: TestSupport.repositoryRoot.appendingPathComponent("Rubrics/practical1.yaml").path)
        let report = grader.grade(linked)
        #expect(report.status == .noSources)
        #expect(report.buildMessage == "Leak.swift is a symbolic link; submit the file itself")

        let huge = TestSupport.submission("huge", files: Self.withAlice([:]))
        let big = huge.url.appendingPathComponent("Weights.swift")
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 50 << 20)
        try handle.close()
        let second = grader.grade(huge)
        #expect(second.status == .noSources)
        #expect(second.buildMessage == "Weights.swift is 52428800 bytes; at most 1048576 are accepted")
    }
}
