import CourseKit
import ReferenceEngine

/// The `training` check: the submission's trained network, evaluated by the reference forward pass on held-out images.
///
/// `expect: {accuracy: a}` gives full credit at accuracy ≥ a; with `partial-accuracy: p` and
/// `partial-credit: c`, an accuracy in [p, a) earns the fraction c of the case.
enum TrainingCheck {
    static func judge(_ layers: [DenseLayer], heldOut: DigitSet, expect: [String: Double], seconds: Double) -> Judgement {
        guard let first = layers.first, let last = layers.last else { return .fail("train returned no layers") }
        guard first.weights.columns == heldOut.images.columns else {
            return .fail("the first layer takes \(first.weights.columns) inputs, but images have \(heldOut.images.columns) pixels")
        }
        for (l, pair) in zip(layers, layers.dropFirst()).enumerated() where pair.0.weights.rows != pair.1.weights.columns {
            return .fail("layer \(l + 1) outputs \(pair.0.weights.rows) values but layer \(l + 2) takes \(pair.1.weights.columns)")
        }
        guard last.weights.rows == 10 else { return .fail("the last layer outputs \(last.weights.rows) scores; it must output one per digit (10)") }
        if layers.contains(where: { $0.weights.storage.contains { !$0.isFinite } || $0.bias.storage.contains { !$0.isFinite } }) {
            return .fail("the returned weights contain NaN or infinity")
        }
        let accuracy = ReferencePractical2.accuracy(layers, inputs: heldOut.images, labels: heldOut.labels)
        let target = expect["accuracy"] ?? 0.95
        let percent = { (value: Double) in Feedback.number((value * 1000).rounded() / 10) + "%" }
        if accuracy >= target { return Judgement(passed: true, message: "held-out accuracy \(percent(accuracy))") }
        if let partial = expect["partial-accuracy"], accuracy >= partial {
            let credit = expect["partial-credit"] ?? 0.5
            return Judgement(passed: false, message: "held-out accuracy \(percent(accuracy)): \(Feedback.number(credit)) of the credit (\(percent(target)) for full credit)", credit: credit)
        }
        return .fail("held-out accuracy \(percent(accuracy)), below \(percent(expect["partial-accuracy"] ?? target)) (\(percent(target)) for full credit)")
    }
}
