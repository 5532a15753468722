import CourseKit
import SubmissionRuntime

extension CheckKind {
    /// Outputs against the reference's under the tolerance.
    public static let compare = CheckKind(rawValue: "compare")
}

/// The `compare` check: the student's answer equals the reference's under the tolerance rule.
///
/// Evidence it reads: `CompareCheck.EquallyRight`, when some entries of an answer may rightly differ from
/// the reference's (a subgradient at a kink).
public enum CompareCheck: CheckJudge {
    public static let kind = CheckKind.compare

    /// Replaces the parts of a student's answer that are as right as the reference's (any subgradient at a
    /// kink, say) with the reference's, before the comparison.
    public protocol EquallyRight: Sendable {
        /// The answer to compare, given the student's and the reference's.
        func replace(_ answer: Answer, _ reference: Answer) -> Answer
    }

    /// The derivative of ReLU or leaky ReLU at a kink (z exactly 0) is any subgradient (0…1 for ReLU, α…1
    /// for leaky ReLU). The course does not fix one, so where z is 0 any value in that interval is accepted:
    /// the expected value is put in place of the student's.
    public struct SubgradientsAtKinks: EquallyRight, Codable, Hashable {
        /// The pre-activations the derivative is taken at.
        public let z: Matrix
        /// The activation differentiated.
        public let activation: Activation

        /// The rule for the derivative of `activation` at `z`.
        public init(z: Matrix, activation: Activation) {
            self.z = z
            self.activation = activation
        }

        public func replace(_ answer: Answer, _ reference: Answer) -> Answer {
            guard case let .matrix(got) = answer, case let .matrix(expected) = reference else { return answer }
            return .matrix(accepting(got, expected))
        }

        /// `got` with every entry at a kink that lies in the subgradient interval replaced by `expected`'s.
        func accepting(_ got: Matrix, _ expected: Matrix) -> Matrix {
            let interval: ClosedRange<Double>
            switch activation {
            case .relu: interval = 0...1
            case let .leakyReLU(alpha): interval = min(alpha, 1)...max(alpha, 1)
            default: return got
            }
            guard got.rows == expected.rows, got.columns == expected.columns, z.rows == got.rows, z.columns == got.columns else { return got }
            var adjusted = got
            for i in z.storage.indices where z.storage[i] == 0 {
                adjusted.storage[i] = interval.contains(got.storage[i]) ? expected.storage[i] : got.storage[i]
            }
            return adjusted
        }
    }

    public static func judge(_ answer: Answer, reference: Answer, context: JudgingContext) -> Judgement {
        let answer = context.evidence.first((any EquallyRight).self)?.replace(answer, reference) ?? answer
        return judge(answer, reference: reference, tolerance: context.tolerance, disclosure: context.disclosure)
    }

    /// Judges `answer` against `reference`, naming the value `name` in messages (a part of a `fields` answer by its path).
    static func judge(_ answer: Answer, reference: Answer, name: String = "the result", tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
        switch (answer, reference) {
        case let (.scalar(got), .scalar(expected)):
            return compareNumber(got, expected, name: name, tolerance: tolerance, disclosure: disclosure)
        case let (.vector(got), .vector(expected)):
            return compareVector(got, expected, name: name, tolerance: tolerance, disclosure: disclosure)
        case let (.linearUnit(got), .linearUnit(expected)):
            let weights = compareVector(got.weights, expected.weights, name: "the weights", tolerance: tolerance, disclosure: disclosure)
            if !weights.passed { return weights }
            let scale = max(abs(got.bias), abs(expected.bias), got.weights.normInfinity, expected.weights.normInfinity)
            return compareNumber(got.bias, expected.bias, name: "the bias", tolerance: tolerance, disclosure: disclosure, scale: scale)
        case let (.iterates(got), .iterates(expected)):
            return TrajectoryCheck.judge(got, reference: expected, tolerance: tolerance, disclosure: disclosure)
        case let (.matrix(got), .matrix(expected)):
            return compareMatrix(got, expected, name: name, tolerance: tolerance, disclosure: disclosure)
        case let (.cache(got), .cache(expected)):
            guard got.activations.count == expected.activations.count, got.preActivations.count == expected.preActivations.count else {
                return .fail("the cache has \(got.preActivations.count) layers of z and \(got.activations.count) of a; expected \(expected.preActivations.count) and \(expected.activations.count) (a_0 is the input)")
            }
            for (l, (g, e)) in zip(got.preActivations, expected.preActivations).enumerated() {
                let judgement = compareMatrix(g, e, name: "z_\(l + 1)", tolerance: tolerance, disclosure: disclosure)
                if !judgement.passed { return judgement }
            }
            for (l, (g, e)) in zip(got.activations, expected.activations).enumerated() {
                let judgement = compareMatrix(g, e, name: "a_\(l)", tolerance: tolerance, disclosure: disclosure)
                if !judgement.passed { return judgement }
            }
            return .pass
        case let (.batches(got), .batches(expected)):
            guard got.count == expected.count else { return .fail("\(got.count) mini-batches, expected \(expected.count)") }
            if let index = got.indices.first(where: { got[$0] != expected[$0] }) {
                return .fail("mini-batch \(index) differs" + disclosure.publicOnly(": expected \(expected[index].prefix(12)), got \(got[index].prefix(12))"))
            }
            return .pass
        case let (.tensor(got), .tensor(expected)):
            return compareTensor(got, expected, name: name, tolerance: tolerance, disclosure: disclosure)
        case let (.fields(got), .fields(expected)):
            guard got.map(\.name) == expected.map(\.name) else {
                return .fail("\(name): the parts \(got.map(\.name).joined(separator: ", ")), expected \(expected.map(\.name).joined(separator: ", "))")
            }
            for (part, reference) in zip(got, expected) {
                let path = name == "the result" ? part.name : "\(name).\(part.name)"
                let judgement = judge(part.value, reference: reference.value, name: path, tolerance: tolerance, disclosure: disclosure)
                if !judgement.passed { return judgement }
            }
            return .pass
        default:
            // The same kind of value on both sides, which this check has no rule for, is the grader's gap.
            if answer.kindName == reference.kindName { return .graderFault("a compare check has no rule for \(reference.kindName)") }
            return .fail("expected \(reference.kindName), got \(answer.kindName)")
        }
    }

    static func compareNumber(_ got: Double, _ expected: Double, name: String, tolerance: Tolerance,
                              disclosure: Disclosure, scale: Double? = nil) -> Judgement {
        let scale = scale ?? max(abs(got), abs(expected))
        if tolerance.accepts(got, expected, scale: scale) { return .pass }
        return .fail(name + disclosure.mismatch(expected: expected, got: got, allowed: tolerance.allowance(scale: scale)))
    }

    static func compareMatrix(_ got: Matrix, _ expected: Matrix, name: String, tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
        guard got.rows == expected.rows, got.columns == expected.columns else {
            return .fail("\(name): shape \(got.rows)×\(got.columns), expected \(expected.rows)×\(expected.columns)")
        }
        let judgement = compareVector(Vector(got.storage), Vector(expected.storage), name: name, tolerance: tolerance, disclosure: .positionOnly)
        guard !judgement.passed, let (index, scale) = tolerance.firstMismatch(Vector(got.storage), Vector(expected.storage)) else { return judgement }
        let (row, column) = (index / max(1, got.columns), index % max(1, got.columns))
        return .fail("\(name): first difference at entry (\(row), \(column))"
                     + disclosure.mismatch(expected: expected.storage[index], got: got.storage[index], allowed: tolerance.allowance(scale: scale)))
    }

    /// Entry by entry under the rule with the scale of the whole array, naming the first entry that differs by its indices.
    static func compareTensor(_ got: Tensor, _ expected: Tensor, name: String, tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
        guard got.shape == expected.shape else {
            return .fail("\(name): shape \(Tensor.describe(got.shape)), expected \(Tensor.describe(expected.shape))")
        }
        guard let (index, scale) = tolerance.firstMismatch(Vector(got.storage), Vector(expected.storage)) else { return .pass }
        let place = expected.indices(ofOffset: index).map(String.init).joined(separator: ", ")
        return .fail("\(name): first difference at entry (\(place))"
                     + disclosure.mismatch(expected: expected.storage[index], got: got.storage[index], allowed: tolerance.allowance(scale: scale)))
    }

    static func compareVector(_ got: Vector, _ expected: Vector, name: String, tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
        guard got.count == expected.count else {
            return .fail("\(name): dimension \(got.count), expected \(expected.count)")
        }
        guard let (index, scale) = tolerance.firstMismatch(got, expected) else { return .pass }
        return .fail("\(name): first difference at coordinate \(index)"
                     + disclosure.mismatch(expected: expected[index], got: got[index], allowed: tolerance.allowance(scale: scale))
                     + disclosure.publicOnly("; expected \(Feedback.vector(expected)), got \(Feedback.vector(got))"))
    }
}
