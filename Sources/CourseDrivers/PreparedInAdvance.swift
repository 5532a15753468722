import CourseKit
import Foundation
import Grader
import ReferenceEngine
import SubmissionRuntime

/// Work prepared before grading that tries to earn practical 3's training credit without learning within
/// the budget, rebuilt so the defence can be measured (`grade-bench reference-training`, the tests): what
/// each approach would score on a prepared training case.
///
/// Both are the best case of the approach, not an approximation of it: the score is computed directly
/// from what the returned model would output, so no weakness of a hand-built network lowers it.
extension Practical3Driver {
    /// For a `train` case: a classifier trained on MNIST before grading (the grader's own network, 94.7% on
    /// MNIST's test set), fitted to the case the only ways that need no training: the best of the square's
    /// 8 symmetries, and each predicted class relabelled as the class it is most often confused with, both
    /// read off the first `probe` training images. Its held-out accuracy, or nil for another kind of case.
    public func preparedNetworkScore(_ prepared: PreparedCase<Practical3Call>, probe: Int = 400) throws -> Double? {
        guard case let .train(imagesPath, labelsPath, _, _) = prepared.call,
              let scorer = prepared.evidence.first(TrainingCheck.Evidence.self)?.scorer as? HeldOutImages else { return nil }
        let network = try target.network()
        let given = try TrainingData.load(images: URL(fileURLWithPath: imagesPath), labels: URL(fileURLWithPath: labelsPath))
        let probed = given.subset(Array(0..<min(probe, given.inputs.rows)))
        func predictions(_ data: TrainingData, symmetry: Int) -> [Int] {
            let pixels = Self.symmetry(symmetry, side: 28)
            let turned = data.transformed(pixels: pixels, classes: Array(0..<10))
            return HeldOutImages.predictions(network, images: ImageBatch(rows: turned.inputs, channels: 1, height: 28, width: 28), evaluator: ReferenceModels())
        }
        var best: (symmetry: Int, relabel: [Int], correct: Int)?
        for symmetry in 0..<8 {
            var confusion = Array(repeating: Array(repeating: 0, count: 10), count: 10)
            for (predicted, label) in zip(predictions(probed, symmetry: symmetry), probed.labels) where (0..<10).contains(predicted) {
                confusion[predicted][label] += 1
            }
            let relabel = confusion.map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
            let correct = confusion.indices.reduce(0) { $0 + confusion[$1][relabel[$1]] }
            if best == nil || correct > best!.correct { best = (symmetry, relabel, correct) }
        }
        guard let best else { return nil }
        let held = scorer.images
        let predicted = predictions(held, symmetry: best.symmetry)
        let right = zip(predicted, held.labels).filter { (0..<10).contains($0) && best.relabel[$0] == $1 }.count
        return Double(right) / Double(max(1, held.labels.count))
    }

    /// For a `trainGAN` case: a generator of a fixed shape fitted in closed form, as if the modes were
    /// `modes` points evenly spaced on a circle (the ring of the literature): the radius read as the samples'
    /// mean distance from the origin and the turn from the phase of their angles times `modes`; each of
    /// `modes` equal sectors of the noise plane mapped exactly onto one centre. Its score on the case (the
    /// check's balanced sample quality), or nil for another kind of case.
    public func ringFitScore(_ prepared: PreparedCase<Practical3Call>, modes: Int = 8) -> Double? {
        guard case let .trainGAN(samples, _, _) = prepared.call,
              let scorer = prepared.evidence.first(TrainingCheck.Evidence.self)?.scorer as? GeneratorOnMixture, samples.rows > 0 else { return nil }
        var radius = 0.0, phase = (x: 0.0, y: 0.0)
        for n in 0..<samples.rows {
            let (x, y) = (samples[n, 0], samples[n, 1])
            radius += (x * x + y * y).squareRoot() / Double(samples.rows)
            let angle = Double(modes) * atan2(y, x)
            phase = (phase.x + cos(angle), phase.y + sin(angle))
        }
        let turn = atan2(phase.y, phase.x) / Double(modes)
        let ring = MixtureOfGaussians(modes: modes, radius: radius, sigma: scorer.mixture.sigma, angle: turn)
        let noise = scorer.noise
        var generated = Matrix(rows: noise.rows, columns: 2)
        for n in 0..<noise.rows {
            let angle = atan2(noise[n, min(1, noise.columns - 1)], noise[n, 0]) + Double.pi
            let sector = min(modes - 1, Int(angle / (2 * Double.pi) * Double(modes)))
            (generated[n, 0], generated[n, 1]) = ring.centres[sector]
        }
        let perMode = max(1, Int((Double(GeneratorOnMixture.samplesPerMode) * Double(noise.rows) / 2500).rounded()))
        return scorer.mixture.coverage(of: generated, perMode: perMode).balancedQuality
    }
}
