import CourseDrivers
import Foundation
import Gradebook
import GradeServices
import Grader
import StudentServices
import SubmissionRuntime
import Testing
import TestTiers

// A practical that exists only here: one call (`double`), judged by one check of a kind that exists only
// here (`exact`). Registering its driver is all it takes to grade it: no command, driver or check of the
// grader knows about it.

/// The toy's wire type, on the grader's side.
struct DoublingCall: Codable, Sendable {
    var x: Double
}

/// The `exact` kind: the answer must be the reference's to the last bit.
enum ExactCheck: CheckJudge {
    static let kind = CheckKind(rawValue: "exact")

    static func judge(_ answer: Answer, reference: Answer, context: JudgingContext) -> Judgement {
        guard case let .scalar(got) = answer, case let .scalar(expected) = reference else { return .fail("expected a number") }
        return got == expected ? .pass : .fail("expected exactly \(expected), got \(got)" + (context.disclosure == .full ? " for \(context.evidence.first(String.self) ?? "?")" : ""))
    }
}

/// The toy's rules: its protocol, its one call and the program that serves it.
enum DoublingRules: PracticalRules {
    typealias Call = DoublingCall

    static let protocolName = "Doubling"

    static let signatures = [CallSignature("double", judgedBy: [ExactCheck.self], problems: ["number"])]

    /// The toy's protocol and its side of the wire type are not in the toolkit: they are compiled with each submission.
    static let entryPoint = SubmissionEntryPoint(
        source: "import SubmissionRuntime\n@main enum GradeEntryPoint { static func main() { serve(DoublingCall.self, Solution()) } }\n",
        supportFiles: ["Doubling.swift": """
            import SubmissionRuntime
            protocol Doubling { func double(_ x: Double) -> Double }
            struct DoublingCall: ServedCall {
                var x: Double
                func answer(with solution: any Doubling) -> Answer { .scalar(solution.double(x)) }
            }
            """])

    static func replyBudget(for call: DoublingCall) -> ReplyBudget { ReplyBudget(numbers: 1, description: "one number") }
}

struct DoublingDriver: PracticalDriver {
    typealias Rules = DoublingRules

    static let callTable = DoublingRules.callTable(DoublingDriver.self, preparing: drawing)

    static let drawing: [String: CaseDrawing<DoublingDriver>] = [
        "double": { _, sampler, _ in
            let x = (try sampler.real("scale", default: 10) * sampler.rng.nextUniform()).rounded()
            return PreparedCase(call: DoublingCall(x: x), inputs: "x = \(x)", evidence: ["x = \(x)"])
        },
    ]

    init(context: DriverContext) {}

    func referenceAnswer(to call: DoublingCall) -> Answer { .scalar(2 * call.x) }
}

@Suite(.serialized, .integration) struct ToyPracticalTests {
    /// A course with the toy assignment, its rubric and two students: one right, one off by one.
    static func course() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grade-toy-\(UUID().uuidString)")
        let files = [
            "Assignments/toy.yaml": """
                id: toy
                title: Doubling
                protocol: Doubling
                session: 2026-10-05
                due: 2026-10-19
                defaults:
                  tolerance: {absolute: 0, relative: 1.0e-12}
                  timeout: 10
                tasks:
                  - id: doubling
                    title: Doubling a number
                    checks:
                      - id: doubles
                        title: Doubles exactly
                        kind: exact
                        call: double
                        public:
                          - {problem: number, seed: 1}
                          - {problem: number, scale: 1000, seed: 2}
                        hidden:
                          count: 2
                          problems:
                            - {problem: number, scale: [10, 100]}
                """,
            "Rubrics/toy.yaml": """
                assignment: toy
                total: 4
                checks:
                  - {check: doubles, points: 4, credit: proportional}
                """,
            "Submissions/toy/right/Solution.swift": "struct Solution: Doubling { func double(_ x: Double) -> Double { x + x } }\n",
            "Submissions/toy/wrong/Solution.swift": "struct Solution: Doubling { func double(_ x: Double) -> Double { 2 * x + 1 } }\n",
        ]
        try write(files, under: root)
        return root
    }

    /// Writes each text at its path under `root`, creating folders as needed.
    static func write(_ files: [String: String], under root: URL) throws {
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    @Test func aRegisteredPracticalIsGradedAndRecordedEndToEnd() throws {
        let root = try Self.course()
        let layout = CourseLayout(root: root)
        var grading = AssignmentGrading(layout: layout, gradebookPath: layout.gradebookURL.path, registry: PracticalRegistry.course.adding(DoublingDriver.self))
        let activities = Locked<[GradingActivity]>([])
        grading.activity = { activity in activities.withLock { $0.append(activity) } }
        let outcome = try grading.run(AssignmentGrading.Request(assignment: "toy", jobs: 1))
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        // What each submission's grading is doing, as it goes: building, then each case with its place among the submission's cases.
        let seen = activities.withLock { $0 }.filter { $0.studentID == "right" }
        #expect(seen.map(\.step) == [.building] + (1...4).map { number in
            .running(check: "doubles", label: number <= 2 ? "public \(number)" : "hidden \(number - 2)", number: number, total: 4)
        }, "\(seen)")
        #expect(seen.last?.description == "right: doubles, hidden 2 (case 4 of 4)")
        #expect(GradingActivity(studentID: "ana", step: .training(check: "mnist-training", label: "hidden 1", cpuSeconds: 12.34, budgetSeconds: 26.1)).description
                == "ana: mnist-training, hidden 1: training, 12.3 s of its 26.1 s CPU budget")
        let byStudent = Dictionary(uniqueKeysWithValues: outcome.reports.map { ($0.folder.studentID, $0) })
        let right = try #require(byStudent["right"]), wrong = try #require(byStudent["wrong"])
        #expect(right.points == 4 && right.maxPoints == 4)
        #expect(right.checks.first?.cases.map(\.verdict) == [.accepted, .accepted, .accepted, .accepted])
        #expect(wrong.points == 0)
        let publicFailure = try #require(wrong.checks.first?.cases.first)
        #expect(publicFailure.message.hasPrefix("expected exactly") && publicFailure.message.hasSuffix("for \(publicFailure.inputs ?? "")"),
                "\(publicFailure.message)")
        let hiddenFailure = try #require(wrong.checks.first?.cases.last)
        #expect(hiddenFailure.isHidden && !hiddenFailure.message.contains(" for "), "hidden cases disclose no inputs: \(hiddenFailure.message)")

        let gradebook = try Gradebook(path: layout.gradebookURL.path)
        #expect(try gradebook.currentGrades(assignmentID: "toy").map { [$0.studentID: $0.points] } == [["right": 4], ["wrong": 0]])
        #expect(FileManager.default.fileExists(atPath: outcome.feedbackFolder.appendingPathComponent("wrong.txt").path))
    }

    @Test func withoutItsRegistryLineThePracticalIsUnknownAndNothingIsGraded() throws {
        let root = try Self.course()
        let layout = CourseLayout(root: root)
        let grading = AssignmentGrading(layout: layout, gradebookPath: layout.gradebookURL.path, registry: .course)
        #expect {
            _ = try grading.run(AssignmentGrading.Request(assignment: "toy"))
        } throws: { error in
            "\(error)".contains("unknown check kind 'exact'")
        }
        #expect(!FileManager.default.fileExists(atPath: layout.gradebookURL.path))
    }

    @Test func theRegistryDerivesCallsKindsAndProblemsFromTheCallTable() {
        let registry = PracticalRegistry.course.adding(DoublingDriver.self)
        #expect(registry.protocolNames == ["Practical1", "Practical2", "Practical3", "Doubling"])
        #expect(registry.driver(for: "Doubling").map(ObjectIdentifier.init) == ObjectIdentifier(DoublingDriver.self))
        #expect(registry.checkKinds.contains(CheckKind(rawValue: "exact")) && !PracticalRegistry.course.checkKinds.contains(CheckKind(rawValue: "exact")))
        #expect(PracticalRegistry.course.checkKinds.map(\.rawValue).sorted() == ["attack", "compare", "convergence", "gradient", "training", "trajectory"])
        #expect(DoublingDriver.calls == ["double": [ExactCheck.kind]])
        #expect(DoublingDriver.problems == ["double": ["number"]])
    }
}

@Suite(.serialized, .integration) struct SelfCheckTests {
    @Test func aStudentChecksTheirFolderOnThePublicCasesOnly() throws {
        let root = try ToyPracticalTests.course()
        let check = SelfCheck(layout: CourseLayout(root: root), registry: PracticalRegistry.course.adding(DoublingDriver.self))
        let folder = root.appendingPathComponent("Submissions/toy/wrong")
        #expect(try check.assignment(named: nil, for: folder) == "toy")
        let (report, feedback) = try check.check(folder, assignment: "toy")
        #expect(!report.includesHidden && report.checks.map(\.cases.count) == [2] && report.points == 0)
        #expect(feedback.contains("expected exactly"), "\(feedback)")
        #expect(!FileManager.default.fileExists(atPath: CourseLayout(root: root).gradebookURL.path), "a self-check records nothing")
    }
}
