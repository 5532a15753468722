import Foundation

/// The one way points, grades, marks and percentages are written for a person and in exports.
public enum Points {
    /// `value` with at most two decimals, trailing zeros dropped: 16, 15.8, 2.25, -3 (never "-0");
    /// "nan", "inf" or "-inf" for a value that is not finite.
    public static func text(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        var text = String(format: "%.2f", (value * 100).rounded() / 100)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}

extension Points {
    /// `text` as a grade or mark a person typed: a finite number, with '.' or ',' as the decimal separator;
    /// nil for anything else (blank, words, thousands separators, "nan", "inf").
    public static func parse(_ text: String) -> Double? {
        let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }),
              let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }
}
