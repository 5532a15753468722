/// One problem found in a course file, with where it is and how serious it is.
///
/// Loaders and validators return every diagnostic they find instead of stopping at the first, so an
/// instructor fixes a spec in one pass. Messages come from named factory functions (see
/// `Diagnostic+SpecMessages.swift`); other validators, such as a practical's check registry, may build
/// their own with ``init(severity:location:message:)``.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Error {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        /// Something that should be fixed but does not stop grading.
        case warning
        /// Something that makes the file unusable until it is fixed.
        case error
    }

    /// Whether this is an error or a warning.
    public var severity: Severity
    /// Where the problem is, when it has a place.
    public var location: SourceLocation?
    /// What is wrong, in words an instructor can act on.
    public var message: String

    /// A diagnostic with the given severity, location and message.
    public init(severity: Severity, location: SourceLocation?, message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// An error at `location`.
    public static func error(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(severity: .error, location: location, message: message)
    }

    /// A warning at `location`.
    public static func warning(_ message: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(severity: .warning, location: location, message: message)
    }

    /// The diagnostic as a compiler prints it: `file:line:column: error: message`.
    public var description: String {
        if let location {
            return "\(location): \(severity.rawValue): \(message)"
        }
        return "\(severity.rawValue): \(message)"
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var containsErrors: Bool { contains { $0.severity == .error } }

    /// The diagnostics in reading order: by location (those without one first), keeping the order
    /// they were found in among diagnostics at the same place.
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { lhs, rhs in
            switch (lhs.element.location, rhs.element.location) {
            case let (left?, right?) where left != right: return left < right
            case (nil, _?): return true
            case (_?, nil): return false
            default: return lhs.offset < rhs.offset
            }
        }.map(\.element)
    }
}

/// The error thrown when a course file has at least one error-severity diagnostic.
///
/// It carries every diagnostic found in the file, warnings included, so nothing is lost by throwing.
public struct SpecError: Error, Sendable, CustomStringConvertible {
    /// Every diagnostic found, in reading order.
    public var diagnostics: [Diagnostic]

    /// An error carrying `diagnostics`.
    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// The diagnostics, one per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
