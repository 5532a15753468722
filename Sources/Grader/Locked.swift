import Foundation

/// A value several threads share, read and changed only under its lock: the grader's one locked box.
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    /// A box holding `value`.
    public init(_ value: Value) { self.value = value }

    /// Runs `body` on the value with the lock held, and returns what it returns.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
