import CourseKit
import ReferenceEngine

/// The `training` check: the submission's trained network, evaluated by the reference forward pass on held-out images.
///
/// **Credit** rises continuously with the held-out accuracy: none up to `expect.partial-accuracy`
/// (default: `accuracy` − 0.05), all of it from `expect.accuracy` (default 0.95), linearly in between,
/// so a draw of the data or a tenth of a point never flips a whole grade.
///
/// **The budget** is CPU time: the call may use `seconds` × (1 + `budgetGrace`) + `budgetSlackSeconds` of
/// CPU time of the submission's process tree (measured by the sandbox's cgroup), which covers reading
/// the data and sending the answer. A call over that earns no credit, whatever its accuracy, and the
/// message says by how much it ran over. CPU time rather than wall time, so that a loaded machine
/// changes no verdict: the same code uses the same CPU time however many others run beside it.
enum TrainingCheck {
    /// The share of the budget allowed on top of it.
    static let budgetGrace = 0.1
    /// Seconds allowed on top of the budget, for reading the data and answering.
    static let budgetSlackSeconds = 1.0

    /// The CPU seconds a call budgeted `seconds` may use.
    static func allowedSeconds(_ seconds: Double) -> Double { seconds * (1 + budgetGrace) + budgetSlackSeconds }

    /// The fraction of the credit an accuracy earns (see the type's documentation).
    static func credit(accuracy: Double, expect: [String: Double]) -> Double {
        let target = expect["accuracy"] ?? 0.95
        let floor = min(expect["partial-accuracy"] ?? target - 0.05, target)
        if accuracy >= target { return 1 }
        guard accuracy > floor, target > floor else { return 0 }
        return (accuracy - floor) / (target - floor)
    }

    static func judge(_ layers: [DenseLayer], heldOut: DigitSet, expect: [String: Double], seconds: Double, cpuSeconds: Double?) -> Judgement {
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
        let percent = { (value: Double) in Feedback.number((value * 1000).rounded() / 10) + "%" }
        let time = cpuSeconds.map { " in \(Feedback.number(($0 * 10).rounded() / 10)) s of CPU time (budget \(Feedback.number(seconds)) s)" } ?? ""
        if let cpuSeconds, cpuSeconds > allowedSeconds(seconds) {
            let over = Int(((cpuSeconds / seconds - 1) * 100).rounded())
            return Judgement(passed: false, message: "train() used \(Feedback.number((cpuSeconds * 10).rounded() / 10)) s of CPU time, \(over)% over its \(Feedback.number(seconds)) s budget "
                         + "(at most \(Feedback.number(allowedSeconds(seconds))) s with the grace): no credit for a run over budget (its held-out accuracy was \(percent(accuracy)))",
                             credit: 0, measurement: accuracy)
        }
        let target = expect["accuracy"] ?? 0.95
        let earned = credit(accuracy: accuracy, expect: expect)
        if earned >= 1 { return Judgement(passed: true, message: "held-out accuracy \(percent(accuracy))\(time)", measurement: accuracy) }
        let floor = min(expect["partial-accuracy"] ?? target - 0.05, target)
        if earned > 0 {
            return Judgement(passed: false, message: "held-out accuracy \(percent(accuracy))\(time): \(Feedback.number((earned * 100).rounded() / 100)) of the credit (none at \(percent(floor)), all from \(percent(target)))", credit: earned, measurement: accuracy)
        }
        return Judgement(passed: false, message: "held-out accuracy \(percent(accuracy))\(time), not above \(percent(floor)) (credit rises from \(percent(floor)) to \(percent(target)))",
                         credit: 0, measurement: accuracy)
    }
}
