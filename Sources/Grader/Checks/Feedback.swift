import CourseKit
import Foundation

/// How numbers and vectors are written in feedback.
public enum Feedback {
    /// A size in bytes in words: "12.3 MB", "850 KB", "96 bytes".
    public static func bytes(_ size: Int) -> String {
        if size >= 1_000_000 { return number((Double(size) / 100_000).rounded() / 10) + " MB" }
        if size >= 10_000 { return "\(size / 1000) KB" }
        return "\(size) bytes"
    }

    /// A number with ten significant digits, for example `0.1234567891` or `1.5e-08`.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.10g", value)
    }

    /// The message of gradients that differ from the reference's: where the worst entry is, its relative
    /// error, and the largest one allowed.
    public static func gradientMismatch(at place: String, relativeError: Double, allowed: Double) -> String {
        "your gradients differ from the reference's: worst at \(place), relative error \(number(relativeError)) (allowed \(number(allowed)))"
    }

    /// A count with its noun: "1 iterate", "21 iterates" (the plural adds an s).
    public static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// A vector, eliding the middle of long ones.
    public static func vector(_ v: Vector) -> String {
        let shown = v.count <= 8 ? Array(v.storage) : Array(v.storage.prefix(4)) + Array(v.storage.suffix(3))
        var parts = shown.map(number)
        if v.count > 8 { parts.insert("… (\(v.count - 7) more)", at: 4) }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}
