import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The instructor's secret key, from which every student's hidden cases are derived.
///
/// It lives in one file (by default `.grade/instructor-secret` in the course folder, mode 0600),
/// is created on first instructor use, is never printed, and never reaches a submission's process
/// or a student build: only seeds derived from it leave the grader, inside the cases themselves.
/// Losing it only means new hidden cases at the next regrade; the gradebook's runs show when.
public struct InstructorSecret: Sendable {
    private let keyBytes: [UInt8]
    /// A short, non-reversible identifier of the key (its digest's first 8 hex digits), for run history.
    public let fingerprint: String

    /// Loads the secret at `url`, creating a new random one when the file does not exist.
    public static func loadOrCreate(at url: URL) throws -> InstructorSecret {
        let fm = FileManager.default
        if !fm.fileExists(atPath: url.path) {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            let hex = fresh.hexadecimal + "\n"
            // Written aside, then linked into place: two graders starting at once agree on one secret.
            let draft = url.deletingLastPathComponent().appendingPathComponent(".secret-\(UUID().uuidString)")
            guard fm.createFile(atPath: draft.path, contents: Data(hex.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw SecretError(description: "cannot create the instructor secret at \(url.path)")
            }
            let linked = link(draft.path, url.path)
            let linkError = errno
            unlink(draft.path)
            guard linked == 0 || linkError == EEXIST else {
                throw SecretError(description: "cannot create the instructor secret at \(url.path): \(String(cString: strerror(linkError)))")
            }
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw SecretError(description: "cannot read the instructor secret at \(url.path)")
        }
        return try InstructorSecret(hex: text.trimmingCharacters(in: .whitespacesAndNewlines), origin: url.path)
    }

    /// A secret from its hexadecimal text (at least 32 hex digits).
    public init(hex: String, origin: String = "the given secret") throws {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let byte = UInt8(hex[index..<next], radix: 16), hex.distance(from: index, to: next) == 2 else {
                throw SecretError(description: "\(origin) is not hexadecimal text")
            }
            bytes.append(byte)
            index = next
        }
        guard bytes.count >= 16 else { throw SecretError(description: "\(origin) is shorter than 128 bits") }
        keyBytes = bytes
        fingerprint = SHA256.hash(data: Data("fingerprint".utf8) + Data(bytes)).prefix(4).hexadecimal
    }

    /// The seed of hidden case `index` of `check` in `assignment` for `student`: HMAC-SHA256 of those, truncated to 64 bits.
    public func hiddenSeed(assignment: String, check: String, student: String, index: Int) -> UInt64 {
        let message = Data([assignment, check, student, String(index)].joined(separator: "\u{1F}").utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: keyBytes))
        return mac.prefix(8).reduce(0) { ($0 << 8) | UInt64($1) }
    }

    /// Why a secret could not be loaded.
    public struct SecretError: Error, CustomStringConvertible {
        /// What went wrong, and where.
        public let description: String
    }
}
