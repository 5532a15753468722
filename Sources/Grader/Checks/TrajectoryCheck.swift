import CourseKit

/// The `trajectory` check: every iterate x₀, x₁, … matches the reference's, naming the first that differs.
enum TrajectoryCheck {
    static func judge(_ got: [Vector], reference expected: [Vector], tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
        guard !got.isEmpty else { return .fail("you returned no iterates; the list must start with x_0") }
        if let first = expected.first, let (index, scale) = tolerance.firstMismatch(got[0], first) {
            if expected.count > 1, got[0].count == expected[1].count, tolerance.firstMismatch(got[0], expected[1]) == nil {
                return .fail("your first iterate is x_1, not x_0: the list must start with the starting point x_0")
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
        if got.count < expected.count {
            return .fail("you returned \(got.count) iterates, expected \(expected.count): you stopped at x_\(got.count - 1), but the stopping rule (‖∇f(x_k)‖ ≤ tolerance or k = maxIterations) does not hold there yet")
        }
        if got.count > expected.count {
            return .fail("you returned \(got.count) iterates, expected \(expected.count): the stopping rule already holds at x_\(expected.count - 1), which must be the last iterate")
        }
        return .pass
    }

    private static func detail(_ got: Vector, _ expected: Vector, index: Int, scale: Double, tolerance: Tolerance, disclosure: Disclosure) -> String {
        let allowed = Feedback.number(tolerance.allowance(scale: scale))
        switch disclosure {
        case .full:
            return " at coordinate \(index): expected \(Feedback.vector(expected)), got \(Feedback.vector(got)) (allowed difference \(allowed))"
        case .positionOnly:
            return " at coordinate \(index), off by \(Feedback.number(abs(got[index] - expected[index]))) (allowed \(allowed))"
        }
    }
}
