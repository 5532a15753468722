import Foundation
import SafeText
import ZIPFoundation

/// A zip archive read defensively: every entry is checked before anything is written, and nothing
/// outside the target folder can be.
///
/// Refused, with the entry named: an absolute path, a `..` or empty component, a control character or
/// backslash in a path (a zip-slip attempt or a Windows path), a symbolic link or any entry that is not
/// a regular file or a folder, two entries with the same path, more than `Limits.files` files, a file
/// over `Limits.fileBytes`, or more than `Limits.totalBytes` in all. Sizes are counted as the data is
/// inflated, not taken from the headers, so a zip bomb stops at the cap whatever it declares.
public struct SafeArchive {
    /// The caps an archive must stay within.
    public struct Limits: Sendable {
        /// Regular files.
        public var files = 20_000
        /// Bytes of one file, inflated.
        public var fileBytes: Int64 = 64 << 20
        /// Bytes of all files, inflated.
        public var totalBytes: Int64 = 1 << 30
        /// Characters of a path.
        public var pathLength = 1024

        /// The default caps: 20,000 files, 64 MiB each, 1 GiB in all.
        public init() {}
    }

    /// Why an archive was refused.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// One regular file of the archive, by its checked path components.
    public struct Member: Sendable {
        /// The path's components, none empty, `.` or `..`.
        public var components: [String]
        /// The size of its data, inflated.
        public var size: Int64
    }

    let url: URL
    let limits: Limits

    /// The archive at `url`, read within `limits`.
    public init(url: URL, limits: Limits = Limits()) {
        self.url = url
        self.limits = limits
    }

    /// The path of an entry as checked components, or why it is refused.
    public static func components(of path: String, limits: Limits = Limits()) throws -> [String] {
        guard path.count <= limits.pathLength else { throw Refusal(description: "an entry's path is longer than \(limits.pathLength) characters") }
        guard !path.hasPrefix("/") else { throw Refusal(description: "'\(path)' is an absolute path") }
        guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) else {
            throw Refusal(description: "'\(path.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined())' holds a control character or a backslash")
        }
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        guard !parts.isEmpty, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw Refusal(description: "'\(path)' has an empty, '.' or '..' component: it could reach outside the folder it is extracted to")
        }
        return parts
    }

    /// Whether the file at `url` starts as a zip archive does (`PK` and the signature of a local file header,
    /// or of the end record that is all an empty archive holds).
    public static func isZipArchive(at url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let start = try? handle.read(upToCount: 4) else { return false }
        return [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06]].contains(Array(start))
    }

    /// Refuses a file that is missing, a folder, or not a zip archive, before anything is read of its entries.
    public func checkIsZipFile() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw Refusal(description: FileErrorText.sentence(.reading, path: url.path))
        }
        guard Self.isZipArchive(at: url) else {
            throw Refusal(description: "\(url.path) is not a zip archive (its first bytes are not a zip file's): give the archive of Moodle's \"Download all submissions\"")
        }
    }

    /// Extracts every regular file into `folder` (which must not exist yet) after checking every entry;
    /// returns the files written. On any refusal nothing is left behind.
    public func extract(into folder: URL) throws -> [Member] {
        try checkIsZipFile()
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw Refusal(description: "\(url.path) starts as a zip archive but cannot be read as one: it may be cut short; download it again")
        }
        var seen: Set<String> = []
        var files: [(entry: Entry, components: [String])] = []
        for entry in archive {
            let parts = try Self.components(of: entry.path, limits: limits)
            switch entry.type {
            case .directory: continue
            case .symlink: throw Refusal(description: "'\(entry.path)' is a symbolic link; the archive must hold regular files only")
            case .file: break
            }
            let key = parts.joined(separator: "/")
            guard seen.insert(key).inserted else { throw Refusal(description: "'\(entry.path)' appears twice in the archive") }
            files.append((entry, parts))
            guard files.count <= limits.files else { throw Refusal(description: "the archive holds more than \(limits.files) files") }
        }
        // A file and a folder of the same name cannot both be written.
        for (_, parts) in files where parts.count > 1 {
            for depth in 1..<parts.count where seen.contains(parts[0..<depth].joined(separator: "/")) {
                throw Refusal(description: "'\(parts[0..<depth].joined(separator: "/"))' is both a file and a folder in the archive")
            }
        }
        let fm = FileManager.default
        guard !fm.fileExists(atPath: folder.path) else { throw Refusal(description: "\(folder.path) exists already") }
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        var members: [Member] = []
        var total: Int64 = 0
        do {
            for (entry, parts) in files {
                let target = parts.reduce(folder) { $0.appendingPathComponent($1) }
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard fm.createFile(atPath: target.path, contents: nil), let handle = FileHandle(forWritingAtPath: target.path) else {
                    throw Refusal(description: "cannot write \(target.path)")
                }
                defer { try? handle.close() }
                var size: Int64 = 0
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    size += Int64(chunk.count)
                    total += Int64(chunk.count)
                    if size > limits.fileBytes { throw Refusal(description: "'\(entry.path)' inflates to more than \(limits.fileBytes >> 20) MiB") }
                    if total > limits.totalBytes { throw Refusal(description: "the archive inflates to more than \(limits.totalBytes >> 20) MiB") }
                    try handle.write(contentsOf: chunk)
                }
                members.append(Member(components: parts, size: size))
            }
        } catch {
            try? fm.removeItem(at: folder)
            if error is Refusal { throw error }
            throw Refusal(description: "\(url.lastPathComponent) cannot be extracted: \(FileErrorText.sentence(for: error) ?? "it is damaged or not an archive Moodle wrote; download it again from the assignment's \"Download all submissions\"")")
        }
        return members
    }
}
