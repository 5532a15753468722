import Foundation
import SafeText

/// The one place the commands write notes, warnings and progress for a person (standard error).
///
/// Ids, names, paths and messages in them can come from submissions, so every line goes through `SafeText`.
enum Diagnostics {
    /// Writes `text` and a newline to standard error, with control characters escaped.
    static func write(_ text: String) {
        FileHandle.standardError.write(Data((SafeText.escaped(text) + "\n").utf8))
    }
}
