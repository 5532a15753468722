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
enum BackpropagationCheck {
    static func judge(_ answer: BackpropagationAnswer, reference: [LayerGradient], layers: [DenseLayer], probes: Int, seed: UInt64,
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
            let floor = max(1e-8 * scale, 1e-12)
            for (name, gotValues, expectedValues, columns) in [("W", got.weights.storage, expected.weights.storage, expected.weights.columns),
                                                                ("b", got.bias.storage, expected.bias.storage, 1)] {
                for i in expectedValues.indices {
                    let error = gotValues[i].isFinite ? abs(gotValues[i] - expectedValues[i]) / max(abs(gotValues[i]), abs(expectedValues[i]), floor) : .infinity
                    if error > worst.error {
                        let place = name == "W" ? "W_\(l + 1)[\(i / columns), \(i % columns)]" : "b_\(l + 1)[\(i)]"
                        worst = (error, place)
                    }
                }
            }
        }
        if !tolerance.accepts(worst.error, 0, scale: 1) {
            var message = "your gradients differ from the reference's: worst at \(worst.place), relative error \(Feedback.number(worst.error))"
            let ratio = ratioOfNorms(answer.gradients, reference)
            if ratio.isFinite, abs(ratio - 1) > 0.01, abs(ratio - ratio.rounded()) < 1e-6 * ratio {
                message += "; your gradients are \(Int(ratio.rounded())) times the reference's: average the loss over the batch (divide by m) exactly once"
            }
            return .fail(message)
        }
        var rng = SeededGenerator(seed: seed)
        for (index, numerical) in answer.directionalDerivatives.prefix(probes).enumerated() {
            let direction = NetworkParameters.randomDirection(like: layers, using: &rng)
            let analytic = NetworkParameters.dot(direction, answer.gradients)
            let error = abs(numerical - analytic) / max(abs(numerical), abs(analytic), 1e-8)
            if !(error <= 1e-4) {
                return .fail("direction \(index + 1): the central difference of your own forward and loss is \(Feedback.number(numerical)), but uᵀ∇L from your backward is \(Feedback.number(analytic))")
            }
        }
        return .pass
    }

    /// ‖submission‖ / ‖reference‖ over all parameters.
    static func ratioOfNorms(_ a: [LayerGradient], _ b: [LayerGradient]) -> Double {
        NetworkParameters.dot(a, a).squareRoot() / NetworkParameters.dot(b, b).squareRoot()
    }
}
