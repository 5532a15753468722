import Foundation
import Testing
@testable import Grader

/// Spec problems only the practical's driver can see are reported with their file:line too.
@Suite struct DriverValidationTests {
    static let yaml = """
        id: practical1
        title: Driver checks
        protocol: Practical1
        session: 2026-10-05
        due: 2026-10-19
        tasks:
          - id: t
            title: Task
            checks:
              - id: unknown-call
                kind: trajectory
                call: newtonn
                public:
                  - {problem: quadratic, seed: 1}
              - id: wrong-kind
                kind: compare
                call: gradientDescent
                public:
                  - {problem: quadratic, seed: 2}
              - id: wrong-problem
                kind: trajectory
                call: newton
                public:
                  - {problem: separable, seed: 3}
              - id: bad-parameter
                kind: trajectory
                call: newton
                public:
                  - {problem: quadratic, dimension: 2.5, seed: 4}
                hidden:
                  count: 2
                  problems:
                    - {problem: logistic, features: wide}
        """

    @Test func everyDriverProblemIsReportedAtItsLine() throws {
        let spec = try SpecLoader.loadAssignment(yaml: Self.yaml, file: "Assignments/practical1.yaml")
        let found = (Practical1Driver.validate(spec) + Practical1Driver.rehearse(spec, context: DriverContext())).map(\.description)
        #expect(found == [
            "Assignments/practical1.yaml:12:15: error: check 'unknown-call' calls 'newtonn', which Practical1 does not have; known calls: armijoStep, gradientDescent, gradientDescentArmijo, newton, numericalGradient, perceptron, sigmoidPerceptron",
            "Assignments/practical1.yaml:15:9: error: check 'wrong-kind': a compare check cannot judge 'gradientDescent'; use one of convergence, trajectory",
            "Assignments/practical1.yaml:24:13: error: problem 'separable' cannot be used with 'newton'; use one of logistic, quadratic, rosenbrock",
            "Assignments/practical1.yaml:29:13: error: cannot generate this case: parameter 'dimension' must be a whole number",
            "Assignments/practical1.yaml:33:15: error: cannot generate this case: parameter 'features' must be a number or a range",
        ])
    }

    @Test func theDemoCourseLoadsCleanly() throws {
        let loaded = try Practical1Driver.load("practical1", from: TestSupport.course, requireRubric: true)
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.rubric?.automaticPoints == 16)
        #expect(loaded.rubric?.total == 20)
        #expect(loaded.spec.due == loaded.spec.session.adding(days: 14))
    }
}
