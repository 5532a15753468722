import CourseKit
import SubmissionRuntime

/// The `gradient` check of a backward pass whose answer is named parts (`Answer.fields`: ∂L/∂X, ∂L/∂W,
/// …, then the directional derivatives), in two parts, as `BackpropagationCheck` does for practical 2.
///
/// 1. Each part against the reference's, entry by entry, with the scale-aware relative error
///    |s − r| / max(|s|, |r|, floor) (floor = 10⁻⁸ scaled by the part's largest reference entry); the worst
///    part and entry are named (`block 2 ∂L/∂W[3, 0, 1, 2]`).
/// 2. Self-consistency: along the random unit directions u of `Probes`, the central difference of the
///    submission's *own* forward pass must equal uᵀ∇ from its own gradients, group by group (a GAN's
///    generator under L_G, its discriminator under L_D).
public struct PartGradients: GradientSubject, Codable {
    /// The parts probed together, by name, one list per group; every part of the answer is in one group.
    public let groups: [[String]]
    /// What each group's loss is, for messages ("L_G along the generator's parameters").
    public let groupNames: [String]
    /// The probes the submission evaluated.
    public let probes: Probes
    /// The batch size, when the loss is averaged over a batch (for the hint that names it).
    public let batchSize: Int?

    /// Creates the subject.
    public init(groups: [[String]], groupNames: [String], probes: Probes, batchSize: Int? = nil) {
        self.groups = groups
        self.groupNames = groupNames
        self.probes = probes
        self.batchSize = batchSize
    }

    /// The gradient parts of `answer` and its directional derivatives, nil when it is not a backward answer.
    public static func split(_ answer: Answer) -> (parts: [AnswerField], derivatives: Vector)? {
        guard case let .fields(fields) = answer, let last = fields.last, last.name == directionalDerivativesField,
              case let .vector(derivatives) = last.value else { return nil }
        return (Array(fields.dropLast()), derivatives)
    }

    /// Why the directional derivatives of `answer` are not the ones asked for, or nil.
    public func derivativeProblem(_ answer: Answer) -> String? {
        guard let (_, derivatives) = Self.split(answer) else { return "the answer has no \(directionalDerivativesField)" }
        let expected = max(0, probes.count) * groups.count
        return derivatives.count == expected ? nil : "\(derivatives.count) directional derivatives came back, expected \(expected)"
    }

    public func judge(_ answer: Answer, reference: Answer, tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
        guard case let .fields(expectedParts) = reference else { return .graderFault("the reference answer is not gradient parts") }
        guard let (parts, derivatives) = Self.split(answer), parts.map(\.name) == expectedParts.map(\.name) else {
            return .fail("expected the parts \(expectedParts.map(\.name).joined(separator: ", ")) and the \(directionalDerivativesField)")
        }
        var worst = (error: 0.0, place: "")
        var got: [String: [Double]] = [:]
        for (part, expected) in zip(parts, expectedParts) {
            guard let values = Self.values(part.value), let reference = Self.values(expected.value), values.count == reference.count else {
                return .fail("\(part.name): expected \(expected.value.kindName), got \(part.value.kindName)")
            }
            got[part.name] = values
            let scale = reference.map(abs).max() ?? 0
            let floor = max(Tolerance.Fixed.layerGradientFloor * scale, Tolerance.Fixed.layerGradientFloorMinimum)
            for i in reference.indices {
                let error = Tolerance.relativeError(values[i], reference[i], floor: floor)
                if error > worst.error || (error.isNaN && !worst.error.isNaN) {
                    worst = (error, part.name + Self.position(i, in: expected.value))
                }
            }
        }
        if !tolerance.accepts(worst.error, 0, scale: 1) {
            var message = Feedback.gradientMismatch(at: worst.place, relativeError: worst.error, allowed: tolerance.allowance(scale: 1))
            let flat = { (fields: [AnswerField]) in fields.compactMap { Self.values($0.value) } }
            if let hint = GradientScale.hint(flat(parts), flat(expectedParts), batchSize: batchSize, loss: nil) { message += "; " + hint }
            return .fail(message)
        }
        let counts = groups.map { $0.map { got[$0]?.count ?? 0 } }
        for (p, directions) in ProbeDirections.draw(probes, groups: counts).enumerated() {
            for (g, direction) in directions.enumerated() {
                let analytic = ProbeDirections.dot(direction, groups[g].map { got[$0] ?? [] })
                let numerical = derivatives[p * groups.count + g]
                let error = Tolerance.relativeError(numerical, analytic, floor: Tolerance.Fixed.directionalFloor)
                if !(error <= Tolerance.Fixed.directionalDerivative) {
                    return .fail("direction \(p + 1)\(groups.count > 1 ? " of \(groupNames[g])" : ""): the central difference of your own forward pass is "
                                 + "\(Feedback.number(numerical)), but uᵀ∇ from your gradients is \(Feedback.number(analytic)); your backward pass does not match your forward pass")
                }
            }
        }
        return .pass
    }

    /// The entries of a gradient part, row-major.
    static func values(_ answer: Answer) -> [Double]? {
        switch answer {
        case let .tensor(tensor): return tensor.storage
        case let .vector(vector): return vector.storage
        case let .matrix(matrix): return matrix.storage
        case let .scalar(value): return [value]
        default: return nil
        }
    }

    /// "[i, j, …]" for entry `offset` of a part shaped like `answer`.
    static func position(_ offset: Int, in answer: Answer) -> String {
        switch answer {
        case let .tensor(tensor): return "[" + tensor.indices(ofOffset: offset).map(String.init).joined(separator: ", ") + "]"
        case let .matrix(matrix): return "[\(offset / max(1, matrix.columns)), \(offset % max(1, matrix.columns))]"
        case .scalar: return ""
        default: return "[\(offset)]"
        }
    }
}

/// The hint for gradients that are all the reference's times one whole factor.
enum GradientScale {
    /// What to say when every entry of `got` is the reference's times one whole factor k (or 1/k): the
    /// observation always, and its cause only when the factor identifies it — the batch size m (the mean
    /// taken never, or twice), or 2 for MSE (whose ½ cancels the square's 2). Nil when the gradients are
    /// not a whole multiple of the reference's.
    static func hint(_ got: [[Double]], _ expected: [[Double]], batchSize: Int?, loss: Loss?) -> String? {
        let a = got.flatMap { $0 }, b = expected.flatMap { $0 }
        guard a.count == b.count else { return nil }
        let ratio = (a.reduce(0) { $0 + $1 * $1 } / b.reduce(0) { $0 + $1 * $1 }).squareRoot()
        guard ratio.isFinite, ratio > 0, abs(ratio - 1) > 0.01 else { return nil }
        guard ratio < 1e9, 1 / ratio < 1e9 else { return nil }
        let whole = ratio >= 1 ? ratio.rounded() : 1 / (1 / ratio).rounded()
        guard abs(whole - ratio) <= Tolerance.Fixed.mistakeMatch * ratio, whole.isFinite, whole > 0 else { return nil }
        // Proportional entry by entry, not only in norm.
        let scale = b.map(abs).max() ?? 0
        for (x, y) in zip(a, b) where abs(x - whole * y) > Tolerance.Fixed.mistakeMatch * whole * scale { return nil }
        let factor = whole >= 1 ? "\(Int(whole)) times" : "1/\(Int((1 / whole).rounded())) of"
        let observed = "every entry of your gradients is \(factor) the reference's"
        if let batchSize, whole >= 1, Int(whole) == batchSize {
            return observed + ", and \(batchSize) is the batch size: average the loss over the batch (divide by m) exactly once"
        }
        if let batchSize, whole < 1, Int((1 / whole).rounded()) == batchSize { return observed + ", and \(batchSize) is the batch size: you divide by m twice" }
        if whole == 2, loss == .mse { return observed + ": the course's MSE is ½‖ŷ − y‖² averaged over the batch, whose gradient (ŷ − y)/m has no factor 2" }
        return observed
    }
}
