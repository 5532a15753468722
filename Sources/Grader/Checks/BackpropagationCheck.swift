import CourseKit
import SubmissionRuntime

/// The `gradient` check of backpropagation, in two parts.
///
/// 1. The submission's ∂L/∂W_l and ∂L/∂b_l against the reference's, entry by entry, with the
///    scale-aware relative error |s − r| / max(|s|, |r|, floor) (floor = 10⁻⁸ scaled by the layer's
///    largest gradient); the worst layer and parameter are named.
/// 2. Self-consistency, as torch's gradcheck fast mode does: along random unit directions u, the
///    central difference of the submission's *own* forward and loss must equal uᵀ∇L from its own
///    gradients. This catches a backward pass that does not match the student's forward even where the
///    reference would not (and is cheap for 100k parameters: two forward passes per direction).
public enum BackpropagationCheck {
    /// The evidence of a backpropagation case: the network and batch, and the probes the submission evaluated.
    public struct Subject: GradientSubject, Codable {
        let layers: [DenseLayer]
        let probes: Int
        let seed: UInt64
        let batchSize: Int
        let loss: Loss

        /// Creates the subject.
        public init(layers: [DenseLayer], probes: Int, seed: UInt64, batchSize: Int, loss: Loss) {
            self.layers = layers
            self.probes = probes
            self.seed = seed
            self.batchSize = batchSize
            self.loss = loss
        }

        public func judge(_ answer: Answer, reference: Answer, tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
            guard case let .backpropagation(expected) = reference else { return .graderFault("the reference answer is not layer gradients") }
            guard case let .backpropagation(got) = answer else { return .fail("expected layer gradients, got \(answer.kindName)") }
            return BackpropagationCheck.judge(got, reference: expected.gradients, layers: layers, probes: probes, seed: seed,
                                              batchSize: batchSize, loss: loss, tolerance: tolerance, disclosure: disclosure)
        }
    }

    static func judge(_ answer: BackpropagationAnswer, reference: [LayerGradient], layers: [DenseLayer], probes: Int, seed: UInt64,
                      batchSize: Int, loss: Loss,
                      tolerance: Tolerance, disclosure: Disclosure) -> Judgement {
        guard answer.gradients.count == reference.count else {
            return .fail("\(answer.gradients.count) layer gradients, expected \(reference.count) (one per layer, first layer first)")
        }
        var worst = (error: 0.0, place: "")
        for (l, (got, expected)) in zip(answer.gradients, reference).enumerated() {
            guard got.weights.rows == expected.weights.rows, got.weights.columns == expected.weights.columns, got.bias.count == expected.bias.count else {
                return .fail("layer \(l + 1): gradient shapes W \(got.weights.rows)×\(got.weights.columns), b \(got.bias.count); expected W \(expected.weights.rows)×\(expected.weights.columns), b \(expected.bias.count)")
            }
            let scale = max(expected.weights.storage.map(abs).max() ?? 0, expected.bias.normInfinity)
            let floor = max(Tolerance.Fixed.layerGradientFloor * scale, Tolerance.Fixed.layerGradientFloorMinimum)
            for (name, gotValues, expectedValues, columns) in [("W", got.weights.storage, expected.weights.storage, expected.weights.columns),
                                                                ("b", got.bias.storage, expected.bias.storage, 1)] {
                for i in expectedValues.indices {
                    let error = Tolerance.relativeError(gotValues[i], expectedValues[i], floor: floor)
                    if error > worst.error {
                        let place = name == "W" ? "W_\(l + 1)[\(i / columns), \(i % columns)]" : "b_\(l + 1)[\(i)]"
                        worst = (error, place)
                    }
                }
            }
        }
        if !tolerance.accepts(worst.error, 0, scale: 1) {
            var message = Feedback.gradientMismatch(at: worst.place, relativeError: worst.error, allowed: tolerance.allowance(scale: 1))
            if let hint = scaleHint(answer.gradients, reference, batchSize: batchSize, loss: loss) { message += "; " + hint }
            return .fail(message)
        }
        var rng = SeededGenerator(seed: seed)
        for (index, numerical) in answer.directionalDerivatives.prefix(probes).enumerated() {
            let direction = NetworkParameters.randomDirection(like: layers, using: &rng)
            let analytic = NetworkParameters.dot(direction, answer.gradients)
            let error = Tolerance.relativeError(numerical, analytic, floor: Tolerance.Fixed.directionalFloor)
            if !(error <= Tolerance.Fixed.directionalDerivative) {
                return .fail("direction \(index + 1): the central difference of your own forward and loss is \(Feedback.number(numerical)), but uᵀ∇L from your backward is \(Feedback.number(analytic))")
            }
        }
        return .pass
    }

    /// The hint of `GradientScale` for layer gradients.
    static func scaleHint(_ got: [LayerGradient], _ expected: [LayerGradient], batchSize: Int, loss: Loss) -> String? {
        let flat = { (gradients: [LayerGradient]) in gradients.map { $0.weights.storage + $0.bias.storage } }
        return GradientScale.hint(flat(got), flat(expected), batchSize: batchSize, loss: loss)
    }
}
