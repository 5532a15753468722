import CourseKit
import Figures
import Foundation

/// The pictures of an optimiser's run: the student's iterates and the reference's over the contour
/// lines of f (in two dimensions), and ‖∇f(x_k)‖ against k on a log scale, captioned with what the
/// practical that draws them teaches about the method.
public enum OptimisationFigures {
    /// At most this many points of a series are kept (the first ones, then evenly spaced ones, and the last).
    public static let pointLimit = 300

    /// What to look for in the figures of one method's run, in the words of the practical that teaches it.
    public struct Captions: Sendable, Equatable {
        /// What the path over the level lines of f shows, after "Each dot is an iterate x_k, from x_0."
        public var path: String
        /// What the curve of ‖∇f(x_k)‖ against k on a log scale shows.
        public var gradientNorms: String

        /// The captions of a method's figures.
        public init(path: String, gradientNorms: String) {
            self.path = path
            self.gradientNorms = gradientNorms
        }
    }

    /// The figures of `student`'s and `reference`'s iterates of `method` on `f`, with `captions`.
    public static func figures(of method: String, on f: any Objective, student: [Vector], reference: [Vector], captions: Captions) -> [Figure] {
        let n = f.dimension
        // The shape check held every iterate to n coordinates; a figure never relies on it.
        let mine = student.filter { $0.count == n }, theirs = reference.filter { $0.count == n }
        guard !theirs.isEmpty else { return [] }
        var figures: [Figure] = []
        if n == 2 { figures.append(.chart(contours(of: method, on: f, student: mine, reference: theirs, caption: captions.path))) }
        if n > 2 { figures.append(.chart(projection(of: method, dimension: n, student: mine, reference: theirs))) }
        figures.append(.chart(gradientNorms(of: method, on: f, student: mine, reference: theirs, caption: captions.gradientNorms)))
        return figures
    }

    /// The indices of a series of `count` points that are drawn: all of them up to `pointLimit`, else the
    /// first third of the limit, evenly spaced ones after, and the last.
    public static func drawnIndices(_ count: Int) -> [Int] {
        guard count > pointLimit else { return Array(0..<count) }
        let head = pointLimit / 3
        let rest = pointLimit - head - 1
        var indices = Array(0..<head)
        for i in 0..<rest { indices.append(head + (count - 1 - head) * i / rest) }
        indices.append(count - 1)
        return indices
    }

    static func contours(of method: String, on f: any Objective, student: [Vector], reference: [Vector], caption: String) -> Chart {
        let window = Self.window(reference: reference, student: student)
        let grid = ContourGrid.sampling({ f.value(at: Vector([$0, $1])) }, x: window.x, y: window.y)
        func path(_ iterates: [Vector]) -> [Point] { drawnIndices(iterates.count).map { Point(iterates[$0][0], iterates[$0][1]) } }
        // The student's path under the reference's dashed one, so that both show where they agree.
        var layers: [ChartLayer] = [.contours(grid)]
        if !student.isEmpty { layers.append(.path(Series(name: "your iterates", role: .student, points: path(student)))) }
        layers.append(.path(Series(name: "reference", role: .reference, points: path(reference))))
        return Chart(title: "\(method): iterates over the level lines of f",
                     caption: "Each dot is an iterate x_k, from x_0. " + caption,
                     x: Axis("x₁"), y: Axis("x₂"), equalAspect: true, layers: layers)
    }

    /// The path of the first two coordinates, for a problem in more than two dimensions.
    static func projection(of method: String, dimension: Int, student: [Vector], reference: [Vector]) -> Chart {
        func path(_ iterates: [Vector]) -> [Point] { drawnIndices(iterates.count).map { Point(iterates[$0][0], iterates[$0][1]) } }
        var layers: [ChartLayer] = []
        if !student.isEmpty { layers.append(.path(Series(name: "your iterates", role: .student, points: path(student)))) }
        layers.append(.path(Series(name: "reference", role: .reference, points: path(reference))))
        return Chart(title: "\(method): the path of (x₁, x₂)",
                     caption: "The first two of the \(dimension) coordinates of each iterate, from x_0: where the paths part, the steps differ.",
                     x: Axis("x₁"), y: Axis("x₂"), layers: layers)
    }

    /// The window of the contour plot: around the reference's iterates, widened to the student's where they
    /// stay within three times that extent (further ones leave the plot, drawn towards where they go).
    static func window(reference: [Vector], student: [Vector]) -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        func extent(_ points: [Vector]) -> (ClosedRange<Double>, ClosedRange<Double>)? {
            let finite = points.filter { $0[0].isFinite && $0[1].isFinite }
            guard let x0 = finite.map({ $0[0] }).min(), let x1 = finite.map({ $0[0] }).max(),
                  let y0 = finite.map({ $0[1] }).min(), let y1 = finite.map({ $0[1] }).max() else { return nil }
            return (x0...x1, y0...y1)
        }
        var (x, y) = extent(reference) ?? (-1...1, -1...1)
        // At least half a unit (more far from the origin), so that a run of one or two iterates still shows the landscape.
        let span = max(x.upperBound - x.lowerBound, y.upperBound - y.lowerBound,
                       0.5 * max(1, abs(x.lowerBound), abs(x.upperBound), abs(y.lowerBound), abs(y.upperBound)) * (reference.count <= 2 ? 1 : 1e-6))
        let reach = (x: (x.lowerBound - span)...(x.upperBound + span), y: (y.lowerBound - span)...(y.upperBound + span))
        if let (sx, sy) = extent(student.filter { reach.x.contains($0[0]) && reach.y.contains($0[1]) }) {
            x = min(x.lowerBound, sx.lowerBound)...max(x.upperBound, sx.upperBound)
            y = min(y.lowerBound, sy.lowerBound)...max(y.upperBound, sy.upperBound)
        }
        let pad = 0.15 * max(x.upperBound - x.lowerBound, y.upperBound - y.lowerBound, span)
        return ((x.lowerBound - pad)...(x.upperBound + pad), (y.lowerBound - pad)...(y.upperBound + pad))
    }

    static func gradientNorms(of method: String, on f: any Objective, student: [Vector], reference: [Vector], caption: String) -> Chart {
        func norms(_ iterates: [Vector]) -> [Point] {
            drawnIndices(iterates.count).map { k in Point(Double(k), f.gradient(at: iterates[k]).norm) }
        }
        var layers: [ChartLayer] = []
        if !student.isEmpty { layers.append(.path(Series(name: "your iterates", role: .student, points: norms(student), markers: student.count <= 80))) }
        layers.append(.path(Series(name: "reference", role: .reference, points: norms(reference), markers: reference.count <= 80)))
        return Chart(title: "\(method): ‖∇f(x_k)‖ against k",
                     caption: caption,
                     x: Axis("iteration k", wholeNumbers: true), y: Axis("‖∇f(x_k)‖", logarithmic: true), layers: layers)
    }
}

/// The picture of a linear classifier in two dimensions: the points by label, and the student's and the
/// reference's boundary w·x + b = 0.
public enum ClassifierFigures {
    /// At most this many points are drawn.
    public static let pointLimit = 400

    /// The figure of `student`'s and `reference`'s units on `inputs` (2 columns) with `labels`, or nil when the inputs are not 2-D.
    public static func boundary(of method: String, inputs: Matrix, labels: Vector, student: LinearUnit, reference: LinearUnit) -> Figure? {
        guard inputs.columns == 2, inputs.rows == labels.count, inputs.rows > 0 else { return nil }
        let rows = Array(0..<min(inputs.rows, pointLimit))
        let points = rows.map { Point(inputs[$0, 0], inputs[$0, 1]) }
        let negative = labels.contains { $0 < 0 } ? "label −1" : "label 0"
        let set = PointSet(classNames: [negative, "label +1"], points: points, classes: rows.map { labels[$0] > 0 ? 1 : 0 })
        var layers: [ChartLayer] = [.points(set)]
        func line(_ unit: LinearUnit, _ name: String, _ role: SeriesRole) -> ChartLayer? {
            guard unit.weights.count == 2 else { return nil }
            return .line(StraightLine(name: name, role: role, a: unit.weights[0], b: unit.weights[1], c: unit.bias))
        }
        layers += [line(student, "your boundary", .student), line(reference, "reference boundary", .reference)].compactMap { $0 }
        return .chart(Chart(title: "\(method): decision boundary w·x + b = 0",
                            caption: "Points on one side of the line are classified +1, on the other side the other label.",
                            x: Axis("x₁"), y: Axis("x₂"), equalAspect: true, layers: layers))
    }
}
