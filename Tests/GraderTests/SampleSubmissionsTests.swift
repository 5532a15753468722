import CourseDrivers
import Foundation
import Outcomes
import Testing
@testable import Grader
import TestTiers

/// The bundled sample submissions get exactly the scores their bugs deserve.
@Suite(.serialized, .integration) struct SampleSubmissionsTests {
    /// Expected automatic points (out of 16) and status of every sample.
    static let expected: [(student: String, points: Double, status: SubmissionStatus)] = [
        ("alice", 16, .graded),      // correct, written in a different style from the reference
        ("bastien", 13.333333333333332, .graded),  // Armijo condition with the wrong sign: 4 of 6 armijo-step cases (its small initial steps pass) and 6 of 9 gd-armijo-trajectory cases (x_0 alone and x_0, x_1 pass)
        ("chloe", 12.6, .graded),    // Newton steps along the gradient: 7 of 10 newton-trajectory cases (x_0 alone passes) and newton-convergence 2
        ("dmitri", 12, .graded),     // gradient descent omits x0: loses gd-trajectory 2.5 and gd-contraction 1.5
        ("emma", 0, .compileError),  // does not compile
        ("farid", 15.5, .graded),    // traps (division by zero) on the perceptron cases with 1 to 9 epochs: 4 of 8 cases
        ("gabriel", 14, .graded),    // forward differences: loses central-differences 2
    ]

    @Test func everySampleGetsItsExpectedScore() throws {
        let grader = try TestSupport.practical1Grader()
        let folders = Self.expected.map { TestSupport.course.submissionsURL("practical1").appendingPathComponent($0.student) }
        let reports = grader.gradeAll(folders, jobs: 2) { _ in }
        #expect(reports.count == Self.expected.count)
        for (student, points, status) in Self.expected {
            let report = try #require(reports.first { $0.folder.studentID == student })
            #expect(report.status == status, "\(student)")
            #expect(abs(report.points - points) < 1e-9, "\(student): \(report.points) points\n\(FeedbackRenderer.render(report, spec: grader.spec, rubric: grader.rubric))")
            #expect(report.maxPoints == 16)
            #expect(report.includesHidden)
        }
    }

    @Test func lostPointsAreOnTheRightChecks() throws {
        let grader = try TestSupport.practical1Grader()
        let lost: [String: Set<String>] = [
            "bastien": ["armijo-step", "gd-armijo-trajectory"],
            "chloe": ["newton-trajectory", "newton-convergence"],
            "dmitri": ["gd-trajectory", "gd-contraction"],
            "farid": ["step-perceptron"],
            "gabriel": ["central-differences"],
        ]
        for (student, checks) in lost {
            let report = grader.grade(SubmissionFolder(url: TestSupport.course.submissionsURL("practical1").appendingPathComponent(student)))
            let failing = Set(report.checks.filter { $0.points < $0.maxPoints }.map(\.checkID))
            #expect(failing == checks, "\(student)")
        }
    }

    @Test func feedbackExplainsEachBug() throws {
        let grader = try TestSupport.practical1Grader()
        func messages(_ student: String, _ check: String) -> [CaseReport] {
            let report = grader.grade(SubmissionFolder(url: TestSupport.course.submissionsURL("practical1").appendingPathComponent(student)))
            return report.checks.first { $0.checkID == check }!.cases.filter { !$0.verdict.isAccepted }
        }
        let dmitri = messages("dmitri", "gd-trajectory")
        // Started at the minimiser, dmitri's loop returns nothing at all: the message says x_0 is still due.
        #expect(dmitri.allSatisfy {
            $0.message.contains("your first iterate is x_1, not x_0")
                || $0.message == "you returned no iterates; the list must start with x_0 (even when x_0 already meets the stopping rule or maxIterations is 0)"
        })
        #expect(dmitri.contains { $0.message.hasPrefix("you returned no iterates") } && dmitri.contains { $0.message.contains("x_1, not x_0") })
        // `epoch % (epochs / 10)` divides by zero for 1 to 9 epochs: three public cases and the hidden overlapping one.
        let farid = messages("farid", "step-perceptron")
        #expect(farid.map(\.label) == ["public 2", "public 3", "public 4", "hidden 2"])
        #expect(farid.allSatisfy { $0.verdict == .runtimeError && $0.message.contains("Division by zero") })
        #expect(farid.first?.inputs?.contains("epochs 3") == true)
        let gabriel = messages("gabriel", "central-differences")
        #expect(gabriel.allSatisfy { $0.message.contains("Your values match the one-sided difference") })
        let hidden = try #require(gabriel.first { $0.isHidden })
        #expect(hidden.inputs == nil)
        #expect(!hidden.message.contains("analytic ["), "hidden cases must not show expected values")
    }

    @Test func compileErrorsAreTrimmedToTheStudentsFiles() throws {
        let grader = try TestSupport.practical1Grader()
        let report = grader.grade(SubmissionFolder(url: TestSupport.course.submissionsURL("practical1").appendingPathComponent("emma")))
        let message = try #require(report.buildMessage)
        #expect(message.contains("Solution.swift:"))
        #expect(message.contains("error:"))
        #expect(!message.contains(TestSupport.sharedState.path), "grader paths must not leak into feedback")
        #expect(report.checks.allSatisfy { $0.cases.allSatisfy { $0.verdict == .compileError } })
    }

    /// The correct solution passes every hidden case whoever submits it, so no hidden case is unfair.
    @Test func theCorrectSolutionPassesEveryStudentsHiddenCases() throws {
        let grader = try TestSupport.practical1Grader()
        let files = TestSupport.sampleFiles("alice")
        for index in 0..<6 {
            let report = grader.grade(TestSupport.submission("student-\(index)", files: files))
            let failures = report.checks.flatMap { check in check.cases.filter { !$0.verdict.isAccepted }.map { "\(check.checkID) \($0.label): \($0.message)" } }
            #expect(failures.isEmpty, "student-\(index): \(failures)")
            #expect(report.points == 16)
        }
    }
}
