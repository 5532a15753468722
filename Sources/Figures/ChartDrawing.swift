import Foundation
import Plot

/// One chart laid out: its window on both axes, then every layer, the axes and the legend.
struct ChartDrawing {
    let chart: Chart
    let id: String

    /// Every chart's width: charts of any shape are laid out in the same width, so that a page draws them at one scale.
    static let width = 496.0
    /// A plot area's height, and the most one with equal units on both axes may take.
    static let plotHeight = 260.0, tallestPlot = 340.0
    static let margin = (left: 62.0, right: 14.0, top: 26.0, bottom: 42.0)
    /// The y axis's rotated label: its baseline this far left of the widest tick label, and at least this far
    /// from the chart's left edge.
    static let yLabelGap = 17.0, yLabelInset = 14.0
    static let titleSize = 12.0, titleLine = 15.0
    static let legendSize = 10.0, legendRow = 18.0, legendLine = 12.0, legendGap = 16.0, swatchWidth = 22.0

    /// Whether the chart draws bars, whose heights are counts.
    var hasBars: Bool { chart.layers.contains { if case .bars = $0 { return true } else { return false } } }

    /// Where the chart's parts go: the plot area (centred when equal units make it narrower than the chart),
    /// both scales, and the title's lines above.
    struct Layout {
        var left: Double
        var top: Double
        var plotWidth: Double
        var plotHeight: Double
        var x: ChartScale
        var y: ChartScale
        var titleLines: [String]
    }

    /// The layout with the plot area's left edge at least `leftMargin` from the chart's.
    func layout(leftMargin: Double) -> Layout {
        var (xWindow, yWindow) = windows()
        (xWindow, yWindow) = (ChartScale.sanitised(xWindow), ChartScale.sanitised(yWindow))
        let widest = Self.width - leftMargin - Self.margin.right
        var plotWidth = widest, plotHeight = Self.plotHeight
        if chart.equalAspect {
            // One unit as long on both axes, in a plot area at most `widest` × `tallestPlot` pixels and at least 160 × 120:
            // the window of the axis with fewer units per pixel widens around its centre.
            let (xSpan, ySpan) = (xWindow.upperBound - xWindow.lowerBound, yWindow.upperBound - yWindow.lowerBound)
            let ratio = min(max(ySpan / xSpan, 1e-6), 1e6)
            let tallest = Self.tallestPlot
            (plotWidth, plotHeight) = ratio > tallest / widest ? (tallest / ratio, tallest) : (widest, widest * ratio)
            (plotWidth, plotHeight) = (max(plotWidth, 160), max(plotHeight, 120))
            let unit = max(xSpan / plotWidth, ySpan / plotHeight)
            func widened(_ window: ClosedRange<Double>, to span: Double) -> ClosedRange<Double> {
                let centre = (window.lowerBound + window.upperBound) / 2
                return (centre - span / 2)...(centre + span / 2)
            }
            (xWindow, yWindow) = (ChartScale.sanitised(widened(xWindow, to: unit * plotWidth)),
                                  ChartScale.sanitised(widened(yWindow, to: unit * plotHeight)))
        }
        let titleLines = TextWidth.lines(chart.title, size: Self.titleSize, width: Self.width - 16)
        let top = Self.margin.top + Double(titleLines.count - 1) * Self.titleLine
        let left = leftMargin + (widest - plotWidth) / 2
        let x = ChartScale(window: xWindow, isLogarithmic: chart.x.isLogarithmic, from: left, to: left + plotWidth,
                           minimumStep: chart.x.wholeNumbers ? 1 : nil)
        let y = ChartScale(window: yWindow, isLogarithmic: chart.y.isLogarithmic, from: top + plotHeight, to: top,
                           minimumStep: chart.y.wholeNumbers || hasBars ? 1 : nil)
        return Layout(left: left, top: top, plotWidth: plotWidth, plotHeight: plotHeight, x: x, y: y, titleLines: titleLines)
    }

    /// The width of the widest tick label of `scale`.
    static func tickLabelWidth(_ scale: ChartScale) -> Double {
        scale.ticks.map { TextWidth.of(scale.label($0), size: 10) }.max() ?? 0
    }

    var markup: Markup {
        // The left margin holds the y axis's tick labels and, beside them, its rotated label: up to 169 pixels of
        // tick labels, more than a number of twelve significant digits and an exponent takes.
        var layout = layout(leftMargin: Self.margin.left)
        let needed = Self.tickLabelWidth(layout.y) + Self.yLabelGap + Self.yLabelInset
        if needed > Self.margin.left { layout = self.layout(leftMargin: min(needed, 200)) }
        let (left, top, plotWidth, plotHeight, x, y) = (layout.left, layout.top, layout.plotWidth, layout.plotHeight, layout.x, layout.y)
        let legendTop = top + plotHeight + Self.margin.bottom
        let (legend, legendBottom) = placedLegend(from: left, to: Self.width - 8, top: legendTop)
        let clip = "clip-\(id)"

        var children: [Markup] = [
            FigureSVG.element("defs", [:], [FigureSVG.element("clipPath", ["id": clip], [
                FigureSVG.element("rect", ["x": FigureSVG.px(left), "y": FigureSVG.px(top), "width": FigureSVG.px(plotWidth), "height": FigureSVG.px(plotHeight)]),
            ])]),
            FigureSVG.element("rect", ["class": "plot-area", "x": FigureSVG.px(left), "y": FigureSVG.px(top),
                                       "width": FigureSVG.px(plotWidth), "height": FigureSVG.px(plotHeight), "fill": "#ffffff", "stroke": "#adb5bd",
                                       "data-x-window": "\(x.window.lowerBound) \(x.window.upperBound)",
                                       "data-y-window": "\(y.window.lowerBound) \(y.window.upperBound)",
                                       "data-x-log": chart.x.isLogarithmic ? "true" : "false",
                                       "data-y-log": chart.y.isLogarithmic ? "true" : "false"]),
        ]
        children += axes(x: x, y: y, left: left, top: top, plotWidth: plotWidth, plotHeight: plotHeight)
        var layers: [Markup] = []
        for layer in chart.layers {
            switch layer {
            case let .contours(grid): layers.append(contours(grid, x: x, y: y))
            case let .path(series): layers.append(path(series, x: x, y: y))
            case let .points(set): layers.append(points(set, x: x, y: y))
            case let .line(line): layers.append(straightLine(line, x: x, y: y))
            case let .bars(set): layers.append(bars(set, x: x, y: y))
            }
        }
        children.append(FigureSVG.element("g", ["clip-path": "url(#\(clip))"], layers))
        children.append(FigureSVG.lines(layout.titleLines, x: Self.width / 2, y: 16, lineHeight: Self.titleLine, size: Self.titleSize,
                                        attributes: ["class": "chart-title"]))
        for entry in legend {
            children.append(FigureSVG.element("g", ["class": "legend-entry"], [
                entry.entry.swatch(entry.x, entry.y),
                FigureSVG.lines(entry.lines, x: entry.x + Self.swatchWidth, y: entry.y + 4, lineHeight: Self.legendLine, anchor: "start",
                                size: Self.legendSize),
            ]))
        }
        return FigureSVG.svg(title: chart.title, kind: "chart", width: Self.width, height: legendBottom, children)
    }

    // MARK: Windows

    /// The window on each axis: the axis's own, else the contour grid's extent, else the data's with a margin;
    /// widened on one axis so that units are equally long when asked.
    func windows() -> (ClosedRange<Double>, ClosedRange<Double>) {
        let xScale = ChartScale(window: 0...1, isLogarithmic: chart.x.isLogarithmic, from: 0, to: 1)
        let yScale = ChartScale(window: 0...1, isLogarithmic: chart.y.isLogarithmic, from: 0, to: 1)
        var xs: [Double] = [], ys: [Double] = []
        var gridWindow: (ClosedRange<Double>, ClosedRange<Double>)?
        for layer in chart.layers {
            switch layer {
            case let .contours(grid): gridWindow = (grid.x, grid.y)
            case let .path(series):
                for point in series.points { if let u = xScale.unit(point.x), let v = yScale.unit(point.y) { xs.append(u); ys.append(v) } }
            case let .points(set):
                for point in set.points { if let u = xScale.unit(point.x), let v = yScale.unit(point.y) { xs.append(u); ys.append(v) } }
            case .line: break
            case let .bars(set):
                for bar in set.bars {
                    for u in [bar.from, bar.to] { if let u = xScale.unit(u) { xs.append(u) } }
                    for v in [0, bar.height] { if let v = yScale.unit(v) { ys.append(v) } }
                }
            }
        }
        var xWindow = ChartScale.window(of: xs, margin: 0.05, logarithmic: chart.x.isLogarithmic, wholeNumbers: chart.x.wholeNumbers)
        var yWindow = ChartScale.window(of: ys, margin: 0.05, logarithmic: chart.y.isLogarithmic, wholeNumbers: chart.y.wholeNumbers)
        if let (gx, gy) = gridWindow, !chart.x.isLogarithmic, !chart.y.isLogarithmic { (xWindow, yWindow) = (gx, gy) }
        if hasBars, !chart.y.isLogarithmic {
            // Bars stand on zero; an empty histogram still has a unit of height.
            yWindow = 0...max(1, (ys.max() ?? 0) * 1.05)
        }
        if let range = chart.x.range, let low = xScale.unit(range.lowerBound), let high = xScale.unit(range.upperBound), high > low { xWindow = low...high }
        if let range = chart.y.range, let low = yScale.unit(range.lowerBound), let high = yScale.unit(range.upperBound), high > low { yWindow = low...high }
        return (xWindow, yWindow)
    }

    // MARK: Axes

    func axes(x: ChartScale, y: ChartScale, left: Double, top: Double, plotWidth: Double, plotHeight: Double) -> [Markup] {
        var marks: [Markup] = []
        for tick in x.ticks {
            guard let p = pixel(x, unit: tick) else { continue }
            marks.append(FigureSVG.element("line", ["x1": FigureSVG.px(p), "x2": FigureSVG.px(p), "y1": FigureSVG.px(top), "y2": FigureSVG.px(top + plotHeight),
                                                    "stroke": "#f1f3f5"]))
            marks.append(FigureSVG.label(x.label(tick), x: p, y: top + plotHeight + 14, size: 10))
        }
        for tick in y.ticks {
            guard let p = pixel(y, unit: tick) else { continue }
            marks.append(FigureSVG.element("line", ["x1": FigureSVG.px(left), "x2": FigureSVG.px(left + plotWidth), "y1": FigureSVG.px(p), "y2": FigureSVG.px(p),
                                                    "stroke": "#f1f3f5"]))
            marks.append(FigureSVG.label(y.label(tick), x: left - 5, y: p + 3.5, anchor: "end", size: 10))
        }
        marks.append(FigureSVG.label(chart.x.label, x: left + plotWidth / 2, y: top + plotHeight + 32, size: 11))
        // Beside the widest tick label, never over it.
        marks.append(FigureSVG.label(chart.y.label, x: left - Self.yLabelGap - Self.tickLabelWidth(y), y: top + plotHeight / 2, rotate: true))
        return [FigureSVG.element("g", ["class": "axes"], marks)]
    }

    /// The pixel of a tick given in axis units, if inside the window.
    func pixel(_ scale: ChartScale, unit: Double) -> Double? {
        guard scale.window.contains(unit) else { return nil }
        let t = (unit - scale.window.lowerBound) / (scale.window.upperBound - scale.window.lowerBound)
        return scale.from + t * (scale.to - scale.from)
    }

    // MARK: Layers

    func contours(_ grid: ContourGrid, x: ChartScale, y: ChartScale) -> Markup {
        var lines: [Markup] = []
        for (index, level) in grid.levels.enumerated() {
            var d = ""
            for (a, b) in Contours.segments(of: grid, at: level) {
                guard let ax = x.pixel(a.x), let ay = y.pixel(a.y), let bx = x.pixel(b.x), let by = y.pixel(b.y) else { continue }
                d += "M\(FigureSVG.px(ax)) \(FigureSVG.px(ay))L\(FigureSVG.px(bx)) \(FigureSVG.px(by))"
            }
            guard !d.isEmpty else { continue }
            let t = Double(index) / Double(max(grid.levels.count - 1, 1))
            let grey = Int((150 + 70 * t).rounded())
            lines.append(FigureSVG.element("path", ["class": "contour", "d": d, "fill": "none", "stroke": String(format: "#%02x%02x%02x", grey, grey, grey),
                                                    "stroke-width": "0.8", "data-level": ChartScale.number(level)]))
        }
        return FigureSVG.element("g", ["class": "contours"], lines)
    }

    func path(_ series: Series, x: ChartScale, y: ChartScale) -> Markup {
        let colour = FigureSVG.colour(series.role)
        // A point that cannot be drawn (not finite, not positive on a log axis) breaks the line.
        var runs: [[(Double, Double)]] = [[]]
        for point in series.points {
            if let px = x.pixel(point.x), let py = y.pixel(point.y) { runs[runs.count - 1].append((px, py)) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        var parts: [Markup] = []
        for run in runs where !run.isEmpty {
            parts.append(FigureSVG.element("polyline", [
                "class": "series \(series.role.rawValue)", "data-name": series.name,
                "points": run.map { "\(FigureSVG.px($0.0)),\(FigureSVG.px($0.1))" }.joined(separator: " "),
                "fill": "none", "stroke": colour, "stroke-width": series.role == .student ? "2" : "1.6",
                "stroke-dasharray": series.role == .reference ? "5 3" : "",
            ]))
        }
        let drawn = runs.flatMap { $0 }
        let marked = series.markers ? (drawn.count <= 80 ? drawn : [drawn.first!, drawn.last!]) : []
        for (px, py) in marked {
            parts.append(FigureSVG.element("circle", ["cx": FigureSVG.px(px), "cy": FigureSVG.px(py), "r": series.role == .student ? "2.6" : "2",
                                                      "fill": colour]))
        }
        return FigureSVG.element("g", ["class": "path"], parts)
    }

    func points(_ set: PointSet, x: ChartScale, y: ChartScale) -> Markup {
        var dots: [Markup] = []
        for (index, point) in set.points.enumerated() {
            guard let px = x.pixel(point.x), let py = y.pixel(point.y) else { continue }
            let kind = index < set.classes.count ? set.classes[index] : 0
            let colour = FigureSVG.classColours[((kind % FigureSVG.classColours.count) + FigureSVG.classColours.count) % FigureSVG.classColours.count]
            dots.append(FigureSVG.element("circle", ["class": "point class-\(kind)", "cx": FigureSVG.px(px), "cy": FigureSVG.px(py), "r": "3",
                                                     "fill": kind % 2 == 0 ? colour : "#ffffff", "stroke": colour, "stroke-width": "1.4"]))
        }
        return FigureSVG.element("g", ["class": "points"], dots)
    }

    func straightLine(_ line: StraightLine, x: ChartScale, y: ChartScale) -> Markup {
        guard !x.isLogarithmic, !y.isLogarithmic, line.a.isFinite, line.b.isFinite, line.c.isFinite, line.a != 0 || line.b != 0 else {
            return FigureSVG.element("g", ["class": "line-not-drawn", "data-name": line.name])
        }
        // Where a·x + b·y + c = 0 crosses the window's edges.
        let (x0, x1, y0, y1) = (x.window.lowerBound, x.window.upperBound, y.window.lowerBound, y.window.upperBound)
        var ends: [Point] = []
        if line.b != 0 {
            for u in [x0, x1] { let v = -(line.a * u + line.c) / line.b; if v >= y0, v <= y1 { ends.append(Point(u, v)) } }
        }
        if line.a != 0 {
            for v in [y0, y1] { let u = -(line.b * v + line.c) / line.a; if u >= x0, u <= x1 { ends.append(Point(u, v)) } }
        }
        guard ends.count >= 2, let first = ends.first, let last = ends.max(by: { hypot($0.x - first.x, $0.y - first.y) < hypot($1.x - first.x, $1.y - first.y) }),
              let ax = x.pixel(first.x), let ay = y.pixel(first.y), let bx = x.pixel(last.x), let by = y.pixel(last.y) else {
            return FigureSVG.element("g", ["class": "line-not-drawn", "data-name": line.name])
        }
        return FigureSVG.element("line", ["class": "boundary \(line.role.rawValue)", "data-name": line.name,
                                          "x1": FigureSVG.px(ax), "y1": FigureSVG.px(ay), "x2": FigureSVG.px(bx), "y2": FigureSVG.px(by),
                                          "stroke": FigureSVG.colour(line.role), "stroke-width": "2",
                                          "stroke-dasharray": line.role == .reference ? "6 3" : ""])
    }

    func bars(_ set: BarSet, x: ChartScale, y: ChartScale) -> Markup {
        var rects: [Markup] = []
        for bar in set.bars where bar.height > 0 {
            guard let x0 = x.pixel(bar.from), let x1 = x.pixel(bar.to), let top = y.pixel(bar.height), let bottom = y.pixel(0) else { continue }
            rects.append(FigureSVG.element("rect", ["class": "bar", "x": FigureSVG.px(min(x0, x1) + 0.5), "y": FigureSVG.px(min(top, bottom)),
                                                    "width": FigureSVG.px(max(abs(x1 - x0) - 1, 0.5)), "height": FigureSVG.px(abs(bottom - top)),
                                                    "fill": set.role == .neutral ? "#4c6ef5" : FigureSVG.colour(set.role),
                                                    "data-from": ChartScale.number(bar.from), "data-to": ChartScale.number(bar.to),
                                                    "data-height": ChartScale.number(bar.height)]))
        }
        return FigureSVG.element("g", ["class": "bars", "data-name": set.name], rects)
    }

    // MARK: Legend

    struct LegendEntry {
        let name: String
        let swatch: (Double, Double) -> Markup
    }

    /// A legend entry placed: its swatch at (`x`, `y`), its name in lines.
    struct PlacedEntry {
        let entry: LegendEntry
        let x: Double
        let y: Double
        let lines: [String]
    }

    /// The legend's entries left to right from `left`, on as many rows as keep each within `right` (a name
    /// wider than a whole row goes on over lines of its own), and where the last row ends.
    func placedLegend(from left: Double, to right: Double, top: Double) -> ([PlacedEntry], bottom: Double) {
        var placed: [PlacedEntry] = []
        var (x, rowTop, rowHeight) = (left, top, 0.0)
        for entry in legendEntries() {
            let lines = TextWidth.lines(entry.name, size: Self.legendSize, width: right - left - Self.swatchWidth)
            let width = Self.swatchWidth + (lines.map { TextWidth.of($0, size: Self.legendSize) }.max() ?? 0)
            if x > left, x + width > right { (x, rowTop, rowHeight) = (left, rowTop + rowHeight, 0) }
            placed.append(PlacedEntry(entry: entry, x: x, y: rowTop + 2, lines: lines))
            x += width + Self.legendGap
            rowHeight = max(rowHeight, Self.legendRow + Double(lines.count - 1) * Self.legendLine)
        }
        return (placed, rowTop + rowHeight)
    }

    func legendEntries() -> [LegendEntry] {
        var entries: [LegendEntry] = []
        func stroke(_ name: String, _ role: SeriesRole) {
            // A series without a name (one of several alike) has no entry of its own.
            guard !name.isEmpty else { return }
            entries.append(LegendEntry(name: name) { x, y in
                FigureSVG.element("line", ["x1": FigureSVG.px(x), "x2": FigureSVG.px(x + 16), "y1": FigureSVG.px(y), "y2": FigureSVG.px(y),
                                           "stroke": FigureSVG.colour(role), "stroke-width": "2", "stroke-dasharray": role == .reference ? "5 3" : ""])
            })
        }
        for layer in chart.layers {
            switch layer {
            case let .path(series): stroke(series.name, series.role)
            case let .line(line): stroke(line.name, line.role)
            case .bars: break
            case let .points(set):
                for (kind, name) in set.classNames.enumerated() {
                    let colour = FigureSVG.classColours[kind % FigureSVG.classColours.count]
                    entries.append(LegendEntry(name: name) { x, y in
                        FigureSVG.element("circle", ["cx": FigureSVG.px(x + 8), "cy": FigureSVG.px(y), "r": "3.5",
                                                     "fill": kind % 2 == 0 ? colour : "#ffffff", "stroke": colour, "stroke-width": "1.4"])
                    })
                }
            case .contours:
                entries.append(LegendEntry(name: "level lines of f") { x, y in
                    FigureSVG.element("line", ["x1": FigureSVG.px(x), "x2": FigureSVG.px(x + 16), "y1": FigureSVG.px(y), "y2": FigureSVG.px(y),
                                               "stroke": "#aaaaaa", "stroke-width": "1"])
                })
            }
        }
        return entries
    }
}
