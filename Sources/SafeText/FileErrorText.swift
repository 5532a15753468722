import Foundation

/// The one way a file operation that failed is told to a person: which path, what happened and what to
/// do, in plain sentences, never the system's own text ("NSCocoaErrorDomain error 512",
/// "Error Domain=NSPOSIXErrorDomain Code=2").
///
/// The cause comes from the error's POSIX code when it carries one, and from the file system when the
/// code alone cannot tell (a missing parent folder and a parent that is a file both fail with "no such
/// file"): no such file or folder, a folder where a file was meant, permission denied, a full or
/// read-only disk, something already there.
public enum FileErrorText {
    /// What was being done to the path when it failed.
    public enum Operation: Sendable {
        /// Reading a file.
        case reading
        /// Writing (or replacing) a file.
        case writing
        /// Creating a folder.
        case creatingFolder
        /// Listing a folder's contents.
        case listing
        /// Anything else: moving, copying, reading its attributes.
        case using
    }

    /// The sentence for `error`, raised while doing `operation` to `path`: "cannot write out.csv: it is a
    /// folder, not a file; …".
    public static func sentence(_ error: any Error, _ operation: Operation, path: String) -> String {
        "\(failed(operation, path)): \(reason(error, operation, path: path))"
    }

    /// The sentence for a file that cannot be used for `operation` at `path`, judged from the file system
    /// alone (for a library that reports failures in its own terms).
    public static func sentence(_ operation: Operation, path: String) -> String {
        "\(failed(operation, path)): \(cause(code: nil, operation, path: path) ?? "it cannot be used; check the path")"
    }

    /// What happened and what to do, without the path: for a message that names the file already
    /// ("Rubrics/course.yaml: error: cannot be read: permission denied; …").
    public static func reason(_ error: any Error, _ operation: Operation, path: String) -> String {
        cause(code: posixCode(of: error), operation, path: path) ?? "check the path and try again (the system says: \(error.localizedDescription))"
    }

    /// The sentence for a Foundation file error that names its path, or nil for any other error: for
    /// failures no caller turned into a sentence of its own.
    public static func sentence(for error: any Error) -> String? {
        let error = error as NSError
        guard error.domain == NSCocoaErrorDomain,
              let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path else { return nil }
        let operation: Operation
        switch error.code {
        case CocoaError.Code.fileReadUnknown.rawValue...CocoaError.Code.fileReadUnknownStringEncoding.rawValue:
            operation = error.userInfo["NSUserStringVariant"] as? [String] == ["Folder"] ? .listing : .reading
        case CocoaError.Code.fileWriteUnknown.rawValue...CocoaError.Code.fileWriteVolumeReadOnly.rawValue: operation = .writing
        case CocoaError.Code.fileNoSuchFile.rawValue, CocoaError.Code.fileLocking.rawValue: operation = .using
        default: return nil
        }
        return sentence(error, operation, path: path)
    }

    /// `error` for a person: `sentence(for:)` for a Foundation file error that names its path, else its own
    /// description (the tool's errors describe themselves).
    public static func describing(_ error: any Error) -> String {
        sentence(for: error) ?? "\(error)"
    }

    /// The POSIX error code behind `error`: its own, its underlying error's, or the one its Foundation code stands for.
    private static func posixCode(of error: any Error) -> Int32? {
        if let error = error as? POSIXError { return error.code.rawValue }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return Int32(nsError.code) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        guard nsError.domain == NSCocoaErrorDomain else { return nil }
        switch CocoaError.Code(rawValue: nsError.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return ENOENT
        case .fileReadNoPermission, .fileWriteNoPermission: return EACCES
        case .fileWriteOutOfSpace: return ENOSPC
        case .fileWriteVolumeReadOnly: return EROFS
        case .fileWriteFileExists: return EEXIST
        default: return nil
        }
    }

    /// "cannot write <path>", and so on.
    private static func failed(_ operation: Operation, _ path: String) -> String {
        switch operation {
        case .reading: "cannot read \(path)"
        case .writing: "cannot write \(path)"
        case .creatingFolder: "cannot create the folder \(path)"
        case .listing: "cannot list the folder \(path)"
        case .using: "cannot use \(path)"
        }
    }

    /// What happened and what to do, from the POSIX `code` (when known) and the file system at `path`, or
    /// nil when neither tells.
    private static func cause(code: Int32?, _ operation: Operation, path: String) -> String? {
        switch code {
        case ENOSPC?: return "the disk is full; free some space and run the command again"
        case EROFS?: return "the disk is read-only; choose a place on another disk"
        case EACCES?, EPERM?: return "permission denied; see who owns it and its mode with `ls -l`, or choose another place"
        default: break
        }
        // What is on the way to the path tells a missing folder, a file used as a folder and a folder used as a file apart.
        if let blocking = firstAncestorNotAFolder(of: path) {
            guard blocking.missing else { return "\(blocking.path) is a file, not a folder; check the path" }
            switch operation {
            case .writing, .creatingFolder: return "the folder \(blocking.path) does not exist; create it first, or choose another place"
            case .reading, .listing, .using: return "the folder \(blocking.path) does not exist; check the path"
            }
        }
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        switch (operation, exists, isFolder.boolValue) {
        case (.writing, true, true):
            return "it is a folder, not a file; give the path of a file to write, such as \((path as NSString).appendingPathComponent("<name>"))"
        case (.reading, true, true): return "it is a folder, not a file; give the path of a file in it"
        case (.listing, true, false), (.creatingFolder, true, false): return "it is a file, not a folder; check the path"
        case (.reading, false, _), (.using, false, _): return "there is no such file; check the path"
        case (.listing, false, _): return "there is no such folder; check the path"
        default: break
        }
        switch code {
        case EEXIST?: return "something is already there; remove it or choose another name"
        case EISDIR?: return "it is a folder, not a file; check the path"
        case ENOTDIR?: return "part of the path is a file, not a folder; check the path"
        case ENOENT?: return "there is no such file or folder; check the path"
        case let code?: return String(cString: strerror(code)).lowercased() + "; check the path and try again"
        case nil: return nil
        }
    }

    /// The first folder on the way to `path` (from the root down, `path` itself excluded) that is missing or is
    /// not a folder.
    private static func firstAncestorNotAFolder(of path: String) -> (path: String, missing: Bool)? {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        var ancestor = URL(fileURLWithPath: "/")
        for component in absolute.pathComponents.dropFirst().dropLast() {
            ancestor.appendPathComponent(component)
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) { return (ancestor.path, true) }
            if !isFolder.boolValue { return (ancestor.path, false) }
        }
        return nil
    }
}
