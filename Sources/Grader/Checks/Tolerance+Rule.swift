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

extension Tolerance {
    /// The relative error |got − expected| / max(|got|, |expected|, floor), the measure the gradient checks
    /// use (cs231n's relative error, with a floor so that values near zero are judged absolutely);
    /// infinite when `got` is not finite or the error is NaN.
    public static func relativeError(_ got: Double, _ expected: Double, floor: Double) -> Double {
        guard got.isFinite else { return .infinity }
        let error = abs(got - expected) / Swift.max(abs(got), abs(expected), floor)
        return error.isNaN ? .infinity : error
    }

    /// The fixed variants of the rule, for what a spec's tolerance does not cover, each named for what it judges.
    public enum Fixed {
        /// A numerical gradient's coordinates: relative error floored at 1.
        public static let numericalGradientFloor = 1.0
        /// A layer gradient's entries: relative error floored at this fraction of the layer's largest entry…
        public static let layerGradientFloor = 1e-8
        /// …and never below this, for a layer whose gradient is zero.
        public static let layerGradientFloorMinimum = 1e-12
        /// A backward pass against the central difference of the submission's own forward along a direction:
        /// relative error (floored at `directionalFloor`) at most this. Central differences of a smooth
        /// loss at the probe step agree with uᵀ∇L to about 10⁻⁸; a wrong backward misses by far more.
        public static let directionalDerivative = 1e-4
        /// The floor of that relative error.
        public static let directionalFloor = 1e-8
        /// Gradient descent's contraction bound: relative slack on ((κ−1)/(κ+1))^k ‖x₀ − x*‖ unless the
        /// check's `expect.slack` says otherwise…
        public static let contractionSlack = 1e-6
        /// …plus this rounding allowance, relative to max(1, ‖x*‖).
        public static let contractionRounding = 1e-12
        /// The gradient norm a converging method must reach unless the check's `expect.gradientNorm` says otherwise.
        public static let convergedGradientNorm = 1e-10
        /// A hint names a known mistake only when the answer matches its formula this closely (relative error)…
        public static let mistakeMatch = 1e-6
        /// …and that match is this many times closer than the match with the right answer.
        public static let mistakeSeparation = 1e-3
        /// An attack's perturbation: |x̃ − x| ≤ ε (1 + this) + `attackBudgetFloor`, the rounding of x ± ε and of a clip.
        public static let attackBudgetRounding = 1e-12
        /// The absolute part of that allowance.
        public static let attackBudgetFloor = 1e-15
        /// An attack's step: a pixel's move is a whole number of steps α (from the pixel or a bound) up to this
        /// relative rounding.
        public static let attackStepRounding = 1e-9
        /// The share of the largest |∂L/∂x| below which a non-zero entry's sign is left to rounding.
        public static let attackSignTie = 1e-10
        /// The share of pixels a chaotic attack's path (PGD on digits) may part on between two correct implementations.
        public static let attackDivergence = 0.05
        /// The accuracy a student's attack may leave above the reference's, unless the check's `expect.margin` says otherwise.
        public static let attackMargin = 0.01
    }
}
