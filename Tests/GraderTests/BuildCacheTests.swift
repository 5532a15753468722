import CourseDrivers
import Foundation
import Testing
@testable import Grader
import TestTiers

/// The build cache under concurrency: identical submissions graded at the same moment compile once and both run.
@Suite(.serialized, .integration) struct BuildCacheTests {
    /// A grader of practical 1's first task only, with a state folder of its own (so every round starts with no build).
    static func freshGrader() throws -> AssignmentGrader<Practical1Driver> {
        let loaded = try Practical1Driver.load("practical1", from: TestSupport.course, requireRubric: true)
        var spec = loaded.spec
        spec.tasks = Array(spec.tasks.prefix(1))
        return try AssignmentGrader(spec: spec, rubric: loaded.rubric, secret: TestSupport.secret, driver: Practical1Driver(),
                                    stateFolder: TestSupport.temporaryFolder("grade-cache-race"))
    }

    @Test func identicalSubmissionsBuiltAtOnceBothRun() throws {
        let files = TestSupport.sampleFiles("alice")
        for round in 1...20 {
            let grader = try Self.freshGrader()
            let twins = ["twin-a", "twin-b"].map { TestSupport.submission($0, files: files).url }
            let reports = grader.gradeAll(twins, jobs: 2) { _ in }
            #expect(reports.count == 2)
            for report in reports {
                #expect(report.status == .graded, "round \(round), \(report.folder.studentID): \(report.checks.flatMap(\.cases).map(\.message))")
                #expect(report.points == report.maxPoints && report.maxPoints > 0, "round \(round), \(report.folder.studentID)")
            }
        }
    }
}
