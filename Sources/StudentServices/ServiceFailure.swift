import SafeText

/// Why a service did nothing, or did not finish: a message for a person, with control characters escaped
/// (it can quote submissions and file contents).
public struct ServiceFailure: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    public let description: String

    /// A failure whose message is `message`.
    public init(_ message: String) { description = SafeText.escaped(message) }
}
