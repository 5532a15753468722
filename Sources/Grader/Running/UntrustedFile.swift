import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file a student controls, with the grader's rights but none of its trust.
///
/// The file is opened without following a final symbolic link and without blocking (a FIFO or a device
/// cannot stall the grader), and is accepted only if the opened file is a regular file with a single
/// link: a hard link to an instructor's file (which a root-run archive extraction can create) is never
/// read into a build log or a feedback file. At most `maximumBytes` are read, whatever the file claims.
enum UntrustedFile {
    /// Why a file was refused, in words for the student; `relativePath` names it.
    struct Refusal: Error, CustomStringConvertible {
        let relativePath: String
        let reason: String
        var description: String { "\(relativePath) \(reason)" }
    }

    /// The bytes of `url`, named `relativePath` in messages, if it is a regular, singly linked file of at most `maximumBytes`.
    static func read(_ url: URL, relativePath: String, maximumBytes: Int) throws -> Data {
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            throw Refusal(relativePath: relativePath, reason: errno == ELOOP ? "is a symbolic link; submit the file itself" : "cannot be read (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Refusal(relativePath: relativePath, reason: "cannot be read") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Refusal(relativePath: relativePath, reason: "is not a regular file") }
        guard info.st_nlink == 1 else {
            throw Refusal(relativePath: relativePath, reason: "is a hard link to another file (\(info.st_nlink) links); submit a copy of the file itself")
        }
        guard Int(info.st_size) <= maximumBytes else {
            throw Refusal(relativePath: relativePath, reason: "is \(info.st_size) bytes; at most \(maximumBytes) are accepted")
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw Refusal(relativePath: relativePath, reason: "cannot be read (\(String(cString: strerror(errno))))") }
            if n == 0 { return data }
            data.append(contentsOf: chunk[0..<n])
            guard data.count <= maximumBytes else { throw Refusal(relativePath: relativePath, reason: "grew past \(maximumBytes) bytes while being read") }
        }
    }
}
