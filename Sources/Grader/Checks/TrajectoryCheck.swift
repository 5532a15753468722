import CourseKit
import SubmissionRuntime

extension CheckKind {
    /// An algorithm's iterates against the reference's, reporting the first step that diverges.
    public static let trajectory = CheckKind(rawValue: "trajectory")
}

/// The `trajectory` check: every iterate x₀, x₁, … matches the reference's, naming the first that differs.
///
/// With a stopping rule, where the two lists agree but end at different iterates, the student's decision
/// to stop or go on is judged on the student's own iterates (`StoppingRule`): accepted when rounding could
/// have decided it and the iterates it adds or leaves out stay within tolerance of the last one.
public enum TrajectoryCheck: CheckJudge {
    public static let kind = CheckKind.trajectory

    /// Judges lists of iterates; reads a `StoppingRule` from the evidence when the method has one.
    public static func judge(_ answer: Answer, reference: Answer, context: JudgingContext) -> Judgement {
        guard case let .iterates(expected) = reference else { return .graderFault("a trajectory check needs a list of iterates as the reference") }
        guard case let .iterates(got) = answer else { return .fail("expected a list of iterates, got \(answer.kindName)") }
        return judge(got, reference: expected, tolerance: context.tolerance, disclosure: context.disclosure,
                     stopping: context.evidence.first(StoppingRule.self))
    }

    static func judge(_ got: [Vector], reference expected: [Vector], tolerance: Tolerance, disclosure: Disclosure,
                      stopping: StoppingRule? = nil) -> Judgement {
        guard !got.isEmpty else {
            return .fail("you returned no iterates; the list must start with x_0" + (expected.count == 1 ? " (even when x_0 already meets the stopping rule or maxIterations is 0)" : ""))
        }
        if let first = expected.first, let (index, scale) = tolerance.firstMismatch(got[0], first) {
            if expected.count > 1, got[0].count == expected[1].count, tolerance.firstMismatch(got[0], expected[1]) == nil {
                return .fail("your first iterate is x_1, not x_0: the list must start with the starting point x_0")
            }
            if got.count == 1, expected.count > 1 {
                let isLast = got[0].count == expected[expected.count - 1].count && tolerance.firstMismatch(got[0], expected[expected.count - 1]) == nil
                return .fail(isLast ? "you returned only the last iterate: return every iterate x_0, x_1, …, starting with x_0"
                                    : "you returned one iterate, and it is not x_0: return every iterate x_0, x_1, …, starting with x_0")
            }
            return .fail("x_0 must be the starting point" + detail(got[0], first, index: index, scale: scale, tolerance: tolerance, disclosure: disclosure))
        }
        for k in 1..<min(got.count, expected.count) {
            guard got[k].count == expected[k].count else {
                return .fail("x_\(k) has dimension \(got[k].count), expected \(expected[k].count)")
            }
            if let (index, scale) = tolerance.firstMismatch(got[k], expected[k]) {
                return .fail("iterates agree up to x_\(k - 1); x_\(k) differs" + detail(got[k], expected[k], index: index, scale: scale, tolerance: tolerance, disclosure: disclosure))
            }
        }
        if got.count == expected.count { return .pass }
        if let stopping { return judgeStop(got, expected, stopping: stopping, tolerance: tolerance, disclosure: disclosure) }
        if got.count < expected.count {
            return .fail("you returned \(Feedback.count(got.count, "iterate")), expected \(expected.count): you stopped at x_\(got.count - 1) too early")
        }
        return .fail("you returned \(Feedback.count(got.count, "iterate")), expected \(expected.count): x_\(expected.count - 1) must be the last")
    }

    /// Lists that agree on their common part but end at different iterates: the student's own decisions,
    /// judged by the stopping rule up to rounding.
    private static func judgeStop(_ got: [Vector], _ expected: [Vector], stopping: StoppingRule, tolerance: Tolerance,
                                  disclosure: Disclosure) -> Judgement {
        let rule = "the stopping rule: stop at the first k with ‖∇f(x_k)‖ ≤ tolerance \(Feedback.number(stopping.tolerance)), or at k = maxIterations \(stopping.maxIterations)"
        let last = got.count - 1
        if got.count < expected.count {
            // The student stopped at x_last where the reference went on.
            let norm = stopping.gradientNorm(at: got[last])
            guard stopping.mayStop(at: got[last]) else {
                return .fail("you returned \(Feedback.count(got.count, "iterate")), expected \(expected.count): you stopped at x_\(last), where your ‖∇f(x_\(last))‖ = \(Feedback.number(norm)) is above the tolerance; \(rule)")
            }
            if let (index, scale) = tolerance.firstMismatch(got[last], expected[expected.count - 1]) {
                return .fail("you stopped at x_\(last), where ‖∇f‖ is within rounding of the tolerance, but the method had not converged there: x_\(expected.count - 1) differs" + detail(got[last], expected[expected.count - 1], index: index, scale: scale, tolerance: tolerance, disclosure: disclosure))
            }
            return .pass
        }
        // The student went on past x_K, where the reference stopped.
        let stop = expected.count - 1
        if last > stopping.maxIterations {
            return .fail("you returned \(Feedback.count(got.count, "iterate")), more than maxIterations + 1 = \(stopping.maxIterations + 1)")
        }
        for k in stop..<last where !stopping.mayContinue(at: got[k]) {
            return .fail("you returned \(Feedback.count(got.count, "iterate")), expected \(expected.count): at x_\(k) your ‖∇f(x_\(k))‖ = \(Feedback.number(stopping.gradientNorm(at: got[k]))) is below the tolerance, so x_\(k) must be the last iterate; \(rule)")
        }
        if last < stopping.maxIterations, !stopping.mayStop(at: got[last]) {
            return .fail("you stopped at x_\(last), where your ‖∇f(x_\(last))‖ = \(Feedback.number(stopping.gradientNorm(at: got[last]))) is above the tolerance; \(rule)")
        }
        for k in (stop + 1)...last {
            if let (index, scale) = tolerance.firstMismatch(got[k], expected[stop]) {
                return .fail("you went on past x_\(stop), where ‖∇f‖ is within rounding of the tolerance, and x_\(k) moved away from it" + detail(got[k], expected[stop], index: index, scale: scale, tolerance: tolerance, disclosure: disclosure))
            }
        }
        return .pass
    }

    private static func detail(_ got: Vector, _ expected: Vector, index: Int, scale: Double, tolerance: Tolerance, disclosure: Disclosure) -> String {
        " at coordinate \(index)" + disclosure.mismatch(expected: Feedback.vector(expected), got: Feedback.vector(got),
                                                         offBy: abs(got[index] - expected[index]), allowed: tolerance.allowance(scale: scale))
    }
}
