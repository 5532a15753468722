import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a file, shared by every thread and process that opens the same path (flock).
///
/// Each instance opens the file itself, so two threads of one grader exclude each other just as two
/// graders do. The lock file is left in place: removing it would let a third party lock a new file.
final class FileLock {
    private let descriptor: Int32

    /// Opens (creating if needed) the lock file at `url`.
    init(_ url: URL) throws {
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path]) }
    }

    deinit { close(descriptor) }

    /// Runs `body` while holding the lock, waiting for it if another holder has it.
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
