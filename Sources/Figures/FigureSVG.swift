import Foundation
import Plot

/// A piece of an HTML page's body (Plot's node), which figures are drawn as.
public typealias Markup = Node<HTML.BodyContext>

/// Draws figures as inline SVG: self-contained (no script, font or file from elsewhere), readable on a
/// phone (it scales to the page's width, every figure of a page at one scale) and printed. Titles and
/// legends are broken into lines that fit the drawing (`TextWidth`), never clipped or run together.
///
/// What a test or a reader can check in the drawing: every chart's plot area is a `rect` of class
/// `plot-area` with `data-x-window` and `data-y-window` (the window in axis units, "low high", log₁₀ on a
/// logarithmic axis, with `data-x-log`/`data-y-log`); every series is a `polyline` of class `series` and
/// its role, named in `data-name`, whose pixels map back to the data through that window.
public enum FigureSVG {
    /// The colour of each role's series.
    static func colour(_ role: SeriesRole) -> String {
        switch role {
        case .student: return "#d9480f"
        case .reference: return "#1c4e9e"
        case .neutral: return "#495057"
        }
    }

    /// The colours of classes in a point set.
    static let classColours = ["#0b7285", "#c2255c", "#5c940d", "#862e9c", "#e67700", "#364fc7"]

    /// `figure` as an `svg` element; `id` must be unique on the page (it names the clipping area).
    public static func markup(_ figure: Figure, id: String) -> Markup {
        switch figure {
        case let .chart(chart): return ChartDrawing(chart: chart, id: id).markup
        case let .heatMap(map): return heatMap(map)
        case let .images(grid): return images(grid)
        }
    }

    /// `figure` as SVG text.
    public static func render(_ figure: Figure, id: String) -> String { markup(figure, id: id).render() }

    // MARK: Elements

    /// An element with attributes (escaped) and children; always closed with its end tag, which HTML's
    /// parser requires inside `svg`.
    static func element(_ name: String, _ attributes: KeyValuePairs<String, String>, _ children: [Markup] = []) -> Markup {
        .element(named: name, nodes: attributes.map { Markup.attribute(named: $0.key, value: Escaping.attribute($0.value)) } + children)
    }

    /// A text element at (`x`, `y`).
    static func label(_ text: String, x: Double, y: Double, anchor: String = "middle", size: Int = 11, rotate: Bool = false,
                      colour: String = "#212529") -> Markup {
        let transform = rotate ? "rotate(-90 \(px(x)) \(px(y)))" : ""
        return element("text", ["x": px(x), "y": px(y), "text-anchor": anchor, "font-size": "\(size)", "fill": colour, "transform": transform],
                       [.text(Escaping.text(text))])
    }

    /// A text element of several `lines`, the first with its baseline at `y`, each next `lineHeight` below.
    static func lines(_ lines: [String], x: Double, y: Double, lineHeight: Double, anchor: String = "middle", size: Double,
                      attributes: KeyValuePairs<String, String> = [:]) -> Markup {
        let spans = lines.enumerated().map { index, line in
            element("tspan", ["x": px(x), "dy": index == 0 ? "0" : px(lineHeight)], [.text(Escaping.text(line))])
        }
        let own = attributes.map { Markup.attribute(named: $0.key, value: Escaping.attribute($0.value)) }
        return element("text", ["x": px(x), "y": px(y), "text-anchor": anchor, "font-size": px(size), "fill": "#212529"], own + spans)
    }

    /// A pixel coordinate, to a tenth.
    static func px(_ value: Double) -> String { String(format: "%.1f", value) }

    /// The width a page lays every figure out against: a chart's (`ChartDrawing.width`). A figure's `width`
    /// attribute is its share of it, so that a page draws all its figures at one scale, whatever their shape
    /// (one wider than a chart is drawn as wide as its column).
    static let referenceWidth = ChartDrawing.width

    /// The outer `svg` element of a figure `width × height` pixels wide, titled for screen readers.
    static func svg(title: String, kind: String, width: Double, height: Double, _ children: [Markup]) -> Markup {
        element("svg", ["xmlns": "http://www.w3.org/2000/svg", "class": "figure \(kind)", "viewBox": "0 0 \(px(width)) \(px(height))",
                        "width": String(format: "%.2f%%", min(width / referenceWidth, 1) * 100),
                        "role": "img", "font-family": "sans-serif"],
                [element("title", [:], [.text(Escaping.text(title))])] + children)
    }

    // MARK: Heat maps

    static func heatMap(_ map: HeatMap) -> Markup {
        let (rows, columns) = (map.rowLabels.count, map.columnLabels.count)
        guard rows > 0, columns > 0, rows <= 1_000, columns <= 1_000, map.values.count == rows * columns else { return unusable(map.title) }
        let cell = max(14, min(36, 360 / Double(max(rows, columns))))
        let (left, top) = (64.0, 40.0)
        let width = left + Double(columns) * cell + 12, height = top + Double(rows) * cell + 12
        let finite = map.values.filter(\.isFinite)
        let high = max(finite.map(abs).max() ?? 1, 1e-300)
        var children: [Markup] = [
            label(map.columnAxis, x: left + Double(columns) * cell / 2, y: 12, size: 11),
            label(map.rowAxis, x: 12, y: top + Double(rows) * cell / 2, rotate: true),
        ]
        for (column, name) in map.columnLabels.enumerated() {
            children.append(label(name, x: left + (Double(column) + 0.5) * cell, y: top - 6, size: 10))
        }
        for (row, name) in map.rowLabels.enumerated() {
            children.append(label(name, x: left - 6, y: top + (Double(row) + 0.5) * cell + 4, anchor: "end", size: 10))
            for column in 0..<columns {
                let value = map.values[row * columns + column]
                let shade = value.isFinite ? min(abs(value) / high, 1) : 0
                let x = left + Double(column) * cell, y = top + Double(row) * cell
                children.append(element("rect", ["class": "cell", "x": px(x), "y": px(y), "width": px(cell), "height": px(cell),
                                                  "fill": blend(shade), "stroke": "#dee2e6", "data-value": ChartScale.number(value)]))
                if map.showsValues, cell >= 18 {
                    let text = value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : ChartScale.number(value)
                    children.append(label(text, x: x + cell / 2, y: y + cell / 2 + 4, size: cell >= 28 ? 10 : 8,
                                          colour: shade > 0.55 ? "#ffffff" : "#212529"))
                }
            }
        }
        return svg(title: map.title, kind: "heat-map", width: width, height: height, children)
    }

    /// White to deep blue as `t` goes from 0 to 1.
    static func blend(_ t: Double) -> String {
        let (r, g, b) = (255 - 227 * t, 255 - 178 * t, 255 - 97 * t)
        return String(format: "#%02x%02x%02x", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }

    // MARK: Image grids

    static func images(_ grid: ImageGrid) -> Markup {
        let (w, h) = (grid.width, grid.height)
        guard w > 0, h > 0, w <= 16_384, h <= 16_384, w * h <= 16_384, grid.perRow > 0, !grid.images.isEmpty,
              grid.images.allSatisfy({ $0.pixels.count == w * h }) else { return unusable(grid.title) }
        let scale = max(1, 84 / Double(max(w, h)))
        let (tileW, tileH) = (Double(w) * scale, Double(h) * scale)
        let gap = 10.0, captionHeight = 16.0
        let perRow = min(grid.perRow, grid.images.count)
        let rowsOfImages = (grid.images.count + perRow - 1) / perRow
        let width = Double(perRow) * (tileW + gap) + gap
        let height = Double(rowsOfImages) * (tileH + captionHeight + gap) + gap
        var children: [Markup] = []
        for (index, image) in grid.images.enumerated() {
            let x0 = gap + Double(index % perRow) * (tileW + gap), y0 = gap + Double(index / perRow) * (tileH + captionHeight + gap)
            let largest = image.isSigned ? max(image.pixels.filter(\.isFinite).map(abs).max() ?? 1, 1e-12) : 1
            var runs: [Markup] = [element("rect", ["x": px(x0), "y": px(y0), "width": px(tileW), "height": px(tileH),
                                                   "fill": image.isSigned ? "#ffffff" : "#000000"])]
            for row in 0..<h {
                // Runs of one grey level, so that a digit's black background is one rectangle.
                var column = 0
                while column < w {
                    let level = quantised(image.pixels[row * w + column], signed: image.isSigned, largest: largest)
                    var end = column + 1
                    while end < w, quantised(image.pixels[row * w + end], signed: image.isSigned, largest: largest) == level { end += 1 }
                    if level != 0 {
                        runs.append(element("rect", ["x": px(x0 + Double(column) * scale), "y": px(y0 + Double(row) * scale),
                                                     "width": px(Double(end - column) * scale + 0.3), "height": px(scale + 0.3),
                                                     "fill": pixelColour(level, signed: image.isSigned)]))
                    }
                    column = end
                }
            }
            children.append(element("g", ["class": "image", "data-caption": image.caption], runs))
            children.append(label(image.caption, x: x0 + tileW / 2, y: y0 + tileH + 12, size: 10))
        }
        return svg(title: grid.title, kind: "image-grid", width: width, height: height, children)
    }

    /// A pixel's level: 0…32 for intensities (black to white), −32…32 for signed values.
    static func quantised(_ value: Double, signed: Bool, largest: Double) -> Int {
        guard value.isFinite else { return 0 }
        if signed { return Int((min(max(value / largest, -1), 1) * 32).rounded()) }
        return Int((min(max(value, 0), 1) * 32).rounded())
    }

    static func pixelColour(_ level: Int, signed: Bool) -> String {
        if signed {
            let t = Double(abs(level)) / 32
            let fade = Int((255 * (1 - t)).rounded())
            return level > 0 ? String(format: "#ff%02x%02x", fade, fade) : String(format: "#%02x%02xff", fade, fade)
        }
        let grey = Int((Double(level) / 32 * 255).rounded())
        return String(format: "#%02x%02x%02x", grey, grey, grey)
    }

    /// A small box saying the figure's data cannot be drawn (never a trap on stored data).
    static func unusable(_ title: String) -> Markup {
        svg(title: title, kind: "unusable", width: 320, height: 40,
            [label("This figure's data cannot be drawn.", x: 160, y: 24, size: 12, colour: "#868e96")])
    }
}

/// Escaping for text the page's library does not escape itself.
public enum Escaping {
    /// `text` for a text node of the page's library, which escapes `<` and `>` but keeps what looks like an
    /// entity (`&#x202E;` would reach the reader as the character): every `&` is written as `&amp;` first.
    public static func text(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
    }

    /// `value` safe inside a double-quoted attribute.
    public static func attribute(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.count)
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
