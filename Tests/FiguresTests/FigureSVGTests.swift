import Figures
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
