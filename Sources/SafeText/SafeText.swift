/// The one rule for showing text that came from a submission: no character that a terminal, an editor
/// or a spreadsheet would act on instead of showing.
///
/// Student text — trap messages, compiler diagnostics, file names, `submission.yaml` fields — reaches
/// the instructor's terminal, feedback files, the gradebook and CSV exports. An escape sequence in it
/// could write the clipboard (OSC 52), clear a line and forge an "[ok]", or retitle a window; a
/// right-to-left override could make text read differently from what it is. Every such character is
/// replaced by a visible escape such as `\u{1B}`, so it is shown, never obeyed.
public enum SafeText {
    /// `text` with every C0 control character but newline, tab and the carriage return of a CRLF line end,
    /// DEL, every C1 control character and every Unicode bidirectional formatting character written as a
    /// visible `\u{…}` escape. (A lone carriage return is escaped: it sends the cursor back to overwrite a line.)
    public static func escaped(_ text: String) -> String {
        guard !isSafe(text) else { return text }
        var result = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if isUnsafe(scalar) && !isLineEnd(scalars, at: index) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Whether `text` holds no character `escaped(_:)` would replace.
    public static func isSafe(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return !scalars.indices.contains { isUnsafe(scalars[$0]) && !isLineEnd(scalars, at: $0) }
    }

    /// Whether the scalar at `index` is the carriage return of a CRLF line end.
    private static func isLineEnd(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        scalars[index] == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n"
    }

    /// Whether `scalar`, alone, is acted on rather than shown: C0 controls but "\n" and "\t", DEL, C1 controls
    /// (U+0080–U+009F, including the single-character CSI U+009B) and bidirectional formatting
    /// characters (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069).
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}

extension SafeText {
    /// `text` cut after `limit` Unicode scalars, ending "… (N more characters)" when it was longer: the one
    /// rule that bounds what a submission's text can cost a message, a page or the gradebook. Scalars, not
    /// characters: one character can carry any number of combining marks.
    public static func bounded(_ text: String, limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let scalars = text.unicodeScalars
        let total = scalars.count
        guard total > limit else { return text }
        return String(String.UnicodeScalarView(scalars.prefix(limit))) + "… (\(total - limit) more characters)"
    }
}

extension SafeText {
    /// `text` for a place that must stay on one line (a file name, an identifier): as `escaped(_:)`, and
    /// newlines, tabs and carriage returns written as visible escapes too.
    public static func escapedLine(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) || scalar == "\n" || scalar == "\t" || scalar == "\r" {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}
