import CourseDrivers
import Foundation
import Testing
@testable import Grader

/// Limits: course policy defaults, the spec's time limits, and a check's own overrides, in that order.
@Suite struct LimitPolicyTests {
    @Test func theDemoPolicyAndSpecCombine() throws {
        let policy = try CoursePolicy.load(from: TestSupport.course)
        #expect(policy.caseLimits.memoryBytes == 1024 << 20)
        #expect(policy.caseLimits.processes == 64)
        #expect(policy.caseLimits.outputBytes == 1024 << 10)
        #expect(policy.compileLimits.wallSeconds == 120)
        #expect(policy.compileLimits.memoryBytes == 2048 << 20)
    }

    @Test func aCheckOverridesThePolicyAndTheSpecTimeout() throws {
        let yaml = """
            id: practical1
            title: Limits
            protocol: Practical1
            session: 2026-10-05
            due: 2026-10-19
            defaults: {timeout: 4}
            tasks:
              - id: t
                title: Task
                checks:
                  - id: plain
                    kind: compare
                    call: armijoStep
                    public: [{problem: quadratic, seed: 1}]
                  - id: tight
                    kind: compare
                    call: armijoStep
                    timeout: 2
                    limits: {cpu: 1.5, memory-mib: 128, processes: 8, output-kib: 16}
                    public: [{problem: quadratic, seed: 1}]
            """
        let spec = try SpecLoader.loadAssignment(yaml: yaml, file: "spec.yaml")
        var settings = LimitSettings()
        settings.memoryMiB = 512
        let policy = CoursePolicy(limits: settings)
        let grader = try AssignmentGrader(spec: spec, rubric: nil, secret: nil, driver: Practical1Driver(),
                                          stateFolder: TestSupport.sharedState, caseLimits: policy.caseLimits)
        let plain = grader.limits(for: try #require(spec.check(id: "plain")))
        #expect(plain.wallSeconds == 4 && plain.cpuSeconds == 4 && plain.memoryBytes == 512 << 20 && plain.processes == 64)
        let tight = grader.limits(for: try #require(spec.check(id: "tight")))
        #expect(tight.wallSeconds == 2 && tight.cpuSeconds == 1.5 && tight.memoryBytes == 128 << 20)
        #expect(tight.processes == 8 && tight.outputBytes == 16 << 10)
    }

    @Test func policyMistakesAreReportedWithTheirLine() {
        let result = SpecLoader.diagnoseCoursePolicy(yaml: "limits:\n  memory-mib: -5\n  timeout: 3\n  proceses: 4\n", file: "Rubrics/course.yaml")
        #expect(result.value == nil)
        let lines = result.diagnostics.map { $0.location?.line ?? 0 }
        #expect(lines == [2, 3, 4])
    }
}
