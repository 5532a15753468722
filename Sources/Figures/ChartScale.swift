import Foundation

/// How one axis maps values to pixels: a window of values (in log₁₀ units on a logarithmic axis) onto a
/// span of pixels.
public struct ChartScale: Sendable, Equatable {
    /// The window, in the axis's units (log₁₀ of the value on a logarithmic axis).
    public var window: ClosedRange<Double>
    /// Whether the axis is logarithmic.
    public var isLogarithmic: Bool
    /// The pixel of the window's lower end.
    public var from: Double
    /// The pixel of the window's upper end.
    public var to: Double
    /// The least distance between ticks on a linear axis (1 for counts), if any.
    public var minimumStep: Double?

    /// A scale mapping `window` onto the pixels `from` to `to`.
    public init(window: ClosedRange<Double>, isLogarithmic: Bool, from: Double, to: Double, minimumStep: Double? = nil) {
        self.window = window
        self.isLogarithmic = isLogarithmic
        self.from = from
        self.to = to
        self.minimumStep = minimumStep
    }

    /// The axis unit of `value`: itself, or its log₁₀; nil when it cannot be drawn (not finite, or not positive on a log axis).
    public func unit(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        if isLogarithmic { return value > 0 ? log10(value) : nil }
        return value
    }

    /// The pixel of `value`, or nil when it cannot be drawn. Pixels far outside the window are held at
    /// ±20,000 px, so that a diverging series still points the way it goes.
    public func pixel(_ value: Double) -> Double? {
        guard let u = unit(value) else { return nil }
        let t = (u - window.lowerBound) / (window.upperBound - window.lowerBound)
        return min(max(from + t * (to - from), -20_000), 20_000)
    }

    /// The window of `units` (values already in axis units), with a margin of `margin` of its width on
    /// each side. On an axis of whole numbers (iterations, counts), values less than one apart get the
    /// window between the whole numbers around them, so that a single iterate at 0 is shown on 0…1, never
    /// at negative iterations; elsewhere a single value gets a window around it.
    static func window(of units: [Double], margin: Double, logarithmic: Bool, wholeNumbers: Bool = false) -> ClosedRange<Double> {
        guard let low = units.min(), let high = units.max() else { return logarithmic ? -1...1 : 0...1 }
        if wholeNumbers, !logarithmic, high - low < 1 {
            let start = low.rounded(.down)
            return window(of: [start, max(start + 1, high.rounded(.up))], margin: margin, logarithmic: false)
        }
        guard high > low else {
            let half = logarithmic ? 0.5 : max(abs(low) * 0.1, 1)
            return (low - half)...(high + half)
        }
        let pad = (high - low) * margin
        return (low - pad)...(high + pad)
    }

    /// Where the axis gets ticks, in axis units: round numbers (1, 2 or 5 times a power of ten) on a linear
    /// axis, powers of ten on a logarithmic one (every second or third power when there are many).
    public var ticks: [Double] {
        let (low, high) = (window.lowerBound, window.upperBound)
        if isLogarithmic {
            let first = Int(ceil(low)), last = Int(floor(high))
            if last >= first {
                let stride = max(1, (last - first) / 6 + 1)
                return Swift.stride(from: first, through: last, by: stride).map(Double.init)
            }
        }
        let raw = (high - low) / 5
        guard raw > 0, raw.isFinite else { return [low] }
        let magnitude = pow(10, floor(log10(raw)))
        var step = max([1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude, minimumStep ?? 0)
        if let minimumStep, minimumStep > 0 { step = (step / minimumStep).rounded(.up) * minimumStep }
        guard step > 0, step.isFinite else { return [low] }
        var ticks: [Double] = []
        var tick = ceil(low / step) * step
        // A step below the values' precision would not move on.
        while tick <= high + step * 1e-9, ticks.count < 12, tick.isFinite, tick + step != tick {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        return ticks.isEmpty ? [low] : ticks
    }

    /// `window` made drawable: both ends finite (held within ±10³⁰⁰) and apart by more than the values'
    /// precision, widened around its centre when they are not.
    static func sanitised(_ window: ClosedRange<Double>) -> ClosedRange<Double> {
        func clamp(_ value: Double) -> Double { value.isNaN ? 0 : min(max(value, -1e300), 1e300) }
        let (low, high) = (clamp(window.lowerBound), clamp(window.upperBound))
        let centre = low / 2 + high / 2
        let least = max(abs(centre) * 1e-9, 1e-200)
        guard high - low < least else { return low...high }
        return (centre - least)...(centre + least)
    }

    /// A tick's label: the value in at most four significant digits, or 10 to a power on a logarithmic axis.
    public func label(_ tick: Double) -> String {
        if isLogarithmic, tick == tick.rounded() { return "10" + Self.superscript(Int(tick)) }
        let value = isLogarithmic ? pow(10, tick) : tick
        // Enough digits that neighbouring ticks differ, however narrow the window is against its values.
        let ticks = self.ticks
        guard !isLogarithmic, ticks.count >= 2, value != 0 else { return Self.number(value) }
        let step = abs(ticks[1] - ticks[0])
        let ratio = abs(value) / step
        guard step > 0, ratio.isFinite else { return Self.number(value) }
        let digits = min(12, max(4, Int(ceil(log10(ratio))) + 1))
        return String(format: "%.\(digits)g", value)
    }

    /// A number in at most four significant digits.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.4g", value)
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
        return String(String(n).map { digits[$0] ?? $0 })
    }
}
