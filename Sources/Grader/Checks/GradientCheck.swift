import CourseKit

/// The `gradient` check: a numerical gradient agrees with the analytic one, judged by scale-aware relative error.
///
/// The error of coordinate i is |n_i − a_i| / max(|n_i|, |a_i|, 1) in the sense of cs231n's relative
/// error, floored at 1 so that near-zero gradients are judged absolutely; the worst coordinate is
/// reported. The check passes when that error is within the tolerance rule applied at scale 1.
enum GradientCheck {
    static func judge(numerical: Vector, analytic: Vector, tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
        guard numerical.count == analytic.count else {
            return .fail("the gradient has dimension \(numerical.count), expected \(analytic.count)")
        }
        var worst = (index: 0, error: 0.0)
        for i in 0..<numerical.count {
            let denominator = max(abs(numerical[i]), abs(analytic[i]), 1)
            let error = numerical[i].isFinite ? abs(numerical[i] - analytic[i]) / denominator : .infinity
            if error > worst.error || error.isNaN { worst = (i, error.isNaN ? .infinity : error) }
        }
        if tolerance.accepts(worst.error, 0, scale: 1) { return .pass }
        var message = "worst coordinate \(worst.index): relative error \(Feedback.number(worst.error)), allowed \(Feedback.number(tolerance.allowance(scale: 1)))"
        if case .full = disclosure {
            message += "; analytic \(Feedback.vector(analytic)), yours \(Feedback.vector(numerical))"
        }
        if worst.error > 1e-9 && worst.error < 1e-2 {
            message += ". An error of this size often means a one-sided difference (f(x+h)−f(x))/h instead of the central (f(x+h)−f(x−h))/(2h)"
        }
        return .fail(message)
    }
}
