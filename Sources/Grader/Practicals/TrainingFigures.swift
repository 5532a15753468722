import CourseKit
import Figures
import Foundation

/// The pictures of a trained model on held-out data: a classifier's confusion matrix, and a generator's
/// samples over the modes of the mixture it learns.
public enum TrainingFigures {
    /// At most this many generated samples are drawn.
    public static let sampleLimit = 600

    /// The confusion matrix of `predicted` classes against `labels` (predictions outside 0..<classes are left out).
    public static func confusion(predicted: [Int], labels: [Int], classes: Int) -> Figure {
        var counts = [Double](repeating: 0, count: classes * classes)
        for (guess, truth) in zip(predicted, labels) where (0..<classes).contains(guess) && (0..<classes).contains(truth) {
            counts[truth * classes + guess] += 1
        }
        let names = (0..<classes).map(String.init)
        return .heatMap(HeatMap(title: "Confusion matrix on \(labels.count) held-out images",
                                caption: "Row: the true class; column: the class your network gave. The diagonal holds the right answers; a dark cell off it is a pair of classes your network confuses.",
                                rowAxis: "true class", columnAxis: "predicted class", rowLabels: names, columnLabels: names, values: counts))
    }

    /// `samples` (two columns) over the centres of `mixture`'s modes and their 3σ circles.
    public static func samples(_ samples: Matrix, over mixture: MixtureOfGaussians) -> Figure {
        let shown = Array(0..<min(samples.rows, sampleLimit))
        let points = shown.map { Point(samples[$0, 0], samples[$0, 1]) }
        let centres = mixture.centres.map { Point($0.x, $0.y) }
        var layers: [ChartLayer] = [.points(PointSet(classNames: ["your samples", "mode centres"], points: points + centres,
                                                     classes: Array(repeating: 0, count: points.count) + Array(repeating: 1, count: centres.count)))]
        // Each mode's 3σ circle, within which a sample counts as good.
        for (index, centre) in mixture.centres.enumerated() {
            let circle = (0...36).map { k -> Point in
                let angle = 2 * Double.pi * Double(k) / 36
                return Point(centre.x + 3 * mixture.sigma * cos(angle), centre.y + 3 * mixture.sigma * sin(angle))
            }
            layers.append(.path(Series(name: index == 0 ? "3σ circles" : "", role: .reference, points: circle, markers: false)))
        }
        let radius = mixture.centres.map { hypot($0.x, $0.y) }.max() ?? 1
        let reach = radius + 6 * mixture.sigma
        return .chart(Chart(title: "\(samples.rows) samples of your generator over the mixture's modes",
                            caption: "A good generator puts its samples inside the circles, as many in each: samples piled on a few modes are mode collapse.",
                            x: Axis("x₁", range: -reach...reach), y: Axis("x₂", range: -reach...reach), equalAspect: true, layers: layers))
    }
}
