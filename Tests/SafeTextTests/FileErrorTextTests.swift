import Foundation
import SafeText
import Testing

/// Failed file operations told in plain sentences that name the path and say what to do, from the errors
/// Foundation really throws.
struct FileErrorTextTests {
    /// A fresh folder holding `file` (a file) and `folder` (a folder).
    static func scratch() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("file-error-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("folder"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: root.appendingPathComponent("file"))
        return root
    }

    /// The error `body` throws.
    static func failure(_ body: () throws -> Void) throws -> any Error {
        do { try body() } catch { return error }
        throw CancellationError()
    }

    @Test func aMissingFileIsSaidToBeMissing() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("missing.zip").path
        let error = try Self.failure { _ = try Data(contentsOf: URL(fileURLWithPath: path)) }
        #expect(FileErrorText.sentence(error, .reading, path: path) == "cannot read \(path): there is no such file; check the path")
        #expect(FileErrorText.sentence(.reading, path: path) == "cannot read \(path): there is no such file; check the path")
        #expect(FileErrorText.sentence(for: error) == "cannot read \(path): there is no such file; check the path")
    }

    @Test func aFolderGivenForAFileIsSaidToBeOne() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("folder").path
        let written = try Self.failure { try Data("a".utf8).write(to: URL(fileURLWithPath: folder), options: .atomic) }
        #expect(FileErrorText.sentence(written, .writing, path: folder)
                == "cannot write \(folder): it is a folder, not a file; give the path of a file to write, such as \(folder)/<name>")
        #expect(FileErrorText.sentence(for: written) == FileErrorText.sentence(written, .writing, path: folder))
        let read = try Self.failure { _ = try Data(contentsOf: URL(fileURLWithPath: folder)) }
        #expect(FileErrorText.sentence(read, .reading, path: folder) == "cannot read \(folder): it is a folder, not a file; give the path of a file in it")
    }

    @Test func aMissingParentFolderIsNamed() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("exports/2026/upload.csv").path
        let error = try Self.failure { try Data("a".utf8).write(to: URL(fileURLWithPath: path), options: .atomic) }
        #expect(FileErrorText.sentence(error, .writing, path: path)
                == "cannot write \(path): the folder \(root.path)/exports does not exist; create it first, or choose another place")
        let read = try Self.failure { _ = try Data(contentsOf: URL(fileURLWithPath: path)) }
        #expect(FileErrorText.sentence(read, .reading, path: path) == "cannot read \(path): the folder \(root.path)/exports does not exist; check the path")
    }

    @Test func aFileUsedAsAFolderIsNamed() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("file/sub").path
        let error = try Self.failure { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        #expect(FileErrorText.sentence(error, .creatingFolder, path: path) == "cannot create the folder \(path): \(root.path)/file is a file, not a folder; check the path")
        let listed = try Self.failure { _ = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("file").path) }
        #expect(FileErrorText.sentence(listed, .listing, path: root.appendingPathComponent("file").path)
                == "cannot list the folder \(root.path)/file: it is a file, not a folder; check the path")
    }

    @Test func aFullDiskIsSaidToBeFull() throws {
        let error = try Self.failure { try Data("a".utf8).write(to: URL(fileURLWithPath: "/dev/full")) }
        #expect(FileErrorText.sentence(error, .writing, path: "/dev/full") == "cannot write /dev/full: the disk is full; free some space and run the command again")
    }

    @Test func permissionDeniedSaysHowToLook() {
        // Built as Foundation builds it: the tests may run as root, which no mode stops.
        let error = CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: "/srv/grades.csv",
                                                                  NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))])
        let expected = "cannot write /srv/grades.csv: permission denied; see who owns it and its mode with `ls -l`, or choose another place"
        #expect(FileErrorText.sentence(error, .writing, path: "/srv/grades.csv") == expected)
        #expect(FileErrorText.sentence(for: error) == expected)
        #expect(FileErrorText.sentence(POSIXError(.EACCES), .reading, path: "/srv/grades.csv")
                == "cannot read /srv/grades.csv: permission denied; see who owns it and its mode with `ls -l`, or choose another place")
    }

    @Test func anErrorThatIsNotAboutAFileIsLeftToItsCaller() throws {
        #expect(FileErrorText.sentence(for: CancellationError()) == nil)
        #expect(FileErrorText.sentence(for: CocoaError(.coderReadCorrupt)) == nil)
        #expect(FileErrorText.describing(CancellationError()) == "\(CancellationError())")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString).csv").path
        let missing = try Self.failure { _ = try Data(contentsOf: URL(fileURLWithPath: path)) }
        #expect(FileErrorText.describing(missing) == "cannot read \(path): there is no such file; check the path")
    }
}
