import Foundation
import Logging
import SafeText

/// The one place the commands write notes, warnings and progress for a person (standard error).
///
/// Ids, names, paths and messages in them can come from submissions, so every line goes through `SafeText`.
/// Libraries take `Diagnostics.logger` and write through it too.
public enum Diagnostics {
    /// Writes `text` and a newline to standard error, with control characters escaped.
    public static func write(_ text: String) {
        FileHandle.standardError.write(Data((SafeText.escaped(text) + "\n").utf8))
    }

    /// A logger whose messages at `notice` and above are written here, each on its own line as it is.
    public static var logger: Logger { Logger(label: "grade") { _ in LineHandler() } }

    /// Writes each message as a line through `write`, without level or timestamp (warnings say so themselves).
    struct LineHandler: LogHandler {
        var logLevel: Logger.Level = .notice
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            Diagnostics.write(event.message.description)
        }
    }
}
