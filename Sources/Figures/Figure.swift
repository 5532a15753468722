import Foundation

/// A picture of one graded case, as data: what the grader measured, drawn later (`FigureSVG`) without
/// regrading. Stored in the gradebook as JSON (`FigureCoding`), so every value is plain data and the
/// drawing never needs the objective, the reference engine or the submission.
public enum Figure: Codable, Sendable, Equatable {
    /// Two figures are equal when they store alike: every number equal, not-a-number included (a
    /// diverging student's figure holds some).
    public static func == (lhs: Figure, rhs: Figure) -> Bool {
        (try? FigureCoding.exact(lhs)) == (try? FigureCoding.exact(rhs))
    }

    /// Data on two axes: contour lines, paths, classified points, separating lines.
    case chart(Chart)
    /// A matrix of numbers shown as coloured cells (a confusion matrix, errors by layer).
    case heatMap(HeatMap)
    /// Small images side by side (digits, perturbations).
    case images(ImageGrid)

    /// What to look for in the figure, one or two sentences (empty when it has none).
    public var caption: String {
        switch self {
        case let .chart(chart): return chart.caption
        case let .heatMap(map): return map.caption
        case let .images(grid): return grid.caption
        }
    }

    /// The figure's title.
    public var title: String {
        switch self {
        case let .chart(chart): return chart.title
        case let .heatMap(map): return map.title
        case let .images(grid): return grid.title
        }
    }
}

/// Who a series belongs to, which decides its colour everywhere: the student's work, the reference's, or neither.
public enum SeriesRole: String, Codable, Sendable, Equatable {
    /// The submission's answer.
    case student
    /// The reference's answer.
    case reference
    /// Anything else (data, a target).
    case neutral
}

/// A point of a chart. Stored as `[x, y]`.
public struct Point: Codable, Sendable, Equatable {
    /// The abscissa.
    public var x: Double
    /// The ordinate.
    public var y: Double

    /// The point (`x`, `y`).
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }

    /// Whether both coordinates are finite.
    public var isFinite: Bool { x.isFinite && y.isFinite }

    public init(from decoder: Decoder) throws {
        var container = try decoder.unkeyedContainer()
        x = try container.decode(Double.self)
        y = try container.decode(Double.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(x)
        try container.encode(y)
    }
}

/// One axis of a chart.
public struct Axis: Codable, Sendable, Equatable {
    /// What the axis measures, such as "iteration k".
    public var label: String
    /// Whether values are drawn on a logarithmic scale (non-positive values are then left out).
    public var isLogarithmic: Bool
    /// The window shown; by default the extent of the data, with a margin.
    public var range: ClosedRange<Double>?
    /// Whether the values are counts or indices (iterations, layers, students): ticks only at whole numbers.
    public var wholeNumbers: Bool

    /// An axis.
    public init(_ label: String, logarithmic: Bool = false, range: ClosedRange<Double>? = nil, wholeNumbers: Bool = false) {
        self.label = label
        self.isLogarithmic = logarithmic
        self.range = range
        self.wholeNumbers = wholeNumbers
    }

    enum CodingKeys: String, CodingKey { case label, isLogarithmic, range, wholeNumbers }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        label = try container.decode(String.self, forKey: .label)
        isLogarithmic = try container.decode(Bool.self, forKey: .isLogarithmic)
        range = try container.decodeIfPresent(ClosedRange<Double>.self, forKey: .range)
        wholeNumbers = try container.decodeIfPresent(Bool.self, forKey: .wholeNumbers) ?? false
    }
}

/// A chart: layers drawn over two axes, with a title and a caption that says what to look at.
public struct Chart: Codable, Sendable, Equatable {
    /// The title.
    public var title: String
    /// One or two sentences under the chart.
    public var caption: String
    /// The horizontal axis.
    public var x: Axis
    /// The vertical axis.
    public var y: Axis
    /// Whether one unit is as long on both axes (contours of a function keep their shape).
    public var equalAspect: Bool
    /// What is drawn, bottom first.
    public var layers: [ChartLayer]

    /// A chart.
    public init(title: String, caption: String = "", x: Axis, y: Axis, equalAspect: Bool = false, layers: [ChartLayer]) {
        self.title = title
        self.caption = caption
        self.x = x
        self.y = y
        self.equalAspect = equalAspect
        self.layers = layers
    }
}

/// One layer of a chart.
public enum ChartLayer: Codable, Sendable, Equatable {
    /// Level lines of a function sampled on a grid.
    case contours(ContourGrid)
    /// A polyline through points, in order (iterates, a loss curve).
    case path(Series)
    /// Points coloured by class (a data set).
    case points(PointSet)
    /// The line a·x + b·y + c = 0 across the window (a decision boundary).
    case line(StraightLine)
    /// Bars standing on zero over intervals of x (a histogram).
    case bars(BarSet)
}

/// Bars over intervals of x, each as high as its count.
public struct BarSet: Codable, Sendable, Equatable {
    /// One bar.
    public struct Bar: Codable, Sendable, Equatable {
        /// Where the bar starts on x.
        public var from: Double
        /// Where it ends.
        public var to: Double
        /// Its height.
        public var height: Double

        /// A bar.
        public init(from: Double, to: Double, height: Double) {
            self.from = from
            self.to = to
            self.height = height
        }
    }

    /// The name in the legend.
    public var name: String
    /// Whose bars they are.
    public var role: SeriesRole
    /// The bars.
    public var bars: [Bar]

    /// A set of bars.
    public init(name: String, role: SeriesRole, bars: [Bar]) {
        self.name = name
        self.role = role
        self.bars = bars
    }

    /// The histogram of `values` in `bins` equal intervals of `range`, each holding its lower edge (the
    /// range's upper end counts in the last one; values outside the range are left out).
    public static func histogram(of values: [Double], range: ClosedRange<Double>, bins: Int, name: String) -> BarSet {
        let bins = max(1, bins)
        let width = (range.upperBound - range.lowerBound) / Double(bins)
        var counts = Array(repeating: 0, count: bins)
        for value in values where value.isFinite && range.contains(value) {
            let index = width > 0 ? Int(((value - range.lowerBound) / width).rounded(.down)) : 0
            counts[min(max(index, 0), bins - 1)] += 1
        }
        return BarSet(name: name, role: .neutral, bars: counts.enumerated().map { i, count in
            Bar(from: range.lowerBound + Double(i) * width, to: range.lowerBound + Double(i + 1) * width, height: Double(count))
        })
    }
}

/// A named sequence of points drawn as a polyline.
public struct Series: Codable, Sendable, Equatable {
    /// The name in the legend.
    public var name: String
    /// Whose series it is.
    public var role: SeriesRole
    /// The points, in order.
    public var points: [Point]
    /// Whether each point is marked with a dot.
    public var markers: Bool

    /// A series.
    public init(name: String, role: SeriesRole, points: [Point], markers: Bool = true) {
        self.name = name
        self.role = role
        self.points = points
        self.markers = markers
    }
}

/// Points with a class each, drawn as dots coloured by class.
public struct PointSet: Codable, Sendable, Equatable {
    /// The name of each class, in the legend; `classes` index it.
    public var classNames: [String]
    /// The points.
    public var points: [Point]
    /// The class of each point.
    public var classes: [Int]

    /// A point set; `classes` must have one entry per point.
    public init(classNames: [String], points: [Point], classes: [Int]) {
        self.classNames = classNames
        self.points = points
        self.classes = classes
    }
}

/// The line a·x + b·y + c = 0.
public struct StraightLine: Codable, Sendable, Equatable {
    /// The name in the legend.
    public var name: String
    /// Whose line it is.
    public var role: SeriesRole
    /// The coefficient of x.
    public var a: Double
    /// The coefficient of y.
    public var b: Double
    /// The constant.
    public var c: Double

    /// The line a·x + b·y + c = 0.
    public init(name: String, role: SeriesRole, a: Double, b: Double, c: Double) {
        self.name = name
        self.role = role
        self.a = a
        self.b = b
        self.c = c
    }
}

/// A function's values on a regular grid, with the levels to draw.
public struct ContourGrid: Codable, Sendable, Equatable {
    /// The abscissae of the grid's columns, from the first to the last.
    public var x: ClosedRange<Double>
    /// The ordinates of the grid's rows, from the first to the last.
    public var y: ClosedRange<Double>
    /// Columns of the grid.
    public var columns: Int
    /// Rows of the grid.
    public var rows: Int
    /// The values, row by row from the lowest ordinate, `rows × columns` of them.
    public var values: [Double]
    /// The levels whose lines are drawn.
    public var levels: [Double]

    /// A grid; `values` must hold `rows × columns` values.
    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, columns: Int, rows: Int, values: [Double], levels: [Double]) {
        self.x = x
        self.y = y
        self.columns = columns
        self.rows = rows
        self.values = values
        self.levels = levels
    }

    /// `f` sampled on a `columns × rows` grid over `x` × `y`, with `levelCount` levels between its least
    /// and greatest finite values, closer together near the least (where iterates converge).
    public static func sampling(_ f: (Double, Double) -> Double, x: ClosedRange<Double>, y: ClosedRange<Double>,
                                columns: Int = 36, rows: Int = 36, levelCount: Int = 12) -> ContourGrid {
        var values: [Double] = []
        values.reserveCapacity(columns * rows)
        for row in 0..<rows {
            let v = y.lowerBound + (y.upperBound - y.lowerBound) * Double(row) / Double(max(rows - 1, 1))
            for column in 0..<columns {
                let u = x.lowerBound + (x.upperBound - x.lowerBound) * Double(column) / Double(max(columns - 1, 1))
                values.append(f(u, v))
            }
        }
        let finite = values.filter(\.isFinite)
        var levels: [Double] = []
        if let low = finite.min(), let high = finite.max(), high > low {
            // Quadratically spaced: most lines where the function is flattest, around its minimum.
            levels = (1...levelCount).map { i in
                let t = Double(i) / Double(levelCount + 1)
                return low + (high - low) * t * t
            }
        }
        return ContourGrid(x: x, y: y, columns: columns, rows: rows, values: values, levels: levels)
    }

    /// The value at `column`, `row`.
    public func value(column: Int, row: Int) -> Double { values[row * columns + column] }

    /// Stored compactly: each value as one of 65,536 steps between the grid's least and greatest finite
    /// values (−1 for a value that is not finite), which is finer than any drawing of the lines.
    enum CodingKeys: String, CodingKey { case x, y, columns, rows, low, high, steps, levels }

    static let stepCount = 65_535.0

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let finite = values.filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 0
        let span = high - low
        try container.encode(x, forKey: .x)
        try container.encode(y, forKey: .y)
        try container.encode(columns, forKey: .columns)
        try container.encode(rows, forKey: .rows)
        try container.encode(low, forKey: .low)
        try container.encode(high, forKey: .high)
        try container.encode(values.map { value -> Int in
            guard value.isFinite else { return -1 }
            return span > 0 && span.isFinite ? Int(((value - low) / span * Self.stepCount).rounded()) : 0
        }, forKey: .steps)
        try container.encode(levels, forKey: .levels)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        x = try container.decode(ClosedRange<Double>.self, forKey: .x)
        y = try container.decode(ClosedRange<Double>.self, forKey: .y)
        columns = try container.decode(Int.self, forKey: .columns)
        rows = try container.decode(Int.self, forKey: .rows)
        let low = try container.decode(Double.self, forKey: .low), high = try container.decode(Double.self, forKey: .high)
        values = try container.decode([Int].self, forKey: .steps).map { step in
            step < 0 ? .nan : low + (high - low) * Double(step) / Self.stepCount
        }
        levels = try container.decode([Double].self, forKey: .levels)
    }
}

/// A matrix of numbers drawn as cells shaded by value.
public struct HeatMap: Codable, Sendable, Equatable {
    /// The title.
    public var title: String
    /// One or two sentences under the map.
    public var caption: String
    /// What the rows stand for, such as "true digit".
    public var rowAxis: String
    /// What the columns stand for, such as "predicted digit".
    public var columnAxis: String
    /// A label per row.
    public var rowLabels: [String]
    /// A label per column.
    public var columnLabels: [String]
    /// The values, row by row.
    public var values: [Double]
    /// Whether each cell shows its number.
    public var showsValues: Bool

    /// A heat map; `values` must hold one value per row and column.
    public init(title: String, caption: String = "", rowAxis: String, columnAxis: String, rowLabels: [String], columnLabels: [String],
                values: [Double], showsValues: Bool = true) {
        self.title = title
        self.caption = caption
        self.rowAxis = rowAxis
        self.columnAxis = columnAxis
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.showsValues = showsValues
    }
}

/// Grey-level images of one size, in a grid.
public struct ImageGrid: Codable, Sendable, Equatable {
    /// One image.
    public struct Image: Codable, Sendable, Equatable {
        /// Under the image.
        public var caption: String
        /// The pixels, row by row: in [0, 1] (black to white), or, when `isSigned`, in [−m, m] drawn from blue through white to red.
        public var pixels: [Double]
        /// Whether the pixels are signed (a perturbation) rather than intensities.
        public var isSigned: Bool

        /// An image.
        public init(caption: String, pixels: [Double], isSigned: Bool = false) {
            self.caption = caption
            self.pixels = pixels
            self.isSigned = isSigned
        }
    }

    /// The title.
    public var title: String
    /// One or two sentences under the grid.
    public var caption: String
    /// Each image's width in pixels.
    public var width: Int
    /// Each image's height in pixels.
    public var height: Int
    /// Images per row of the grid.
    public var perRow: Int
    /// The images.
    public var images: [Image]

    /// A grid of `width × height` images, `perRow` to a row.
    public init(title: String, caption: String = "", width: Int, height: Int, perRow: Int, images: [Image]) {
        self.title = title
        self.caption = caption
        self.width = width
        self.height = height
        self.perRow = perRow
        self.images = images
    }
}
