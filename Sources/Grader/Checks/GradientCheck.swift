import CourseKit
import SubmissionRuntime

extension CheckKind {
    /// A gradient the submission computed against one the grader trusts, coordinate by coordinate.
    public static let gradient = CheckKind(rawValue: "gradient")
}

/// What a `gradient` check compares a submission's gradient with, and how: the practical attaches one
/// to each case (`GradientCheck.NumericalGradient`, `BackpropagationCheck.Subject`).
public protocol GradientSubject: Sendable {
    /// Judges the gradient in `answer`; `reference` is the reference engine's answer to the same call.
    func judge(_ answer: Answer, reference: Answer, tolerance: Tolerance, disclosure: Disclosure) -> Judgement
}

/// The `gradient` check: a gradient the submission computed agrees with one the grader trusts, by
/// scale-aware relative error, naming the worst coordinate. The case's `GradientSubject` says what is
/// trusted: for a numerical gradient, the objective's analytic gradient (`NumericalGradient`, below);
/// for backpropagation, the reference's and the submission's own forward pass (`BackpropagationCheck`).
public enum GradientCheck: CheckJudge {
    public static let kind = CheckKind.gradient

    public static func judge(_ answer: Answer, reference: Answer, context: JudgingContext) -> Judgement {
        guard let subject = context.evidence.first((any GradientSubject).self) else { return .graderFault("the case has no gradient to compare with") }
        return subject.judge(answer, reference: reference, tolerance: context.tolerance, disclosure: context.disclosure)
    }

    public static func missingEvidence(in evidence: CaseEvidence) -> String? {
        evidence.first((any GradientSubject).self) == nil ? "this call has no gradient a gradient check can compare with" : nil
    }

    /// A numerical gradient of `objective` at `x` with step `step`, judged against the analytic gradient there.
    public struct NumericalGradient: GradientSubject {
        /// The function differentiated.
        public let objective: any Objective
        /// The point.
        public let x: Vector
        /// The finite-difference step.
        public let step: Double

        /// Creates the subject.
        public init(objective: any Objective, x: Vector, step: Double) {
            self.objective = objective
            self.x = x
            self.step = step
        }

        public func judge(_ answer: Answer, reference: Answer, tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
            guard case let .vector(numerical) = answer else { return .fail("expected a vector, got \(answer.kindName)") }
            let f = objective
            return GradientCheck.judge(numerical: numerical, analytic: f.gradient(at: x), tolerance: tolerance, disclosure: disclosure,
                                       mistakes: GradientCheck.mistakes(of: { f.value(at: $0) }, at: x, step: step))
        }
    }
}

/// The rule of a numerical gradient, judged by scale-aware relative error.
///
/// The error of coordinate i is |n_i − a_i| / max(|n_i|, |a_i|, 1) in the sense of cs231n's relative
/// error, floored at 1 so that near-zero gradients are judged absolutely; the worst coordinate is
/// reported. The check passes when that error is within the tolerance rule applied at scale 1.
///
/// A hint is added only when the answer is recognised: the check recomputes the classic wrong formulas
/// (`Mistake`) on the same function, point and step, and names the one the answer matches; an answer
/// that matches none gets no hint.
extension GradientCheck {
    /// A wrong formula for the numerical gradient, which the check recomputes to recognise it.
    struct Mistake {
        /// What the answer matches, in words.
        let name: String
        /// The formula's values.
        let values: Vector
    }

    /// The classic wrong numerical gradients of `f` at `x` with step `h`: one-sided differences, and the
    /// central difference over h instead of 2h.
    static func mistakes(of f: (Vector) -> Double, at x: Vector, step h: Double) -> [Mistake] {
        var forward = Vector.zeros(x.count), backward = Vector.zeros(x.count), overH = Vector.zeros(x.count)
        let value = f(x)
        for i in 0..<x.count {
            var plus = x, minus = x
            plus[i] += h
            minus[i] -= h
            let up = f(plus), down = f(minus)
            forward[i] = (up - value) / h
            backward[i] = (value - down) / h
            overH[i] = (up - down) / h
        }
        return [Mistake(name: "the one-sided difference (f(x+h e_i) − f(x))/h, not the central (f(x+h e_i) − f(x−h e_i))/(2h)", values: forward),
                Mistake(name: "the one-sided difference (f(x) − f(x−h e_i))/h, not the central (f(x+h e_i) − f(x−h e_i))/(2h)", values: backward),
                Mistake(name: "the central difference divided by h instead of 2h", values: overH)]
    }

    static func judge(numerical: Vector, analytic: Vector, tolerance: Tolerance, disclosure: Disclosure, mistakes: [Mistake] = []) -> Judgement {
        guard numerical.count == analytic.count else {
            return .fail("the gradient has dimension \(numerical.count), expected \(analytic.count)")
        }
        var worst = (index: 0, error: 0.0)
        for i in 0..<numerical.count {
            let error = Self.error(numerical[i], analytic[i])
            if error > worst.error { worst = (i, error) }
        }
        if tolerance.accepts(worst.error, 0, scale: 1) { return .pass }
        var message = "worst coordinate \(worst.index): relative error \(Feedback.number(worst.error)), allowed \(Feedback.number(tolerance.allowance(scale: 1)))"
        message += disclosure.publicOnly("; analytic \(Feedback.vector(analytic)), yours \(Feedback.vector(numerical))")
        // The mistake the answer is closest to, if it matches one far better than the right gradient.
        let matched = mistakes.filter { $0.values.count == numerical.count }
            .map { ($0, Self.worstError(numerical, $0.values)) }
            .min { $0.1 < $1.1 }
        if let (mistake, error) = matched, error < Tolerance.Fixed.mistakeSeparation * worst.error, error <= Tolerance.Fixed.mistakeMatch {
            message += ". Your values match \(mistake.name)"
        }
        return .fail(message)
    }

    /// The relative error of one coordinate, floored at 1; infinite for a non-finite value.
    static func error(_ got: Double, _ expected: Double) -> Double {
        Tolerance.relativeError(got, expected, floor: Tolerance.Fixed.numericalGradientFloor)
    }

    /// The largest coordinate error between two vectors of one dimension.
    static func worstError(_ a: Vector, _ b: Vector) -> Double {
        zip(a, b).map { error($0, $1) }.max() ?? 0
    }
}
