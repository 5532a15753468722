import Foundation
import GRDB
import SafeText

/// Why the gradebook could not be opened or written.
///
/// The description reads "cannot use the gradebook at <path>: <reason>", so an instructor sees
/// which file is involved and what to fix.
public struct GradebookError: Error, CustomStringConvertible {
    /// The database path involved, or "(in memory)".
    public let path: String
    /// What went wrong.
    public let reason: String

    /// "cannot use the gradebook at <path>: <reason>".
    public var description: String { "cannot use the gradebook at \(path): \(reason)" }

    /// A file stands where a folder on the way to the database should be.
    static func fileInTheWay(of path: String, at blocking: String) -> GradebookError {
        GradebookError(path: path, reason: "\(blocking) is a file, not a folder")
    }

    /// A folder on the way to the database could not be created; `cause` is the system's error.
    static func cannotCreateFolder(for path: String, folder: String, cause: any Error) -> GradebookError {
        GradebookError(path: path, reason: FileErrorText.sentence(cause, .creatingFolder, path: folder))
    }

    /// SQLite could not open, migrate or write the database; `note` adds what is known about the disk.
    static func cannotOpen(_ path: String, _ error: any Error, note: String) -> GradebookError {
        GradebookError(path: path, reason: describe(error) + note)
    }

    /// The database holds migrations this version does not know: a newer `grade` wrote it.
    static func writtenByNewerVersion(_ path: String, unknownMigrations: [String]) -> GradebookError {
        GradebookError(path: path, reason: """
            it was written by a newer version of grade (unknown schema migrations: \(unknownMigrations.joined(separator: ", "))); \
            update grade to use it
            """)
    }

    /// A submission names a grading run that `beginRun` never returned.
    static func unknownRun(_ id: Int64, in path: String) -> GradebookError {
        GradebookError(path: path, reason: "there is no grading run \(id)")
    }

    /// A submission of one assignment was recorded in a run of another.
    static func runOfAnotherAssignment(_ id: Int64, runAssignment: String, submissionAssignment: String, in path: String) -> GradebookError {
        GradebookError(path: path, reason: "grading run \(id) grades \(runAssignment), not \(submissionAssignment)")
    }

    /// SQLite's own message for a database error, a file error in plain words, the localized description
    /// for any other error.
    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return FileErrorText.sentence(for: error) ?? (error as NSError).localizedDescription
    }
}
