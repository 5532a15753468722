import CourseKit
import Figures
import Foundation
import SubmissionRuntime

/// A mixture of Gaussians of deviation σ in the plane, each mode equally likely: the 2-D data of practical
/// 3's GAN. On a ring (`init(modes:radius:sigma:angle:)`), the mixture of Metz et al., "Unrolled generative
/// adversarial networks", 2017; scattered (`scattered(modes:radius:sigma:separation:using:)`), the hidden
/// layouts graded runs draw from each student's secret.
public struct MixtureOfGaussians: Sendable {
    /// The centres, one per mode.
    public let centres: [(x: Double, y: Double)]
    /// σ, the deviation of every mode in each coordinate.
    public let sigma: Double

    /// The mixture with these centres.
    public init(centres: [(x: Double, y: Double)], sigma: Double) {
        self.centres = centres
        self.sigma = sigma
    }

    /// The mixture of `modes` modes on a circle of `radius`, the first at `angle` (radians).
    public init(modes: Int, radius: Double, sigma: Double, angle: Double) {
        self.init(centres: (0..<modes).map { k in
            let theta = angle + 2 * Double.pi * Double(k) / Double(modes)
            return (radius * cos(theta), radius * sin(theta))
        }, sigma: sigma)
    }

    /// `modes` modes at random in the disc of `radius`, each at least `separation` from every other: a layout
    /// of no fixed shape, so that no generator of a shape chosen in advance (a ring, a grid) fits it. Each
    /// centre is drawn uniformly until it keeps its distance; after 10,000 tries the rule is relaxed by 10%,
    /// so a crowded request still ends.
    public static func scattered(modes: Int, radius: Double, sigma: Double, separation: Double, using rng: inout SeededGenerator) -> MixtureOfGaussians {
        var centres: [(x: Double, y: Double)] = [], distance = separation, tries = 0
        while centres.count < modes {
            let r = radius * rng.nextUniform().squareRoot(), theta = rng.nextUniform(in: 0, 2 * Double.pi)
            let point = (x: r * cos(theta), y: r * sin(theta))
            if centres.allSatisfy({ (($0.x - point.x) * ($0.x - point.x) + ($0.y - point.y) * ($0.y - point.y)).squareRoot() >= distance }) {
                centres.append(point)
            } else {
                tries += 1
                if tries % 10_000 == 0 { distance *= 0.9 }
            }
        }
        return MixtureOfGaussians(centres: centres, sigma: sigma)
    }

    /// `count` samples, one per row, each from a mode chosen uniformly.
    public func sample(_ count: Int, using rng: inout SeededGenerator) -> Matrix {
        var samples = Matrix(rows: count, columns: 2)
        for n in 0..<count {
            let centre = centres[Int(rng.next() % UInt64(centres.count))]
            samples[n, 0] = centre.x + sigma * rng.nextGaussian()
            samples[n, 1] = centre.y + sigma * rng.nextGaussian()
        }
        return samples
    }

    /// What GAN papers report of samples of this mixture: the modes covered and the high-quality samples.
    public struct Coverage: Sendable, Equatable {
        /// The modes with at least `perMode` high-quality samples.
        public var modesCovered: Int
        /// The share of samples within 3σ of a mode's centre.
        public var highQuality: Double
        /// The share of samples within 3σ of a mode, counting for each mode at most its own share (1/modes)
        /// of the samples: 1 when every mode gets its share of good samples; a generator that collapses
        /// onto half the modes scores at most ½, however good its samples.
        public var balancedQuality: Double
    }

    /// A sample is of high quality when it lies within 3σ of its nearest centre; a mode is covered when
    /// `perMode` high-quality samples are nearest to it.
    public func coverage(of samples: Matrix, perMode: Int) -> Coverage {
        var counts = [Int](repeating: 0, count: centres.count), good = 0
        for n in 0..<samples.rows {
            let (x, y) = (samples[n, 0], samples[n, 1])
            guard x.isFinite, y.isFinite else { continue }
            var nearest = (index: 0, distance: Double.infinity)
            for (k, centre) in centres.enumerated() {
                let distance = ((x - centre.x) * (x - centre.x) + (y - centre.y) * (y - centre.y)).squareRoot()
                if distance < nearest.distance { nearest = (k, distance) }
            }
            if nearest.distance <= 3 * sigma {
                good += 1
                counts[nearest.index] += 1
            }
        }
        let total = Double(max(1, samples.rows)), share = total / Double(max(1, centres.count))
        return Coverage(modesCovered: counts.filter { $0 >= perMode }.count, highQuality: Double(good) / total,
                        balancedQuality: counts.reduce(0) { $0 + min(Double($1), share) } / total)
    }
}

/// Scores a trained generator on the mixture it learned: the `training` evidence of practical 3's GAN.
///
/// The grader maps its own noise through the generator with the reference forward pass and measures
/// the modes covered and the share of high-quality samples, as GAN papers on this mixture report them
/// (Srivastava et al., "VEEGAN", 2017: a mode is covered with at least 20 of 2,500 samples within 3σ).
/// The score is the balanced quality (`MixtureOfGaussians.Coverage.balancedQuality`): the share of
/// high-quality samples, each mode counting for at most its own share, so that both missing modes and
/// poor samples lower it; 1 for a generator that puts every sample near a centre, each mode equally often.
public struct GeneratorOnMixture: TrainedModelScorer {
    /// The mixture the training samples were drawn from.
    public let mixture: MixtureOfGaussians
    /// The noise the generator is evaluated on, one row per sample.
    public let noise: Matrix

    /// The most layers, parameters and units per layer a returned generator may have.
    public static let maximumLayers = 8, maximumParameters = 200_000, maximumWidth = 1024
    /// The high-quality samples that make a mode covered, per 2,500 samples.
    public static let samplesPerMode = 20

    /// The forward pass that maps the noise.
    public let evaluator: any ModelEvaluator

    /// Creates the scorer.
    public init(mixture: MixtureOfGaussians, noise: Matrix, evaluator: any ModelEvaluator) {
        self.mixture = mixture
        self.noise = noise
        self.evaluator = evaluator
    }

    public var metric: TrainingMetric { TrainingMetric(key: "quality", name: "sample quality") }

    /// Why `layers` is not a generator of `samples` values from noise of `noiseSize` entries within the bounds, or nil.
    public static func problem(_ layers: [DenseLayer], noiseSize: Int, samples: Int) -> String? {
        ReplyShape.network(layers, inputs: noiseSize, outputs: samples, maximumLayers: maximumLayers, maximumParameters: maximumParameters,
                           maximumWidth: maximumWidth, given: "the noise has \(noiseSize) entries")
    }

    /// The generator's samples over the mixture's modes, for a generator that can be scored.
    public func figures(_ answer: Answer) -> [Figure] {
        guard case let .layers(layers) = answer, Self.problem(layers, noiseSize: noise.columns, samples: 2) == nil,
              !TrainedModelScore.nonFinite(layers) else { return [] }
        return [TrainingFigures.samples(evaluator.outputs(of: layers, on: noise), over: mixture)]
    }

    public func score(_ answer: Answer) -> TrainedModelScore {
        guard case let .layers(layers) = answer else { return .unusable("expected the generator's layers, got \(answer.kindName)") }
        if let problem = Self.problem(layers, noiseSize: noise.columns, samples: 2) { return .unusable(problem) }
        if TrainedModelScore.nonFinite(layers) { return .nonFiniteWeights }
        let samples = evaluator.outputs(of: layers, on: noise)
        let perMode = max(1, Int((Double(Self.samplesPerMode) * Double(noise.rows) / 2500).rounded()))
        let coverage = mixture.coverage(of: samples, perMode: perMode)
        let modes = mixture.centres.count
        return .measured(coverage.balancedQuality, detail: "\(coverage.modesCovered) of \(modes) modes covered, \(Feedback.number((coverage.highQuality * 1000).rounded() / 10))% of \(noise.rows) samples within 3σ of a mode")
    }
}
