/// Level lines of a grid by marching squares: for each level, the segments where the sampled function
/// crosses it, interpolated linearly along each cell's edges.
public enum Contours {
    /// A segment between two points, in the grid's coordinates.
    public typealias Segment = (Point, Point)

    /// The segments of the line at `level` through `grid` (cells with a non-finite corner are skipped).
    public static func segments(of grid: ContourGrid, at level: Double) -> [Segment] {
        guard grid.columns >= 2, grid.rows >= 2, grid.columns <= 4_096, grid.rows <= 4_096, grid.values.count == grid.columns * grid.rows,
              grid.x.lowerBound.isFinite, grid.x.upperBound.isFinite, grid.y.lowerBound.isFinite, grid.y.upperBound.isFinite else { return [] }
        let dx = (grid.x.upperBound - grid.x.lowerBound) / Double(grid.columns - 1)
        let dy = (grid.y.upperBound - grid.y.lowerBound) / Double(grid.rows - 1)
        func position(_ column: Int, _ row: Int) -> Point {
            Point(grid.x.lowerBound + Double(column) * dx, grid.y.lowerBound + Double(row) * dy)
        }
        var segments: [Segment] = []
        for row in 0..<(grid.rows - 1) {
            for column in 0..<(grid.columns - 1) {
                // Corners counter-clockwise from the lower left.
                let corners = [(column, row), (column + 1, row), (column + 1, row + 1), (column, row + 1)]
                let values = corners.map { grid.value(column: $0.0, row: $0.1) }
                guard values.allSatisfy(\.isFinite) else { continue }
                var crossings: [Point] = []
                for edge in 0..<4 {
                    let (a, b) = (edge, (edge + 1) % 4)
                    let (va, vb) = (values[a], values[b])
                    guard (va < level) != (vb < level) else { continue }
                    let t = (level - va) / (vb - va)
                    let pa = position(corners[a].0, corners[a].1), pb = position(corners[b].0, corners[b].1)
                    crossings.append(Point(pa.x + t * (pb.x - pa.x), pa.y + t * (pb.y - pa.y)))
                }
                if crossings.count == 2 {
                    segments.append((crossings[0], crossings[1]))
                } else if crossings.count == 4 {
                    // A saddle cell: pair the crossings by the value at the centre.
                    let centre = values.reduce(0, +) / 4
                    if (centre < level) == (values[0] < level) {
                        segments.append((crossings[0], crossings[3]))
                        segments.append((crossings[1], crossings[2]))
                    } else {
                        segments.append((crossings[0], crossings[1]))
                        segments.append((crossings[2], crossings[3]))
                    }
                }
            }
        }
        return segments
    }
}
