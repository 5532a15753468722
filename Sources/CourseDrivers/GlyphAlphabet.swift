import CourseKit
import Foundation

/// Practical 3's hidden image task: ten classes of pen-drawn glyphs that exist nowhere but in a student's
/// secret, drawn on 28 × 28 images with MNIST's conventions (strokes about two pixels wide, intensities in
/// [0, 1] on a black background, the shape inside the central 20 × 20 pixels).
///
/// Each glyph is two or three quadratic Bézier strokes whose control points are drawn from the secret, so
/// the space of alphabets is continuous: no network prepared in advance knows which shape is which class,
/// and none can be recovered by trying a few transforms of a known dataset (as with MNIST turned by a
/// symmetry of the square and relabelled: 8 × 10! possibilities, all of them tried in a second). Each
/// image is one glyph written by an unsteady hand: every control point moved, the whole turned, scaled,
/// slanted and shifted by a few pixels, the pen's width changed. A network must learn the shapes from the
/// images given, and shifted strokes are what convolution's shared weights are made for.
struct GlyphAlphabet: Sendable {
    /// A stroke: a quadratic Bézier curve from `start` to `end`, pulled towards `control`, in pixels.
    struct Stroke: Sendable {
        var start: SIMD2<Double>, control: SIMD2<Double>, end: SIMD2<Double>

        /// The stroke with every point moved by `map`.
        func mapped(_ map: (SIMD2<Double>) -> SIMD2<Double>) -> Stroke { Stroke(start: map(start), control: map(control), end: map(end)) }

        /// `segments` + 1 points along the curve.
        func polyline(segments: Int) -> [SIMD2<Double>] {
            (0...segments).map { k in
                let t = Double(k) / Double(segments), u = 1 - t
                return u * u * start + 2 * u * t * control + t * t * end
            }
        }

        /// The length of the chord from start to end.
        var chord: Double { ((end - start) * (end - start)).sum().squareRoot() }
    }

    /// The image's side, in pixels.
    static let side = 28
    /// The glyphs, one per class.
    let glyphs: [[Stroke]]

    /// How far apart two glyphs are meant to be: the largest similarity sought between two classes' clean
    /// drawings (`similarity(_:_:)`: blurred, and over small shifts, so strokes a pixel apart count as
    /// overlapping).
    static let maximumSimilarity = 0.45
    /// How many times a glyph is drawn before the least similar of the draws is kept.
    static let draws = 200

    /// The alphabet of `classes` glyphs drawn from `secret`, one glyph at a time: each the first of `draws`
    /// draws at most `maximumSimilarity` like every earlier glyph, else the least alike of them, so that
    /// every student's classes are about as far apart.
    init(secret: UInt64, classes: Int = 10) {
        var rng = SeededGenerator(seed: secret)
        var glyphs: [[Stroke]] = [], drawings: [[Double]] = []
        while glyphs.count < classes {
            var best: (glyph: [Stroke], drawing: [Double], similarity: Double)?
            for _ in 0..<Self.draws {
                let glyph = Self.randomGlyph(using: &rng)
                let drawing = Self.blurred(Self.render(glyph, width: 1.2))
                let similarity = drawings.map { Self.similarity($0, drawing) }.max() ?? 0
                if best == nil || similarity < best!.similarity { best = (glyph, drawing, similarity) }
                if similarity <= Self.maximumSimilarity { break }
            }
            glyphs.append(best!.glyph)
            drawings.append(best!.drawing)
        }
        self.glyphs = glyphs
    }

    /// A glyph of two or three strokes inside the central 20 × 20 pixels, each at least 7 pixels long.
    static func randomGlyph(using rng: inout SeededGenerator) -> [Stroke] {
        let strokes = 2 + Int(rng.next() % 2)
        return (0..<strokes).map { _ in
            while true {
                let start = SIMD2(rng.nextUniform(in: 5, 23), rng.nextUniform(in: 5, 23))
                let end = SIMD2(rng.nextUniform(in: 5, 23), rng.nextUniform(in: 5, 23))
                let bend = SIMD2(rng.nextGaussian(), rng.nextGaussian()) * 5
                let control = ((start + end) / 2 + bend).clamped(lowerBound: SIMD2(3, 3), upperBound: SIMD2(25, 25))
                let stroke = Stroke(start: start, control: control, end: end)
                if stroke.chord >= 7 { return stroke }
            }
        }
    }

    /// `count` images, one per row, of classes drawn uniformly, each written by an unsteady hand.
    func images(_ count: Int, using rng: inout SeededGenerator) -> TrainingData {
        let pixels = Self.side * Self.side
        var inputs = Matrix(rows: count, columns: pixels), labels: [Int] = []
        labels.reserveCapacity(count)
        for n in 0..<count {
            let label = Int(rng.next() % UInt64(glyphs.count))
            labels.append(label)
            let (strokes, width) = handwritten(glyphs[label], using: &rng)
            let image = Self.render(strokes, width: width)
            // Stored as IDX files store them: whole steps of 1/255.
            for k in 0..<pixels { inputs.storage[n * pixels + k] = (image[k] * 255).rounded() / 255 }
        }
        return TrainingData(inputs: inputs, labels: labels)
    }

    /// `glyph` as one hand writes it once: each control point moved by about a pixel, then the whole turned by
    /// up to 0.3 radians, scaled by 0.85–1.1, slanted by up to 0.25 and shifted by up to 3 pixels each way;
    /// the pen 1.0–1.8 pixels wide.
    func handwritten(_ glyph: [Stroke], using rng: inout SeededGenerator) -> ([Stroke], Double) {
        let angle = rng.nextUniform(in: -0.3, 0.3), scale = rng.nextUniform(in: 0.85, 1.1), slant = rng.nextUniform(in: -0.25, 0.25)
        let shift = SIMD2(rng.nextUniform(in: -3, 3), rng.nextUniform(in: -3, 3)), width = rng.nextUniform(in: 1.0, 1.8)
        let centre = SIMD2(Double(Self.side - 1) / 2, Double(Self.side - 1) / 2)
        let (c, s) = (cos(angle), sin(angle))
        func jitter(_ p: SIMD2<Double>, _ rng: inout SeededGenerator) -> SIMD2<Double> { p + SIMD2(rng.nextGaussian(), rng.nextGaussian()) * 0.9 }
        let strokes = glyph.map { stroke -> Stroke in
            let moved = Stroke(start: jitter(stroke.start, &rng), control: jitter(stroke.control, &rng), end: jitter(stroke.end, &rng))
            return moved.mapped { p in
                let d = p - centre
                let slanted = SIMD2(d.x + slant * d.y, d.y)
                return centre + shift + scale * SIMD2(c * slanted.x - s * slanted.y, s * slanted.x + c * slanted.y)
            }
        }
        return (strokes, width)
    }

    /// The strokes drawn with a pen `width` pixels wide, one intensity per pixel, row by row (y down, x across):
    /// 1 within the pen, falling to 0 over the next pixel. Each segment touches only the pixels near it.
    static func render(_ strokes: [Stroke], width: Double) -> [Double] {
        var image = [Double](repeating: 0, count: side * side)
        let reach = width / 2 + 1
        for stroke in strokes {
            let points = stroke.polyline(segments: 10)
            for (a, b) in zip(points, points.dropFirst()) {
                let ab = b - a, length2 = max((ab * ab).sum(), 1e-12)
                let low = (pointwiseMin(a, b) - reach).rounded(.down), high = (pointwiseMax(a, b) + reach).rounded(.up)
                // The pixels within reach of the segment, clipped to the image (a shifted glyph may leave it).
                func clipped(_ from: Double, _ to: Double) -> Range<Int> {
                    let start = Int(min(Double(side), max(0, from))), end = Int(min(Double(side), max(0, to + 1)))
                    return start..<max(start, end)
                }
                let rows = clipped(low.y, high.y), columns = clipped(low.x, high.x)
                for y in rows {
                    for x in columns {
                        let p = SIMD2(Double(x), Double(y))
                        let t = min(1, max(0, ((p - a) * ab).sum() / length2))
                        let offset = p - (a + t * ab)
                        let distance = (offset * offset).sum().squareRoot()
                        let value = min(1, max(0, width / 2 + 0.5 - distance))
                        if value > image[y * side + x] { image[y * side + x] = value }
                    }
                }
            }
        }
        return image
    }

    /// The image blurred by a 3 × 3 box, for comparing glyphs.
    static func blurred(_ image: [Double]) -> [Double] {
        (0..<(side * side)).map { k in
            let (y, x) = (k / side, k % side)
            var sum = 0.0
            for dy in -1...1 { for dx in -1...1 where (0..<side).contains(y + dy) && (0..<side).contains(x + dx) { sum += image[(y + dy) * side + x + dx] } }
            return sum
        }
    }

    /// The largest cosine similarity of two blurred drawings over shifts of up to 2 pixels each way: glyphs
    /// alike once shifted are alike, since images are shifted by up to 3 pixels.
    static func similarity(_ a: [Double], _ b: [Double]) -> Double {
        let norms = (a.reduce(0) { $0 + $1 * $1 } * b.reduce(0) { $0 + $1 * $1 }).squareRoot()
        guard norms > 0 else { return 0 }
        var best = 0.0
        for dy in stride(from: -2, through: 2, by: 2) {
            for dx in stride(from: -2, through: 2, by: 2) {
                var dot = 0.0
                for y in max(0, -dy)..<min(side, side - dy) {
                    for x in max(0, -dx)..<min(side, side - dx) { dot += a[y * side + x] * b[(y + dy) * side + x + dx] }
                }
                best = max(best, dot / norms)
            }
        }
        return best
    }
}
