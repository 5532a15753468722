import CourseKit
import SubmissionRuntime

/// The `compare` check: the student's answer equals the reference's under the tolerance rule.
enum CompareCheck {
    static func judge(_ answer: Answer, reference: Answer, tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
        switch (answer, reference) {
        case let (.scalar(got), .scalar(expected)):
            return compareNumber(got, expected, name: "the result", tolerance: tolerance, disclosure: disclosure)
        case let (.vector(got), .vector(expected)):
            return compareVector(got, expected, name: "the result", tolerance: tolerance, disclosure: disclosure)
        case let (.linearUnit(got), .linearUnit(expected)):
            let weights = compareVector(got.weights, expected.weights, name: "the weights", tolerance: tolerance, disclosure: disclosure)
            if !weights.passed { return weights }
            let scale = max(abs(got.bias), abs(expected.bias), got.weights.normInfinity, expected.weights.normInfinity)
            return compareNumber(got.bias, expected.bias, name: "the bias", tolerance: tolerance, disclosure: disclosure, scale: scale)
        case let (.iterates(got), .iterates(expected)):
            return TrajectoryCheck.judge(got, reference: expected, tolerance: tolerance, disclosure: disclosure)
        default:
            return .fail("expected \(reference.kindName), got \(answer.kindName)")
        }
    }

    static func compareNumber(_ got: Double, _ expected: Double, name: String, tolerance: Tolerance,
                              disclosure: Disclosure, scale: Double? = nil) -> Judgement {
        let scale = scale ?? max(abs(got), abs(expected))
        if tolerance.accepts(got, expected, scale: scale) { return .pass }
        switch disclosure {
        case .full:
            return .fail("\(name): expected \(Feedback.number(expected)), got \(Feedback.number(got)) (allowed difference \(Feedback.number(tolerance.allowance(scale: scale))))")
        case .positionOnly:
            return .fail("\(name): off by \(Feedback.number(abs(got - expected))) (allowed \(Feedback.number(tolerance.allowance(scale: scale))))")
        }
    }

    static func compareVector(_ got: Vector, _ expected: Vector, name: String, tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
        guard got.count == expected.count else {
            return .fail("\(name): dimension \(got.count), expected \(expected.count)")
        }
        guard let (index, scale) = tolerance.firstMismatch(got, expected) else { return .pass }
        let allowed = Feedback.number(tolerance.allowance(scale: scale))
        switch disclosure {
        case .full:
            return .fail("\(name): first difference at coordinate \(index): expected \(Feedback.number(expected[index])), got \(Feedback.number(got[index])) (allowed difference \(allowed)); expected \(Feedback.vector(expected)), got \(Feedback.vector(got))")
        case .positionOnly:
            return .fail("\(name): first difference at coordinate \(index), off by \(Feedback.number(abs(got[index] - expected[index]))) (allowed \(allowed))")
        }
    }
}
