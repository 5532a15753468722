@testable import Figures
import FiguresTestSupport
import Foundation
import Testing

struct FigureSVGTests {
    @Test func aSeriesIsDrawnWhereItsDataIs() {
        let points = [Point(0, 0), Point(2.5, 1), Point(7, 4.5), Point(10, 5)]
        let chart = Chart(title: "t", x: Axis("x", range: 0...10), y: Axis("y", range: 0...5),
                          layers: [.path(Series(name: "yours", role: .student, points: points))])
        let svg = DrawnSVG(text: FigureSVG.render(.chart(chart), id: "a"))
        let drawn = svg.data(ofSeries: "yours")
        #expect(drawn.count == 1)
        #expect(drawn[0].count == 4)
        for (got, want) in zip(drawn[0], points) {
            // Pixels are written to a tenth: a tenth of a pixel is 10/420 of a unit on this axis.
            #expect(abs(got.0 - want.x) < 0.01 && abs(got.1 - want.y) < 0.01, "\(got) against \(want)")
        }
        #expect(svg.elements("circle").count == 4, "each of the four points is marked")
    }

    @Test func aLogarithmicAxisSpacesPowersOfTenEquallyAndBreaksAtZero() {
        let norms = [1.0, 0.1, 0.01, 0.001, 0, 1e-5]
        let chart = Chart(title: "‖∇f‖", x: Axis("k"), y: Axis("‖∇f(x_k)‖", logarithmic: true),
                          layers: [.path(Series(name: "yours", role: .student, points: norms.enumerated().map { Point(Double($0.offset), $0.element) }))])
        let svg = DrawnSVG(text: FigureSVG.render(.chart(chart), id: "b"))
        let runs = svg.data(ofSeries: "yours")
        #expect(runs.count == 2, "the zero norm cannot be drawn on a log scale and splits the line")
        #expect(runs[0].count == 4 && runs[1].count == 1)
        for (index, point) in runs[0].enumerated() {
            #expect(abs(log10(point.1) - log10(norms[index])) < 0.01)
        }
        let pixels = svg.elements("polyline")[0]["points"]!.split(separator: " ").map { Double($0.split(separator: ",")[1])! }
        let gaps = zip(pixels, pixels.dropFirst()).map { $1 - $0 }
        #expect(gaps.allSatisfy { abs($0 - gaps[0]) < 0.2 }, "a decade is the same height everywhere: \(gaps)")
        #expect(svg.text.contains("10⁻³"), "ticks are labelled as powers of ten")
    }

    @Test func contourLinesLieOnTheirLevelSet() {
        let grid = ContourGrid.sampling({ $0 * $0 + $1 * $1 }, x: -2...2, y: -2...2, columns: 41, rows: 41)
        #expect(grid.values.count == 41 * 41)
        #expect(grid.levels.count == 12)
        #expect(zip(grid.levels, grid.levels.dropFirst()).allSatisfy { $0 < $1 })
        let segments = Contours.segments(of: grid, at: 1)
        #expect(segments.count > 20)
        for (a, b) in segments {
            #expect(abs(hypot(a.x, a.y) - 1) < 0.01 && abs(hypot(b.x, b.y) - 1) < 0.01)
        }
        let chart = Chart(title: "f", x: Axis("x₁"), y: Axis("x₂"), equalAspect: true, layers: [.contours(grid)])
        let svg = DrawnSVG(text: FigureSVG.render(.chart(chart), id: "c"))
        #expect(svg.elements("path").filter { $0["class"] == "contour" }.count == 12)
    }

    @Test func equalAspectMakesAUnitAsLongOnBothAxes() {
        let chart = Chart(title: "path", x: Axis("x₁"), y: Axis("x₂"), equalAspect: true,
                          layers: [.path(Series(name: "yours", role: .student, points: [Point(0, 0), Point(10, 1)]))])
        let area = DrawnSVG(text: FigureSVG.render(.chart(chart), id: "d")).elements("rect").first { $0["class"] == "plot-area" }!
        let xw = area["data-x-window"]!.split(separator: " ").map { Double($0)! }
        let yw = area["data-y-window"]!.split(separator: " ").map { Double($0)! }
        let xUnit = (xw[1] - xw[0]) / Double(area["width"]!)!, yUnit = (yw[1] - yw[0]) / Double(area["height"]!)!
        #expect(abs(xUnit / yUnit - 1) < 1e-3)
    }

    @Test func aDecisionBoundaryCrossesTheWindow() {
        let set = PointSet(classNames: ["−1", "+1"], points: [Point(0, 0), Point(1, 1)], classes: [0, 1])
        let chart = Chart(title: "perceptron", x: Axis("x₁", range: 0...1), y: Axis("x₂", range: 0...1),
                          layers: [.points(set), .line(StraightLine(name: "yours", role: .student, a: 1, b: 1, c: -1))])
        let svg = DrawnSVG(text: FigureSVG.render(.chart(chart), id: "e"))
        let line = svg.elements("line").first { $0["class"] == "boundary student" }!
        // x + y = 1 runs from (0, 1) to (1, 0): the plot area's top left to its bottom right.
        let area = svg.elements("rect").first { $0["class"] == "plot-area" }!
        let (left, top) = (Double(area["x"]!)!, Double(area["y"]!)!)
        let (width, height) = (Double(area["width"]!)!, Double(area["height"]!)!)
        let ends = Set([[Double(line["x1"]!)!, Double(line["y1"]!)!], [Double(line["x2"]!)!, Double(line["y2"]!)!]].map { "\(Int($0[0].rounded())),\(Int($0[1].rounded()))" })
        #expect(ends == ["\(Int(left.rounded())),\(Int(top.rounded()))", "\(Int((left + width).rounded())),\(Int((top + height).rounded()))"])
        #expect(svg.elements("circle").filter { ($0["class"] ?? "").hasPrefix("point") }.count == 2)
    }

    @Test func valuesThatCannotBeDrawnNeverBreakTheDrawing() {
        let wild = [Point(0, 0), Point(.nan, 1), Point(1, .infinity), Point(1e300, -1e300), Point(2, 2)]
        let chart = Chart(title: "diverging", x: Axis("x"), y: Axis("y", logarithmic: true),
                          layers: [.path(Series(name: "yours", role: .student, points: wild)),
                                   .line(StraightLine(name: "l", role: .student, a: .nan, b: 1, c: 0))])
        let text = FigureSVG.render(.chart(chart), id: "f")
        #expect(!text.contains("nan") && !text.contains("inf"))
        for line in DrawnSVG(text: text).elements("polyline") {
            for number in line["points"]!.split(whereSeparator: { $0 == " " || $0 == "," }) { #expect(abs(Double(number)!) <= 20_000) }
        }
        let empty = FigureSVG.render(.heatMap(HeatMap(title: "bad", rowAxis: "r", columnAxis: "c", rowLabels: ["a"], columnLabels: ["b"], values: [])), id: "g")
        #expect(empty.contains("cannot be drawn"))
    }

    @Test func aHeatMapShadesEachCellByItsValue() {
        let map = HeatMap(title: "confusion", rowAxis: "true digit", columnAxis: "predicted digit", rowLabels: ["0", "1"], columnLabels: ["0", "1"],
                          values: [40, 2, 5, 53])
        let svg = DrawnSVG(text: FigureSVG.render(.heatMap(map), id: "h"))
        let cells = svg.elements("rect").filter { $0["class"] == "cell" }
        #expect(cells.map { $0["data-value"]! } == ["40", "2", "5", "53"])
        let darkness = cells.map { cell -> Int in
            let hex = cell["fill"]!.dropFirst()
            return 255 * 3 - stride(from: 0, to: 6, by: 2).map { Int(hex.dropFirst($0).prefix(2), radix: 16)! }.reduce(0, +)
        }
        #expect(darkness[3] > darkness[0] && darkness[0] > darkness[2] && darkness[2] > darkness[1])
        #expect(svg.text.contains(">53<"))
    }

    @Test func anImageGridDrawsEachImageItsPixelsAndCaption() {
        // A 3 × 2 image: a white bar on the top row, black below; and a signed perturbation.
        let digit = ImageGrid.Image(caption: "original", pixels: [1, 1, 1, 0, 0, 0])
        let perturbation = ImageGrid.Image(caption: "perturbation", pixels: [0.1, -0.1, 0, 0, 0, 0.1], isSigned: true)
        let svg = DrawnSVG(text: FigureSVG.render(.images(ImageGrid(title: "attack", width: 3, height: 2, perRow: 2, images: [digit, perturbation])), id: "i"))
        let groups = svg.elements("g").filter { $0["class"] == "image" }
        #expect(groups.map { $0["data-caption"]! } == ["original", "perturbation"])
        let fills = svg.elements("rect").map { $0["fill"] ?? "" }
        // The white row is one run; the perturbation has a red, a blue and a red pixel on white.
        #expect(fills.filter { $0 == "#ffffff" }.count == 2)
        #expect(fills.filter { $0 == "#ff0000" }.count == 2 && fills.filter { $0 == "#0000ff" }.count == 1)
    }

    @Test func textIsEscaped() {
        let chart = Chart(title: "<script>alert(1)</script>", x: Axis("x\" onload=\"alert(2)"), y: Axis("y"),
                          layers: [.path(Series(name: "a\"b<c>", role: .student, points: [Point(0, 0), Point(1, 1)]))])
        let text = FigureSVG.render(.chart(chart), id: "j")
        #expect(!text.contains("<script"))
        // The label is text, never an attribute of any element.
        #expect(text.range(of: "<[^>]*\\sonload=", options: .regularExpression) == nil)
        #expect(text.contains(">x\" onload=\"alert(2)</text>"))
        #expect(text.contains("data-name=\"a&quot;b&lt;c&gt;\""))
    }

    @Test func storedFiguresKeepNonFiniteValuesAndSinglePrecision() throws {
        let chart = Chart(title: "t", x: Axis("x"), y: Axis("y"),
                          layers: [.path(Series(name: "s", role: .student, points: [Point(0.1234567890123, .nan), Point(.infinity, -1e300)]))])
        let text = try FigureCoding.encode([.chart(chart)])
        let back = try FigureCoding.decode(text)
        guard case let .chart(decoded) = back[0], case let .path(series) = decoded.layers[0] else { Issue.record("not a chart"); return }
        #expect(series.points[0].x == Double(Float(0.1234567890123)))
        #expect(series.points[0].y.isNaN)
        #expect(series.points[1].x == .infinity && series.points[1].y == -1e300)
    }

    @Test func aHistogramCountsEachValueOnceAndDrawsBarsAsHighAsTheirCounts() {
        let set = BarSet.histogram(of: [0, 2, 2, 4, 20, 19.99, 21, .nan], range: 0...20, bins: 10, name: "grades")
        #expect(set.bars.map(\.height) == [1, 2, 1, 0, 0, 0, 0, 0, 0, 2], "0 in [0, 2), both 2s in [2, 4), 4 in [4, 6), 19.99 and 20 in the last; 21 and nan left out")
        #expect(set.bars.first?.from == 0 && set.bars.last?.to == 20)
        let svg = DrawnSVG(text: FigureSVG.render(.chart(Chart(title: "h", x: Axis("grade"), y: Axis("students"), layers: [.bars(set)])), id: "k"))
        let bars = svg.elements("rect").filter { $0["class"] == "bar" }
        #expect(bars.count == 4, "empty bins draw nothing")
        let heights = Dictionary(grouping: bars, by: { $0["data-height"]! }).mapValues { $0.map { Double($0["height"]!)! } }
        #expect(Set(heights["2"]!).count == 1 && abs(heights["2"]![0] - 2 * heights["1"]![0]) < 0.2, "a bar of 2 is twice as high as a bar of 1")
        let area = svg.elements("rect").first { $0["class"] == "plot-area" }!
        #expect(area["data-y-window"]!.hasPrefix("0.0 "), "bars stand on zero")
        let ticks = svg.text.components(separatedBy: "text-anchor=\"end\"").dropFirst().map { $0.components(separatedBy: ">")[1].components(separatedBy: "<")[0] }
        #expect(ticks.allSatisfy { Double($0).map { $0 == $0.rounded() } ?? false }, "counts are ticked in whole numbers: \(ticks)")
    }

    @Test func aStoredContourGridKeepsItsValuesToAStepOfItsRange() throws {
        var grid = ContourGrid.sampling({ 1000 + $0 * $0 + 1e-3 * $1 }, x: -1...1, y: -1...1, columns: 9, rows: 9)
        grid.values[4] = .nan
        let back = try FigureCoding.decode(try FigureCoding.encode([.chart(Chart(title: "g", x: Axis("x"), y: Axis("y"), layers: [.contours(grid)]))]))
        guard case let .chart(chart) = back[0], case let .contours(stored) = chart.layers[0] else { Issue.record("no grid"); return }
        let finite = grid.values.filter(\.isFinite)
        let step = (finite.max()! - finite.min()!) / 65_535
        #expect(stored.values[4].isNaN)
        for (a, b) in zip(grid.values, stored.values) where a.isFinite { #expect(abs(a - b) <= step / 2 + 1e-9) }
        #expect(stored.levels == grid.levels && stored.columns == 9 && stored.x == -1...1)
    }
}

/// Figures laid out for a page: one scale whatever their shape, titles and legends inside the drawing and
/// apart, and axes a reader can trust.
struct FigureLayoutTests {
    static func viewBox(_ svg: DrawnSVG) -> [Double] {
        svg.elements("svg")[0]["viewBox"]!.split(separator: " ").map { Double($0)! }
    }

    /// A figure's `width` attribute, a share of the page's reference width; nil without one.
    static func share(_ svg: DrawnSVG) -> Double? {
        svg.elements("svg")[0]["width"].flatMap { Double($0.dropLast()) }.map { $0 / 100 }
    }

    static func contourChart(xSpan: Double, ySpan: Double, title: String) -> Chart {
        let grid = ContourGrid.sampling({ $0 * $0 + $1 * $1 }, x: 0...xSpan, y: 0...ySpan, columns: 21, rows: 21)
        return Chart(title: title, x: Axis("x₁"), y: Axis("x₂"), equalAspect: true,
                     layers: [.contours(grid), .path(Series(name: "your iterates", role: .student, points: [Point(0, 0), Point(xSpan, ySpan)])),
                              .path(Series(name: "reference", role: .reference, points: [Point(0, 0), Point(xSpan / 2, ySpan / 2)]))])
    }

    @Test func chartsOfEveryShapeAndOtherFiguresAreDrawnAtOneScale() throws {
        let tall = DrawnSVG(text: FigureSVG.render(.chart(Self.contourChart(xSpan: 1, ySpan: 10, title: "tall")), id: "t"))
        let wide = DrawnSVG(text: FigureSVG.render(.chart(Self.contourChart(xSpan: 10, ySpan: 1, title: "wide")), id: "w"))
        let tallArea = tall.elements("rect").first { $0["class"] == "plot-area" }!
        #expect(Double(tallArea["height"]!)! > 2 * Double(tallArea["width"]!)!, "the tall chart's plot area is tall")
        // A page draws a figure at (its share of the column) / (its width in pixels): the same for all.
        #expect(Self.viewBox(tall)[2] == Self.viewBox(wide)[2], "charts of any shape are as wide")
        #expect(Self.share(tall) == 1 && Self.share(wide) == 1)
        let chartScale = try #require(Self.share(wide)) / Self.viewBox(wide)[2]
        let map = DrawnSVG(text: FigureSVG.render(.heatMap(HeatMap(title: "confusion", rowAxis: "r", columnAxis: "c", rowLabels: ["0", "1"],
                                                                     columnLabels: ["0", "1"], values: [1, 2, 3, 4])), id: "m"))
        let grid = DrawnSVG(text: FigureSVG.render(.images(ImageGrid(title: "g", width: 2, height: 2, perRow: 2,
                                                                     images: [.init(caption: "a", pixels: [0, 1, 1, 0])])), id: "i"))
        for other in [map, grid] {
            let scale = try #require(Self.share(other)) / Self.viewBox(other)[2]
            #expect(abs(scale / chartScale - 1) < 1e-3, "\(Self.viewBox(other)[2]) px at \(scale * Self.viewBox(other)[2]) of the column")
        }
    }

    /// Every text element: its attributes and its lines (its `tspan`s, or its whole text).
    static func texts(_ svg: String) -> [(attributes: [String: String], lines: [String])] {
        svg.components(separatedBy: "<text ").dropFirst().map { chunk in
            let element = String(chunk.prefix { $0 != ">" })
            let body = chunk.components(separatedBy: "</text>")[0].drop { $0 != ">" }.dropFirst()
            let spans = body.components(separatedBy: "<tspan").dropFirst().map { $0.components(separatedBy: ">")[1].components(separatedBy: "<")[0] }
            return (DrawnSVG(text: "<text \(element)>").elements("text")[0], spans.isEmpty ? [String(body)] : spans)
        }
    }

    @Test func aLongTitleWrapsInsideItsChartAboveThePlot() throws {
        let title = "gradientDescentArmijo: iterates over the level lines of f, drawn with a title longer than any chart is wide"
        let svg = DrawnSVG(text: FigureSVG.render(.chart(Self.contourChart(xSpan: 1, ySpan: 10, title: title)), id: "t"))
        let width = Self.viewBox(svg)[2]
        let heading = try #require(Self.texts(svg.text).first { $0.lines.joined(separator: " ") == title })
        #expect(heading.attributes["x"].flatMap(Double.init) == width / 2, "centred on the chart")
        #expect(heading.lines.count == 2, "\(heading.lines)")
        for line in heading.lines { #expect(TextWidth.of(line, size: 12) <= width - 16, "\(line) fits") }
        let area = try #require(svg.elements("rect").first { $0["class"] == "plot-area" })
        #expect(Double(area["y"]!)! >= 16 + 15 * Double(heading.lines.count - 1) + 8, "the plot starts below the title's last line")
    }

    @Test func legendEntriesOfANarrowChartGoOnRowsThatKeepThemApart() {
        let svg = DrawnSVG(text: FigureSVG.render(.chart(Self.contourChart(xSpan: 1, ySpan: 10, title: "tall")), id: "t"))
        let width = Self.viewBox(svg)[2]
        // Each entry: a swatch 22 px before its name, whose text starts at the name's x.
        let entries = svg.text.components(separatedBy: "class=\"legend-entry\"").dropFirst().compactMap { entry -> (x: Double, y: Double, name: String)? in
            guard let text = Self.texts(entry).first, let x = text.attributes["x"].flatMap(Double.init), let y = text.attributes["y"].flatMap(Double.init) else { return nil }
            return (x, y, text.lines.joined(separator: " "))
        }
        #expect(entries.map(\.name) == ["level lines of f", "your iterates", "reference"])
        let boxes = entries.map { (left: $0.x - 22, right: $0.x + TextWidth.of($0.name, size: 10), y: $0.y) }
        for (index, box) in boxes.enumerated() {
            #expect(box.left >= 0 && box.right <= width, "\(entries[index].name) inside the chart")
            for other in boxes[(index + 1)...] where other.y == box.y {
                #expect(other.left >= box.right || box.left >= other.right, "entries on one row do not overlap: \(box), \(other)")
            }
        }
    }

    @Test func aSingleIterateIsShownOnTheIterationsZeroToOne() {
        let chart = Chart(title: "newton: ‖∇f(x_k)‖ against k", x: Axis("iteration k", wholeNumbers: true), y: Axis("‖∇f(x_k)‖", logarithmic: true),
                          layers: [.path(Series(name: "reference", role: .reference, points: [Point(0, 3.5)]))])
        let svg = DrawnSVG(text: FigureSVG.render(.chart(chart), id: "k"))
        let window = svg.elements("rect").first { $0["class"] == "plot-area" }!["data-x-window"]!.split(separator: " ").map { Double($0)! }
        #expect(window[0] > -0.5 && window[0] <= 0 && window[1] >= 1 && window[1] < 1.5, "\(window)")
        // The x axis's tick labels are the middle-anchored texts just below the plot area.
        let ticks = svg.text.components(separatedBy: "<g class=\"axes\">")[1].components(separatedBy: "</g>")[0]
            .components(separatedBy: "text-anchor=\"middle\" font-size=\"10\"").dropFirst().map { $0.components(separatedBy: ">")[1].components(separatedBy: "<")[0] }
        #expect(ticks == ["0", "1"])
        // Values less than one apart on a whole-number axis get the whole numbers around them, never cutting one off.
        let spread = Chart(title: "t", x: Axis("k", wholeNumbers: true), y: Axis("y"),
                           layers: [.path(Series(name: "s", role: .neutral, points: [Point(0.7, 1), Point(1.5, 2)]))])
        let spreadWindow = DrawnSVG(text: FigureSVG.render(.chart(spread), id: "s")).elements("rect").first { $0["class"] == "plot-area" }!["data-x-window"]!
            .split(separator: " ").map { Double($0)! }
        #expect(spreadWindow[0] < 0.7 && spreadWindow[1] > 1.5 && spreadWindow[0] > -0.5)
    }

    @Test func textIsBrokenAtSpacesAndInsideOnlyAWordTooLongForALine() {
        #expect(TextWidth.lines("one two three", size: 10, width: 1000) == ["one two three"])
        let lines = TextWidth.lines("one two three", size: 10, width: TextWidth.of("one two", size: 10))
        #expect(lines == ["one two", "three"])
        let long = String(repeating: "m", count: 40)
        let broken = TextWidth.lines(long, size: 10, width: 100)
        #expect(broken.joined() == long && broken.count > 1 && broken.allSatisfy { TextWidth.of($0, size: 10) <= 100 })
        #expect(TextWidth.lines("", size: 10, width: 100) == [""])
        #expect(TextWidth.of("W", size: 10) > TextWidth.of("i", size: 10))
    }
}
