import Crypto
import Foundation
import Outcomes
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

    /// The largest `submission.yaml` read, in bytes.
    public static let maximumMetadataBytes = 64 << 10

    private mutating func readMetadata() {
        let metadataURL = url.appendingPathComponent(Self.metadataName)
        guard FileManager.default.fileExists(atPath: metadataURL.path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: metadataURL.path)) != nil else { return }
        let text: String
        do {
            let data = try UntrustedFile.read(metadataURL, relativePath: Self.metadataName, maximumBytes: Self.maximumMetadataBytes)
            guard let decoded = String(data: data, encoding: .utf8) else {
                notes.append("\(Self.metadataName) is not UTF-8 text; ignored")
                return
            }
            text = decoded
        } catch {
            notes.append("\(error); ignored")
            return
        }
        let fields: [String: Node.Scalar]
        do { fields = try Self.metadataFields(text) } catch let problem as SourceProblem {
            notes.append("\(Self.metadataName): \(problem.message); ignored")
            return
        } catch {
            notes.append("\(Self.metadataName) is not valid YAML; ignored")
            return
        }
        name = fields["name"]?.string
        email = fields["email"]?.string
        if let scalar = fields["submitted_at"] {
            submittedAt = Date.construct(from: scalar) ?? ISO8601DateFormatter().date(from: scalar.string)
            if submittedAt == nil { notes.append("\(Self.metadataName): submitted_at \"\(scalar.string.prefix(60))\" is not an ISO 8601 date and time; ignored") }
        }
    }

    /// The metadata file's name.
    static let metadataName = "submission.yaml"

    /// The most YAML nodes a metadata document may hold.
    static let maximumMetadataNodes = 256

    /// The top-level scalar fields of a metadata document: a mapping of names to values, without aliases
    /// or merge keys (which would let a kilobyte expand into gigabytes), of at most `maximumMetadataNodes` nodes.
    ///
    /// Composing the document is cheap even for an alias bomb (an alias shares its anchor's node); what
    /// would expand it is a walk of the tree, so the walk counts nodes and stops at the bound. An alias is
    /// recognised because its node is the anchored node, starting at the same place: no two other nodes of
    /// one kind start at the same place (a mapping and its first key do, but are of different kinds).
    static func metadataFields(_ text: String) throws -> [String: Node.Scalar] {
        guard let root = try Yams.compose(yaml: text) else { return [:] }
        var seen = Set<String>()
        var pending = [root]
        while let node = pending.popLast() {
            guard seen.count < maximumMetadataNodes else { throw SourceProblem(message: "more than \(maximumMetadataNodes) values") }
            let kind = switch node { case .mapping: "mapping"; case .sequence: "sequence"; case .scalar: "scalar"; case .alias: "alias" }
            if let mark = node.mark, !seen.insert("\(mark.line):\(mark.column) \(kind)").inserted {
                throw SourceProblem(message: "anchors and aliases are not accepted")
            }
            switch node {
            case let .mapping(mapping):
                for (key, value) in mapping {
                    if key.scalar?.string == "<<" { throw SourceProblem(message: "merge keys (<<) are not accepted") }
                    pending.append(key)
                    pending.append(value)
                }
            case let .sequence(sequence): pending.append(contentsOf: sequence)
            case .scalar, .alias: break
            }
        }
        guard case let .mapping(mapping) = root else { throw SourceProblem(message: "not a mapping of keys to values") }
        var fields: [String: Node.Scalar] = [:]
        for (key, value) in mapping {
            guard case let .scalar(name) = key, case let .scalar(scalar) = value else { continue }
            fields[name.string] = scalar
        }
        return fields
    }

    /// Folders of a student's Swift package that are not the submission: the experiments target the
    /// student kit's starter package has, and tests.
    public static let ignoredFolders: Set<String> = ["Experiments", "Tests"]

    /// Whether `name` is a SwiftPM manifest (`Package.swift`, `Package@swift-6.0.swift`), never a source.
    public static func isPackageManifest(_ name: String) -> Bool {
        name == "Package.swift" || (name.hasPrefix("Package@swift-") && name.hasSuffix(".swift"))
    }

    /// The `.swift` files below the folder, sorted by path: hidden folders, `ignoredFolders` and SwiftPM
    /// manifests are skipped, so a student who works in the kit's Swift package submits the package as it is.
    /// Each is read as an untrusted file: a symbolic link, a hard link, anything but a regular file or a file
    /// over `maximumSourceBytes` makes the submission ungradable, with a message that names the file.
    public func sources() throws -> [SourceFile] {
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(at: url, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles]) else { return [] }
        var files: [SourceFile] = []
        for case let file as URL in enumerator {
            if (try? file.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true {
                if Self.ignoredFolders.contains(file.lastPathComponent) { enumerator.skipDescendants() }
                continue
            }
            guard file.pathExtension == "swift", !Self.isPackageManifest(file.lastPathComponent) else { continue }
            let relative = String(file.path.dropFirst(url.path.count + 1))
            let contents: Data
            do { contents = try UntrustedFile.read(file, relativePath: relative, maximumBytes: Self.maximumSourceBytes) } catch {
                throw SourceProblem(message: "\(error)")
            }
            files.append(SourceFile(relativePath: relative, contents: contents))
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
        return hasher.finalize().hexadecimal
    }

    /// A reason the sources cannot be graded.
    public struct SourceProblem: Error, CustomStringConvertible {
        /// What is wrong, for the student.
        public let message: String
        /// The message.
        public var description: String { message }
    }
}
