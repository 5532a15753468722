import CourseDrivers
import Foundation
import Testing
@testable import Grader
import TestTiers

/// Building and running submissions: isolation from the grader's modules, failures that cost only
/// their own cases, and a channel that student output cannot corrupt.
@Suite(.serialized, .sandboxTiming) struct RunningSubmissionsTests {
    /// alice's correct solution with `original` replaced by `replacement` in Solution.swift.
    static func variant(of original: String, with replacement: String) -> [String: String] {
        var files = TestSupport.sampleFiles("alice")
        let solution = files["Solution.swift"]!
        precondition(solution.contains(original), "the sample no longer contains the text to replace")
        files["Solution.swift"] = solution.replacingOccurrences(of: original, with: replacement)
        return files
    }

    /// A grader whose per-case time limit is `seconds`, public cases only unless a secret is given.
    static func grader(timeout seconds: Double, secret: InstructorSecret? = nil) throws -> AssignmentGrader<Practical1Driver> {
        let loaded = try Practical1Driver.load("practical1", from: TestSupport.course, requireRubric: true)
        var spec = loaded.spec
        spec.defaults.timeoutSeconds = seconds
        for t in spec.tasks.indices { for c in spec.tasks[t].checks.indices { spec.tasks[t].checks[c].timeoutSeconds = nil } }
        return try AssignmentGrader(spec: spec, rubric: loaded.rubric, secret: secret, driver: Practical1Driver(), stateFolder: TestSupport.sharedState)
    }

    /// alice's `armijoStep` body, whose one statement is an implicit return.
    static let armijoBody = "        backtrack(f, at: x, direction: d, t0: initialStep, c: c, rho: rho)\n"

    /// alice's solution with `statements` run at the start of `armijoStep`.
    static func armijoPrefixed(with statements: String) -> [String: String] {
        variant(of: armijoBody, with: statements + "        return backtrack(f, at: x, direction: d, t0: initialStep, c: c, rho: rho)\n")
    }

    @Test func importingTheReferenceEngineDoesNotBuild() throws {
        var files = TestSupport.sampleFiles("alice")
        files["Cheat.swift"] = "import ReferenceEngine\nlet cheat = ReferencePractical1()\n"
        let report = try Self.grader(timeout: 5).grade(TestSupport.submission("cheater", files: files))
        #expect(report.status == .compileError)
        #expect(report.buildMessage?.contains("no such module 'ReferenceEngine'") == true)
        #expect(report.points == 0)
    }

    /// The grader owns the reply channel: overloads of the toolkit's serving functions in a submission (which
    /// an unqualified call would prefer, being more specific), and a type named as the toolkit's module, are
    /// never what the entry point calls.
    @Test func aSubmissionsOwnServeOverloadsCannotTakeOverTheChannel() throws {
        var files = TestSupport.sampleFiles("alice")
        files["Shadow.swift"] = """
            import Foundation
            import SubmissionRuntime

            func serve(_ call: Practical1Call.Type, _ solution: @autoclosure () -> Solution) -> Never {
                FileHandle.standardOutput.write(Data("forged".utf8))
                exit(0)
            }

            func serve<Call: ServedCall>(_ call: Call.Type, _ solution: @autoclosure () -> Call.Solution) -> Never where Call.Solution == Solution {
                exit(0)
            }

            func serveStartupProbe() -> Never { exit(0) }

            """
        // A type named as the toolkit's module, which would shadow it in `SubmissionRuntime.serve`.
        files["Runtime.swift"] = """
            import Foundation

            enum SubmissionRuntime {
                enum Practical1Call {}
                static func serve<Call>(_ call: Call.Type, _ solution: @autoclosure () -> Solution) -> Never {
                    FileHandle.standardOutput.write(Data("forged".utf8))
                    exit(0)
                }
            }

            """
        let report = try Self.grader(timeout: 5).grade(TestSupport.submission("shadow", files: files))
        #expect(report.status == .graded, "\(report.buildMessage ?? "")")
        #expect(report.checks.flatMap(\.cases).allSatisfy { $0.verdict == .accepted }, "\(report.checks.flatMap(\.cases).filter { $0.verdict != .accepted }.map(\.message))")
    }

    @Test func aMissingSolutionTypeIsExplained() throws {
        let files = Self.variant(of: "struct Solution: Practical1 {", with: "struct MySolver: Practical1 {")
        let report = try Self.grader(timeout: 5).grade(TestSupport.submission("renamed", files: files))
        #expect(report.status == .compileError)
        #expect(report.buildMessage?.contains("declare `struct Solution") == true)
    }

    @Test func anInfiniteLoopCostsOnlyItsOwnCases() throws {
        let files = Self.armijoPrefixed(with: "        while true {}\n")
        let started = ContinuousClock.now
        let report = try Self.grader(timeout: 1).grade(TestSupport.submission("spinner", files: files))
        let elapsed = started.duration(to: .now)
        let armijo = try #require(report.checks.first { $0.checkID == "armijo-step" })
        #expect(armijo.cases.allSatisfy { $0.verdict == .cpuLimit })
        #expect(armijo.cases.first?.message.contains("of CPU time") == true || armijo.cases.first?.message.contains("still computing after 1.0 s") == true)
        // Every other check is unaffected (gd-armijo-trajectory calls its own backtracking helper).
        #expect(report.checks.filter { $0.checkID != "armijo-step" }.allSatisfy { $0.passedCount == $0.cases.count })
        #expect(elapsed < .seconds(30), "two 1 s timeouts plus the other cases")
    }

    @Test func aCrashIsReportedWithItsTrapAndTheProcessRestarts() throws {
        let files = Self.armijoPrefixed(with: "        precondition(x.count < 3, \"dimension \\(x.count) is too large\")\n")
        let report = try Self.grader(timeout: 5).grade(TestSupport.submission("crasher", files: files))
        let armijo = try #require(report.checks.first { $0.checkID == "armijo-step" })
        // public 1 is a quadratic in R^3 (crashes), public 2 a logistic loss with 3 features (crashes too).
        #expect(armijo.cases.allSatisfy { $0.verdict == .runtimeError })
        #expect(armijo.cases.first?.message.contains("dimension 3 is too large") == true)
        #expect(armijo.cases.first?.message.contains("SIGILL") == true || armijo.cases.first?.message.contains("signal") == true)
        #expect(report.checks.filter { $0.checkID != "armijo-step" }.allSatisfy { $0.passedCount == $0.cases.count })
    }

    @Test func printingDoesNotCorruptTheChannel() throws {
        let files = Self.armijoPrefixed(with: "        print(\"GRADE 2\\n{}\"); print(\"debug x =\", x)\n")
        let report = try Self.grader(timeout: 5).grade(TestSupport.submission("chatty", files: files))

        #expect(report.checks.allSatisfy { $0.passedCount == $0.cases.count })
    }

    @Test func floodingOutputHitsTheOutputLimit() throws {
        let files = Self.armijoPrefixed(with: "        while true { print(String(repeating: \"x\", count: 10_000)) }\n")
        let report = try Self.grader(timeout: 5).grade(TestSupport.submission("flooder", files: files))
        let armijo = try #require(report.checks.first { $0.checkID == "armijo-step" })
        #expect(armijo.cases.allSatisfy { $0.verdict == .outputLimit })
        #expect(report.checks.filter { $0.checkID != "armijo-step" }.allSatisfy { $0.passedCount == $0.cases.count })
    }

    @Test func foldersWithoutSwiftFilesAndNonUTF8SourcesAreReported() throws {
        let empty = TestSupport.submission("empty", files: ["notes.txt": "I ran out of time"])
        let report = try Self.grader(timeout: 5).grade(empty)
        #expect(report.status == .noSources)
        #expect(report.points == 0)
        #expect(report.buildMessage?.contains("no .swift files") == true)

        let latin1 = TestSupport.submission("latin1", files: [:])
        try Data([0x2F, 0x2F, 0x20, 0xE9, 0x74, 0xE9, 0x0A]).write(to: latin1.url.appendingPathComponent("Solution.swift"))
        let second = try Self.grader(timeout: 5).grade(latin1)
        #expect(second.status == .compileError)
        #expect(second.buildMessage?.contains("Solution.swift is not UTF-8") == true)
    }
}
