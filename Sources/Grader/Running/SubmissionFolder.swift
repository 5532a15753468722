import Crypto
import Foundation
import Yams

/// A student's folder: their Swift sources and what `submission.yaml` says about them.
public struct SubmissionFolder: Sendable {
    /// The folder name, which is the student id.
    public let studentID: String
    /// The folder.
    public let url: URL
    /// The student's name, from `submission.yaml`.
    public var name: String?
    /// The student's email, from `submission.yaml`.
    public var email: String?
    /// When the student submitted: `submitted_at` in `submission.yaml`, else the newest file's modification time.
    public var submittedAt: Date?
    /// Where ``submittedAt`` came from.
    public var submittedAtSource: SubmissionTimeSource?
    /// Problems found while reading the folder (unreadable metadata, odd files), reported in feedback.
    public var notes: [String] = []

    /// One Swift source file of the submission.
    public struct SourceFile: Sendable, Hashable {
        /// The path relative to the submission folder, such as `Sources/Solution.swift`.
        public let relativePath: String
        /// The file's bytes.
        public let contents: Data
    }

    /// The largest source file accepted, in bytes.
    public static let maximumSourceBytes = 1 << 20

    /// Reads the folder's metadata; sources are read by `sources()`.
    public init(url: URL) {
        self.url = url
        studentID = url.lastPathComponent
        readMetadata()
        if submittedAt != nil {
            submittedAtSource = .submissionYAML
        } else if let newest = Self.newestFileTime(in: url) {
            submittedAt = newest
            submittedAtSource = .fileTime
        }
    }

    /// The latest modification time of the regular files below `folder` (hidden ones skipped), if any.
    static func newestFileTime(in folder: URL) -> Date? {
        let keys: [URLResourceKey] = [.isRegularFileKey, .contentModificationDateKey]
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else {
            return nil
        }
        var newest: Date?
        for case let file as URL in enumerator {
            guard let values = try? file.resourceValues(forKeys: Set(keys)), values.isRegularFile == true,
                  let time = values.contentModificationDate else { continue }
            newest = max(newest ?? time, time)
        }
        return newest
    }

    private mutating func readMetadata() {
        let metadataURL = url.appendingPathComponent("submission.yaml")
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: metadataURL.path)) != nil {
            notes.append("submission.yaml is a symbolic link; ignored")
            return
        }
        guard let text = try? String(contentsOf: metadataURL, encoding: .utf8) else {
            if FileManager.default.fileExists(atPath: metadataURL.path) { notes.append("submission.yaml is not readable UTF-8 text; ignored") }
            return
        }
        do {
            guard let map = try Yams.load(yaml: text) as? [String: Any] else {
                notes.append("submission.yaml is not a mapping of keys to values; ignored")
                return
            }
            name = map["name"] as? String
            email = map["email"] as? String
            switch map["submitted_at"] {
            case let date as Date: submittedAt = date
            case let text as String:
                submittedAt = ISO8601DateFormatter().date(from: text)
                if submittedAt == nil { notes.append("submission.yaml: submitted_at \"\(text)\" is not an ISO 8601 date and time; ignored") }
            case nil: break
            default: notes.append("submission.yaml: submitted_at is not a date; ignored")
            }
        } catch {
            notes.append("submission.yaml is not valid YAML (\(error)); ignored")
        }
    }

    /// The `.swift` files below the folder (hidden folders skipped), sorted by path.
    public func sources() throws -> [SourceFile] {
        let fm = FileManager.default
        let keys: Set<URLResourceKey> = [.isRegularFileKey, .isSymbolicLinkKey, .fileSizeKey]
        guard let enumerator = fm.enumerator(at: url, includingPropertiesForKeys: Array(keys), options: [.skipsHiddenFiles]) else { return [] }
        var files: [SourceFile] = []
        for case let file as URL in enumerator where file.pathExtension == "swift" {
            let values = try file.resourceValues(forKeys: keys)
            let relative = String(file.path.dropFirst(url.path.count + 1))
            // The grader reads sources with its own rights: a link could make it read any file into a build log.
            if values.isSymbolicLink == true {
                throw SourceProblem(message: "\(relative) is a symbolic link; submit the file itself")
            }
            guard values.isRegularFile == true else { continue }
            if let size = values.fileSize, size > Self.maximumSourceBytes {
                throw SourceProblem(message: "\(relative) is \(size) bytes; source files are limited to \(Self.maximumSourceBytes) bytes")
            }
            files.append(SourceFile(relativePath: relative, contents: try Data(contentsOf: file)))
        }
        return files.sorted { $0.relativePath < $1.relativePath }
    }

    /// A digest of the sources (paths and contents), which identifies what was graded.
    public static func hash(of sources: [SourceFile]) -> String {
        var hasher = SHA256()
        for file in sources {
            hasher.update(data: Data("\(file.relativePath)\u{0}\(file.contents.count)\u{0}".utf8))
            hasher.update(data: file.contents)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// A reason the sources cannot be graded.
    public struct SourceProblem: Error, CustomStringConvertible {
        /// What is wrong, for the student.
        public let message: String
        /// The message.
        public var description: String { message }
    }
}

/// Where a submission's time comes from.
public enum SubmissionTimeSource: String, Sendable, Hashable {
    /// `submitted_at` in `submission.yaml` (written by the course's submission system).
    case submissionYAML = "submission.yaml"
    /// The newest modification time of the folder's files.
    case fileTime = "file-time"

    /// The source in words, for feedback.
    public var explanation: String {
        switch self {
        case .submissionYAML: "submitted_at in submission.yaml"
        case .fileTime: "the newest file's modification time (submission.yaml gives no submitted_at)"
        }
    }
}
