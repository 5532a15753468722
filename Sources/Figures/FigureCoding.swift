import Foundation

/// How figures are stored: JSON whose numbers keep single precision (enough to draw), with
/// non-finite values written as strings, so that a diverging student's iterates can be stored too.
public enum FigureCoding {
    /// The encoder of stored figures and of the reports that hold them: non-finite numbers as strings, keys sorted.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The decoder of what `encoder()` wrote.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Encodes `figures`, each number rounded to single precision.
    public static func encode(_ figures: [Figure]) throws -> String {
        String(decoding: try encoder().encode(figures.map(\.compacted)), as: UTF8.self)
    }

    /// `figure` as JSON at full precision, for comparing figures.
    static func exact(_ figure: Figure) throws -> Data {
        try encoder().encode(figure)
    }

    /// The figures stored in `text`.
    public static func decode(_ text: String) throws -> [Figure] {
        try decoder().decode([Figure].self, from: Data(text.utf8))
    }

    /// `value` rounded to the nearest single-precision number (non-finite values and those beyond its range kept as they are).
    static func compact(_ value: Double) -> Double {
        guard value.isFinite, abs(value) < Double(Float.greatestFiniteMagnitude) else { return value }
        return Double(Float(value))
    }
}

extension Figure {
    /// The figure with every number rounded to single precision.
    public var compacted: Figure {
        let c = FigureCoding.compact
        func point(_ p: Point) -> Point { Point(c(p.x), c(p.y)) }
        switch self {
        case var .chart(chart):
            chart.layers = chart.layers.map { layer in
                switch layer {
                case .contours:
                    // The values are stored in steps of their range (`ContourGrid.encode(to:)`), the levels exactly.
                    return layer
                case var .path(series):
                    series.points = series.points.map(point)
                    return .path(series)
                case var .points(set):
                    set.points = set.points.map(point)
                    return .points(set)
                case .line, .bars:
                    return layer
                }
            }
            return .chart(chart)
        case var .heatMap(map):
            map.values = map.values.map(c)
            return .heatMap(map)
        case var .images(grid):
            grid.images = grid.images.map { image in
                var image = image
                // Grey levels: three digits are more than a screen shows.
                image.pixels = image.pixels.map { $0.isFinite ? ($0 * 1000).rounded() / 1000 : $0 }
                return image
            }
            return .images(grid)
        }
    }
}
