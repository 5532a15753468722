import CourseKit

extension Tolerance {
    /// The one rule by which the grader accepts a number: |got − expected| ≤ max(absolute, relative · scale).
    ///
    /// `scale` is the magnitude the comparison is relative to: for a scalar, max(|got|, |expected|);
    /// for a coordinate of a vector, the larger ∞-norm of the two vectors, so that a coordinate that
    /// is tiny next to its neighbours is not held to a tighter standard than the vector as a whole.
    /// NaN is never accepted; infinities only when both sides are the same infinity.
    public func accepts(_ got: Double, _ expected: Double, scale: Double) -> Bool {
        if got.isNaN || expected.isNaN { return false }
        if got.isInfinite || expected.isInfinite { return got == expected }
        return abs(got - expected) <= allowance(scale: scale)
    }

    /// The largest difference accepted at `scale`.
    public func allowance(scale: Double) -> Double { Swift.max(absolute, relative * scale) }

    /// The first coordinate where `got` and `expected` differ beyond the rule, with the scale used; nil when all agree.
    public func firstMismatch(_ got: Vector, _ expected: Vector) -> (index: Int, scale: Double)? {
        let scale = Swift.max(got.normInfinity, expected.normInfinity)
        for i in 0..<Swift.min(got.count, expected.count) where !accepts(got[i], expected[i], scale: scale) {
            return (i, scale)
        }
        return nil
    }

    /// The rule in words, for feedback.
    public var summary: String { "absolute \(Feedback.number(absolute)) or relative \(Feedback.number(relative))" }
}
