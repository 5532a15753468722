import Foundation
import SafeText

/// Writes RFC 4180 CSV that spreadsheets open safely.
///
/// Fields containing a comma, a double quote, CR or LF are quoted, with quotes doubled; lines end
/// with CRLF. A text cell that a spreadsheet would run as a formula (one starting with `=`, `+`,
/// `-`, `@`, a tab or CR) gets a leading `'`, so `=HYPERLINK(...)` in a student's name stays text.
/// Numbers are written plainly, so a negative grade is still a number. Control and bidirectional
/// characters in text (which can come from a submission) are written as visible escapes (`SafeText`).
public struct CSVWriter: Sendable {
    /// One field.
    public enum Cell: Sendable, Hashable {
        /// Free text, protected against formula injection.
        case text(String)
        /// A number, written with at most two decimals and no trailing zeros.
        case number(Double)
        /// An empty field.
        case empty
        /// Text copied unchanged from a file another system wrote and will read back (quoted as needed,
        /// nothing escaped): a round trip must give that system its own values.
        case verbatim(String)
    }

    /// The CSV written so far.
    public private(set) var text = ""

    /// Creates an empty writer.
    public init() {}

    /// Appends one record.
    public mutating func append(_ cells: [Cell]) {
        text += cells.map(Self.field).joined(separator: ",") + "\r\n"
    }

    /// The field for `cell`, escaped and quoted as needed.
    public static func field(_ cell: Cell) -> String {
        switch cell {
        case .empty: return ""
        case let .number(value): return number(value)
        case let .verbatim(value): return quoted(value)
        case let .text(value):
            var content = SafeText.escaped(value)
            if let first = content.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { content = "'" + content }
            return quoted(content)
        }
    }

    /// `content`, quoted with its quotes doubled when it holds a comma, a quote or a line break.
    static func quoted(_ content: String) -> String {
        guard content.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return content }
        return "\"" + content.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `value` with at most two decimals, trailing zeros removed: 16, 15.8, 2.25, -3.
    public static func number(_ value: Double) -> String {
        value.isFinite ? Points.text(value) : ""
    }
}
