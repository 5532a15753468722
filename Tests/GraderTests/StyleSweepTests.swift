import CourseDrivers
import Foundation
import Testing
@testable import Grader
import TestTiers

/// Correct solutions written in other styles than the samples (an explicit inverse, the Armijo test
/// rearranged, plain arrays, a functional style, hand-written loops, vectorised matrices, a step size
/// decaying with the training budget) get full marks
/// under four student ids, whose hidden cases all differ (`grade-bench styles --ids 20` sweeps twenty);
/// one-bug mutants of them lose points, each pinned. The fixtures are in Tests/GraderTests/Fixtures/Styles. Practical 2's training check is left
/// out here (its fairness is measured by `TrainingUnderLoadTests` and `grade-bench training`).
@Suite(.serialized, .integration) struct StyleSweepTests {
    static let fixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/GraderTests/Fixtures/Styles")
    /// Four of the twenty ids `grade-bench styles` sweeps, spread over them.
    static let ids = [1, 7, 13, 20].map { "student-\($0)" }

    static func folder(_ practical: String, _ name: String, as student: String) throws -> SubmissionFolder {
        try copy(fixtures.appendingPathComponent("\(practical)/\(name)"), as: student)
    }

    static func names(_ practical: String, prefix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent(practical).path).filter { $0.hasPrefix(prefix) }.sorted()
    }

    static func practical1() throws -> AssignmentGrader<Practical1Driver> { try TestSupport.practical1Grader() }

    static func practical2() throws -> AssignmentGrader<Practical2Driver> {
        let loaded = try Practical2Driver.load("practical2", from: TestSupport.course, requireRubric: true)
        return try AssignmentGrader(spec: loaded.spec.keepingChecks { $0.kind != .training }, rubric: loaded.rubric, secret: TestSupport.secret, driver: Practical2Driver(), stateFolder: TestSupport.sharedState)
    }

    /// Practical 3 without its training checks (their fairness is `grade-bench training --practical practical3`'s).
    static func practical3() throws -> AssignmentGrader<Practical3Driver> {
        let loaded = try Practical3Driver.load("practical3", from: TestSupport.course, requireRubric: true)
        return try AssignmentGrader(spec: loaded.spec.keepingChecks { $0.kind != .training }, rubric: loaded.rubric, secret: TestSupport.secret,
                                    driver: Practical3Driver(context: DriverContext(course: TestSupport.course)), stateFolder: TestSupport.sharedState)
    }

    /// Every lost case of `report`, for the message of a failed expectation.
    static func losses(_ report: SubmissionReport) -> [String] {
        report.checks.flatMap { check in check.cases.filter { !$0.verdict.isAccepted }.map { "\(check.checkID) \($0.label): \($0.message)" } }
    }

    @Test func correctPractical1StylesGetFullMarksUnderSeveralIds() throws {
        let grader = try Self.practical1()
        let styles = try Self.names("practical1", prefix: "correct-")
        #expect(styles.count >= 3)
        for style in styles {
            for id in Self.ids {
                let report = grader.grade(try Self.folder("practical1", style, as: id))
                #expect(report.points == report.maxPoints && report.status == .graded, "\(style) as \(id): \(Self.losses(report))")
            }
        }
    }

    @Test func correctPractical2StylesGetFullMarksUnderSeveralIds() throws {
        let grader = try Self.practical2()
        let styles = try Self.names("practical2", prefix: "correct-")
        #expect(styles.count >= 3)
        for style in styles {
            for id in Self.ids {
                let report = grader.grade(try Self.folder("practical2", style, as: id))
                #expect(report.points == report.maxPoints && report.status == .graded, "\(style) as \(id): \(Self.losses(report))")
            }
        }
    }

    /// The demo's correct sample (im2col products) and the fixtures' direct loops, under the same ids.
    @Test func correctPractical3StylesGetFullMarksUnderSeveralIds() throws {
        let grader = try Self.practical3()
        let styles = try Self.names("practical3", prefix: "correct-").map { Self.fixtures.appendingPathComponent("practical3/\($0)") }
            + [TestSupport.repositoryRoot.appendingPathComponent("Submissions/practical3/alice")]
        #expect(styles.count >= 2)
        for style in styles {
            for id in Self.ids {
                let report = grader.grade(try Self.copy(style, as: id))
                #expect(report.points == report.maxPoints && report.status == .graded, "\(style.lastPathComponent) as \(id): \(Self.losses(report))")
            }
        }
    }

    /// The `.swift` files of `source` in a new folder named `student`.
    static func copy(_ source: URL, as student: String) throws -> SubmissionFolder {
        let target = TestSupport.temporaryFolder("style").appendingPathComponent(student)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path) where file.hasSuffix(".swift") {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target.appendingPathComponent(file))
        }
        return SubmissionFolder(url: target)
    }

    /// Practical 3's mutants' automatic points without the training checks (out of 13).
    static let practical3MutantPoints: [String: Double] = [
        "bug-average-pool-not-divided": 12.401785714285715,     // pooling-backward: the average cases; a CNN of average pooling
        "bug-discriminator-labels-swapped": 10.75,              // L_D, its gradients and the alternating steps
        "bug-fgsm-no-clip": 11,                                 // every attack case (PGD shares the step)
        "bug-padding-off-by-one": 6,                            // convolution, CNN and attacks, wherever the padding is not 0
    ]

    @Test func everyPractical3MutantLosesItsPinnedPoints() throws {
        let grader = try Self.practical3()
        var table: [String] = []
        for name in try Self.names("practical3", prefix: "bug-") {
            let report = grader.grade(try Self.folder("practical3", name, as: "mutant"))
            table.append("\"\(name)\": \(report.points),")
            #expect(report.points < report.maxPoints, "\(name) survives")
            if let pinned = Self.practical3MutantPoints[name] {
                #expect(abs(report.points - pinned) < 1e-9, "\(name): \(report.points), pinned \(pinned)")
            } else {
                Issue.record("\(name) has no pinned score: \(report.points)")
            }
        }
        print("practical 3 mutant points:\n" + table.joined(separator: "\n"))
    }

    /// Each mutant's automatic points (practical 2 without its training check, out of 12.5).
    static let mutantPoints: [String: Double] = [
        "practical1/bug-armijo-never-t0": 15.5,
        "practical1/bug-budget-one-short": 12.58611111111111,
        "practical1/bug-empty-when-converged": 14.419444444444444,
        "practical1/bug-extra-iterate": 12.804166666666667,
        "practical1/bug-infinity-norm": 13.930555555555555,
        "practical1/bug-numgrad-divide-by-h": 14.0,
        "practical1/bug-numgrad-probe-not-restored": 14.0,
        "practical1/bug-perceptron-eta-bias-only": 15.25,
        "practical1/bug-perceptron-no-eta": 15.25,
        "practical1/bug-sigmoid-not-averaged": 15.2,
        "practical1/bug-squared-norm": 11.606944444444444,
        "practical1/bug-stops-one-early": 14.5625,
        "practical2/bug-adagrad-accumulates-gradient": 12.0,
        "practical2/bug-deltaL-always-residual": 11.642857142857142,
        "practical2/bug-leaky-relu-derivative": 11.392857142857142,
        "practical2/bug-minibatches-sequential": 12.0,
        "practical2/bug-minibatches-empty-tail": 12.375,
        "practical2/bug-sigmoid-overflows": 12.333333333333332,
        "practical2/bug-mse-without-half": 10.480952380952381,
        "practical2/bug-nesterov-lookahead": 12.0,
        "practical2/bug-rmsprop-eps-in-sqrt": 12.25,
        "practical2/bug-softmax-row-mean": 12.333333333333332,
    ]

    @Test func everyMutantLosesItsPinnedPoints() throws {
        let first = try Self.practical1(), second = try Self.practical2()
        var table: [String] = []
        for (practical, name) in try Self.names("practical1", prefix: "bug-").map({ ("practical1", $0) }) + Self.names("practical2", prefix: "bug-").map({ ("practical2", $0) }) {
            let folder = try Self.folder(practical, name, as: "mutant")
            let report = practical == "practical1" ? first.grade(folder) : second.grade(folder)
            table.append("\"\(practical)/\(name)\": \(report.points),")
            #expect(report.points < report.maxPoints, "\(practical)/\(name) survives")
            if let pinned = Self.mutantPoints["\(practical)/\(name)"] {
                #expect(abs(report.points - pinned) < 1e-9, "\(practical)/\(name): \(report.points), pinned \(pinned)")
            } else {
                Issue.record("\(practical)/\(name) has no pinned score: \(report.points)")
            }
        }
        print("mutant points:\n" + table.joined(separator: "\n"))
    }
}
