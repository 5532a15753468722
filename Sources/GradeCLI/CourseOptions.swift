import ArgumentParser
import Foundation
import GradeServices
import Grader
import SafeText
import StudentCLI

/// Options every instructor command shares: where the course folder and the gradebook are.
struct CourseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The course folder (default: the nearest folder at or above the current one that has Assignments/).", valueName: "path"))
    var course: String?

    @Option(name: .long, help: ArgumentHelp("The gradebook database (default: <course>/.grade/gradebook.sqlite).", valueName: "path"))
    var gradebook: String?

    /// The course layout, or a clear error when none is found; searched from `start` (default: the current folder).
    func layout(startingAt start: URL? = nil) throws -> CourseLayout {
        try CourseFolder.layout(course: course, startingAt: start)
    }

    /// The gradebook path for `layout`.
    func gradebookPath(in layout: CourseLayout) -> String {
        gradebook.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path }
            ?? layout.gradebookURL.path
    }
}

extension CourseOptions {
    /// The course's policy, roster and gradebook.
    func records() throws -> CourseRecords {
        let layout = try layout()
        return try CourseRecords.load(layout: layout, gradebookPath: gradebookPath(in: layout), registry: Practicals.registry)
    }
}

/// A reason given on the command line: required, and not blank.
func requireReason(_ reason: String?) throws -> String {
    guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
        throw ValidationError("give a --reason: every change by hand is kept in the audit log with why it was made")
    }
    return reason
}

/// A command's failure, printed by ArgumentParser as "Error: <message>" with exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    /// A failure whose message is shown with control characters escaped: it can quote submissions.
    init(_ message: String) { description = SafeText.escaped(message) }
}
