import CourseKit
import SubmissionRuntime

extension CheckKind {
    /// Adversarial images: within the budget, equal to the reference's up to sign ties, and as harmful.
    public static let attack = CheckKind(rawValue: "attack")
}

/// How an attack's harm is measured: the accuracy of a network the grader trusts on attacked images.
public protocol AttackTarget: Sendable {
    /// The fraction of `images` the grader's network classifies right.
    func accuracy(on images: ImageBatch) -> Double
    /// Why the harm is not measured here (a student's kit cannot run the grader's network), or nil when it is.
    var unmeasured: String? { get }
}

extension AttackTarget {
    /// The harm is measured by default.
    public var unmeasured: String? { nil }
}

/// The `attack` check of FGSM and PGD, in four parts.
///
/// 1. **The budget**: every adversarial pixel is within ε of the original (∞-norm) and within [0, 1].
/// 2. **The steps**: every pixel is a whole number of steps α (FGSM: α = ε) away from the original or
///    from a bound it was projected onto (x ± ε, 0 or 1): sign(∇ₓL) moves a pixel by exactly α.
/// 3. **The reference's images**, pixel by pixel within the tolerance, except at *sign ties*: pixels where
///    the reference's ∇ₓL (at any step) is not exactly 0 but below 10⁻¹⁰ of the image's largest entry,
///    whose sign rounding decides; there any value within the budget is accepted. An exact 0 is not a
///    tie: sign(0) = 0 leaves the pixel where it is. Over many steps on real images the path is chaotic:
///    two correct implementations whose sums round differently can part at a rounding-level gradient and
///    end on different pixels. A case that allows it (`Evidence.divergence`, PGD on digits) accepts that
///    share of differing pixels, and relies on parts 2 and 4.
/// 4. **The harm**, when the case has an `AttackTarget` (the grader's own trained network and held-out
///    images): its accuracy under the student's images may exceed its accuracy under the reference's by at
///    most `expect.margin` (default 0.01).
public enum AttackCheck: CheckJudge {
    public static let kind = CheckKind.attack

    /// The share of pixels a chaotic attack's path may part on (`Evidence.divergence`).
    public static let chaoticDivergence = Tolerance.Fixed.attackDivergence

    /// An attack check reads `margin`, a share of accuracy.
    public static func expectProblem(_ expect: [String: Double], evidence: CaseEvidence) -> String? {
        ExpectTargets.problem(expect, kind: kind, known: ["margin": 0...1])
    }

    /// What an attack case carries.
    public struct Evidence: Sendable {
        /// The images attacked.
        public let original: ImageBatch
        /// ε.
        public let epsilon: Double
        /// Pixels whose step the sign of a rounding-level gradient decides (see the type's documentation).
        public let ties: Set<Int>
        /// α, the step.
        public let stepSize: Double
        /// The network whose accuracy measures the harm, when the case has one.
        public let target: (any AttackTarget)?
        /// The share of pixels that may differ from the reference's outside the ties (0: none).
        public let divergence: Double

        /// Creates the evidence.
        public init(original: ImageBatch, epsilon: Double, stepSize: Double, ties: Set<Int>, target: (any AttackTarget)? = nil, divergence: Double = 0) {
            self.original = original
            self.epsilon = epsilon
            self.stepSize = stepSize
            self.ties = ties
            self.target = target
            self.divergence = divergence
        }

        /// The tie pixels of the input gradients `gradients` (one per step of the attack).
        public static func ties(of gradients: [ImageBatch]) -> Set<Int> {
            var ties = Set<Int>()
            for gradient in gradients {
                let pixels = gradient.channels * gradient.height * gradient.width
                for n in 0..<gradient.count {
                    let image = gradient.storage[(n * pixels)..<((n + 1) * pixels)]
                    let largest = image.map(abs).max() ?? 0
                    for i in image.indices where image[i] != 0 && abs(image[i]) <= Tolerance.Fixed.attackSignTie * largest { ties.insert(i) }
                }
            }
            return ties
        }
    }

    public static func missingEvidence(in evidence: CaseEvidence) -> String? {
        evidence.first(Evidence.self) == nil ? "this call has no original images an attack check can compare with" : nil
    }

    public static func judge(_ answer: Answer, reference: Answer, context: JudgingContext) -> Judgement {
        guard let evidence = context.evidence.first(Evidence.self) else { return .graderFault("the case has no original images") }
        guard case let .tensor(expected) = reference else { return .graderFault("the reference answer is not images") }
        guard case let .tensor(got) = answer, got.shape == evidence.original.shape, expected.shape == got.shape else {
            return .fail("expected images of shape \(Tensor.describe(evidence.original.shape)), got \(answer.kindName)")
        }
        let x = evidence.original, epsilon = evidence.epsilon
        let place = { (i: Int) -> String in
            let index = x.tensor.indices(ofOffset: i)
            return "image \(index[0] + 1), channel \(index[1]), pixel (\(index[2]), \(index[3]))"
        }
        // 1. The budget.
        for i in got.storage.indices {
            let value = got.storage[i], moved = abs(value - x.storage[i])
            guard value.isFinite else { return .fail("\(place(i)) is \(Feedback.number(value))") }
            if !(moved <= epsilon * (1 + Tolerance.Fixed.attackBudgetRounding) + Tolerance.Fixed.attackBudgetFloor) {
                return .fail("\(place(i)) moved by \(Feedback.number(moved)), more than ε = \(Feedback.number(epsilon)): project every step back onto the ε-ball around the original image")
            }
            if value < 0 || value > 1 {
                return .fail("\(place(i)) is \(Feedback.number(value)), outside [0, 1]: clip the adversarial image to the valid pixel range")
            }
        }
        // 2. Whole steps.
        let alpha = evidence.stepSize
        for i in got.storage.indices where alpha > 0 {
            let value = got.storage[i], moved = value - x.storage[i]
            // Whole steps from the original pixel or from a bound it was projected onto (x ± ε, 0, 1).
            let bases = [x.storage[i], x.storage[i] + epsilon, x.storage[i] - epsilon, 0, 1]
            let whole = bases.contains { base in
                let steps = (value - base) / alpha
                return abs(steps - steps.rounded()) <= Tolerance.Fixed.attackStepRounding * max(1, abs(steps) + abs(base) / alpha)
            }
            if !whole {
                return .fail("\(place(i)) moved by \(Feedback.number(moved)), which is not a whole number of steps α = \(Feedback.number(alpha)) and not a bound "
                             + "of the budget: each step moves a pixel by exactly α · sign(∇ₓL), never by a multiple of the gradient itself")
            }
        }
        // 3. The reference's images, up to sign ties.
        var mismatches: [Int] = []
        for i in got.storage.indices where !evidence.ties.contains(i) {
            if !context.tolerance.accepts(got.storage[i], expected.storage[i], scale: 1) { mismatches.append(i) }
        }
        if let first = mismatches.first, Double(mismatches.count) > evidence.divergence * Double(got.storage.count) {
            var message = "\(mismatches.count) of \(got.storage.count) pixels differ from the reference's attack"
                + (evidence.divergence > 0 ? " (at most \(Int(evidence.divergence * Double(got.storage.count))) may, where rounding parts two correct paths)" : "")
                + "; the first at \(place(first))"
            message += context.disclosure.mismatch(expected: expected.storage[first], got: got.storage[first], allowed: context.tolerance.allowance(scale: 1))
            if let hint = hint(got, expected, x, mismatches) { message += ". " + hint }
            return .fail(message)
        }
        // 4. The harm.
        guard let target = evidence.target else { return .pass }
        if let unmeasured = target.unmeasured { return Judgement(passed: true, message: unmeasured) }
        let margin = context.check.expect["margin"] ?? Tolerance.Fixed.attackMargin
        let clean = target.accuracy(on: x), yours = target.accuracy(on: ImageBatch(got)), theirs = target.accuracy(on: ImageBatch(expected))
        let percent = { (value: Double) in Feedback.number((value * 1000).rounded() / 10) + "%" }
        let summary = "the grader's network: \(percent(clean)) accurate on the original images, \(percent(yours)) under your attack, \(percent(theirs)) under the reference's"
        if yours > theirs + margin {
            return .fail(summary + "; your attack must do at least as much harm (within \(percent(margin)))")
        }
        return Judgement(passed: true, message: summary, measurement: yours)
    }

    /// A cause the mismatching pixels point to, when they share one.
    static func hint(_ got: Tensor, _ expected: Tensor, _ x: ImageBatch, _ mismatches: [Int]) -> String? {
        let reversed = mismatches.filter { i in
            let mine = got.storage[i] - x.storage[i], theirs = expected.storage[i] - x.storage[i]
            return mine * theirs < 0
        }
        if reversed.count == mismatches.count {
            return "Where they differ, your pixels move opposite to the reference's: an attack ascends the loss, x + ε · sign(∇ₓL)"
        }
        let scaled = mismatches.filter { i in
            let mine = got.storage[i] - x.storage[i], theirs = expected.storage[i] - x.storage[i]
            return mine * theirs > 0 && abs(mine) != abs(theirs)
        }
        if scaled.count == mismatches.count {
            return "Where they differ, your pixels move the reference's way but by other amounts: the attack steps by ε · sign(∇ₓL), moving every pixel by exactly its step (before clipping), not by a multiple of the gradient"
        }
        let unmoved = mismatches.filter { got.storage[$0] == x.storage[$0] }
        if unmoved.count == mismatches.count {
            return "Where they differ, your pixels did not move: check the sign of ∇ₓL there (sign(0) is 0, any other entry moves the pixel)"
        }
        let movedAtZero = mismatches.filter { expected.storage[$0] == x.storage[$0] }
        if movedAtZero.count == mismatches.count {
            return "Where they differ, the reference leaves the pixel in place: its ∇ₓL entry is 0 (or the pixel is clipped), and sign(0) = 0"
        }
        return nil
    }
}
