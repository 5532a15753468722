import CourseDrivers
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
        let found = (Practical1Driver.validate(spec) + (try Practical1Driver.rehearse(spec, context: DriverContext()))).map(\.description)
        #expect(found == [
            "Assignments/practical1.yaml:12:15: error: check 'unknown-call' calls 'newtonn', which Practical1 does not have; known calls: armijoStep, gradientDescent, gradientDescentArmijo, newton, numericalGradient, perceptron, sigmoidPerceptron",
            "Assignments/practical1.yaml:15:9: error: check 'wrong-kind': a compare check cannot judge 'gradientDescent'; use one of convergence, trajectory",
            "Assignments/practical1.yaml:24:13: error: problem 'separable' cannot be used with 'newton'; use one of logistic, quadratic, rosenbrock",
            "Assignments/practical1.yaml:29:13: error: cannot generate this case: parameter 'dimension' must be a whole number",
            "Assignments/practical1.yaml:33:15: error: cannot generate this case: parameter 'features' must be a number or a range",
        ])
    }

    @Test func expectTargetsAKindDoesNotReadAreErrorsNotSilentDefaults() throws {
        let practical1 = try SpecLoader.loadAssignment(yaml: """
            id: practical1
            title: Targets
            protocol: Practical1
            session: 2026-10-05
            due: 2026-10-19
            tasks:
              - id: t
                title: Task
                checks:
                  - id: misspelled
                    kind: convergence
                    call: newton
                    expect: {gradientNorm: 1.0e-10, maxStep: 8}
                    public:
                      - {problem: logistic, samples: 40, features: 3, lambda: 0.1, spread: 0.1, seed: 1}
                  - id: too-many-steps
                    kind: convergence
                    call: newton
                    expect: {maxSteps: 1.0e300}
                    public:
                      - {problem: logistic, samples: 40, features: 3, lambda: 0.1, spread: 0.1, seed: 2}
                  - id: not-read
                    kind: trajectory
                    call: newton
                    expect: {slack: 0.1}
                    public:
                      - {problem: quadratic, seed: 3}
            """, file: "Assignments/practical1.yaml")
        #expect(try Practical1Driver.rehearse(practical1, context: DriverContext()).map(\.description) == [
            "Assignments/practical1.yaml:10:9: error: check 'misspelled': a convergence check reads only 'gradientNorm', 'maxSteps', 'slack' in 'expect'; 'maxStep' is not one of them",
            "Assignments/practical1.yaml:16:9: error: check 'too-many-steps': expect.maxSteps must be within 1…1000000, not 1e+300",
            "Assignments/practical1.yaml:22:9: error: check 'not-read': a trajectory check reads no 'expect' targets; found 'slack'",
        ])
        let practical3 = try SpecLoader.loadAssignment(yaml: """
            id: practical3
            title: Targets
            protocol: Practical3
            session: 2026-11-02
            due: 2026-11-16
            tasks:
              - id: t
                title: Task
                checks:
                  - id: training
                    kind: training
                    call: train
                    expect: {acuracy: 0.95, partial-accuracy: 0.9}
                    public:
                      - {problem: glyphs, seed: 1}
                  - id: backwards
                    kind: training
                    call: train
                    expect: {accuracy: 0.9, partial-accuracy: 0.95}
                    public:
                      - {problem: glyphs, seed: 1}
                  - id: attack
                    kind: attack
                    call: fgsm
                    expect: {margin: 2}
                    public:
                      - {problem: cnn, epsilon: 0.1, seed: 4}
            """, file: "Assignments/practical3.yaml")
        #expect(try Practical3Driver.rehearse(practical3, context: DriverContext()).map(\.description) == [
            "Assignments/practical3.yaml:10:9: error: check 'training': a training check's 'expect' names the targets of one score (as 'accuracy' and 'partial-accuracy'); found 'acuracy', 'partial-accuracy'",
            "Assignments/practical3.yaml:16:9: error: check 'backwards': expect.partial-accuracy (0.95) is the score up to which no credit is earned: it cannot exceed expect.accuracy (0.9)",
            "Assignments/practical3.yaml:22:9: error: check 'attack': expect.margin must be within 0…1, not 2",
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
