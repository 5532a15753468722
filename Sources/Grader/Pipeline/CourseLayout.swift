import Foundation

/// Where things live in a course folder.
///
/// ```
/// <course>/Assignments/<id>.yaml      assignment specs (handed out)
/// <course>/Assignments/data/<name>/    data sets the practicals read (mnist/)
/// <course>/Rubrics/<id>.yaml          rubrics and course policy
/// <course>/Rubrics/course.yaml       weights, late policy, scale, rounding, limits
/// <course>/Assignments/mcq.yaml       the quiz's question bank
/// <course>/Submissions/<id>/<student> student folders
/// <course>/Submissions/roster.csv     student_id,name,email
/// <course>/.grade/gradebook.sqlite    the gradebook (default path)
/// <course>/.grade/instructor-secret   the key of the hidden cases (never handed out)
/// <course>/.grade/builds, toolkit     build cache and the submission toolkit
/// <kit>/Cases/<id>/cases.json         in a student's kit: the public cases stored whole (`PublicCaseBundle`)
/// <kit>/Cases/<id>/data/              and the data files their calls read
/// <kit>/Solution/                     the starter package, where the student's solution is written
/// ```
public struct CourseLayout: Sendable {
    /// The course folder.
    public let root: URL

    /// A layout rooted at `root`.
    public init(root: URL) { self.root = URL(fileURLWithPath: root.standardizedFileURL.path, isDirectory: true) }

    /// The nearest folder at or above `start` that has an `Assignments` folder, if any.
    public static func find(from start: URL) -> CourseLayout? {
        var folder = start.standardizedFileURL
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Assignments").path, isDirectory: &isDirectory),
               isDirectory.boolValue {
                return CourseLayout(root: folder)
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The assignment spec of `assignment`.
    public func specURL(_ assignment: String) -> URL { root.appendingPathComponent("Assignments/\(assignment).yaml") }
    /// The rubric of `assignment`.
    public func rubricURL(_ assignment: String) -> URL { root.appendingPathComponent("Rubrics/\(assignment).yaml") }
    /// The folder of all submissions to `assignment`.
    public func submissionsURL(_ assignment: String) -> URL { root.appendingPathComponent("Submissions/\(assignment)") }
    /// The course policy.
    public var coursePolicyURL: URL { URL(fileURLWithPath: "Rubrics/course.yaml", relativeTo: root) }
    /// A path the course policy gives relative to the course folder, such as the roster's.
    public func url(relative path: String) -> URL { root.appendingPathComponent(path) }
    /// The data set `name` shipped with the course (`Assignments/data/<name>`), such as `mnist`.
    public func dataURL(_ name: String) -> URL { root.appendingPathComponent("Assignments/data/\(name)") }
    /// The stored public cases of `assignment` in a student's kit (`PublicCaseBundle`).
    public func publicCasesURL(_ assignment: String) -> URL { root.appendingPathComponent("Cases/\(assignment)/cases.json") }
    /// The folder of the data files the stored public cases of `assignment` read.
    public func publicCaseDataURL(_ assignment: String) -> URL { root.appendingPathComponent("Cases/\(assignment)/data") }
    /// CourseKit's sources, which students may read (their protocols' doc comments are the practicals' reference).
    public var courseKitSourcesURL: URL { root.appendingPathComponent("Sources/CourseKit") }
    /// SubmissionRuntime's sources: the calls the grader makes and `SavedCase`, which a kit ships so that a
    /// student's experiments can replay a saved case.
    public var submissionRuntimeSourcesURL: URL { root.appendingPathComponent("Sources/SubmissionRuntime") }
    /// In a student's kit: the starter package, the folder in which the student writes and checks a solution.
    public var kitSolutionURL: URL { root.appendingPathComponent("Solution") }
    /// Whether this is a student's kit (it has the starter package `Solution/`), not the course.
    public var isStudentKit: Bool { FileManager.default.fileExists(atPath: kitSolutionURL.appendingPathComponent("Package.swift").path) }
    /// The grader's private state folder.
    public var stateURL: URL { root.appendingPathComponent(".grade") }
    /// The default gradebook.
    public var gradebookURL: URL { stateURL.appendingPathComponent("gradebook.sqlite") }
    /// The instructor secret.
    public var secretURL: URL { stateURL.appendingPathComponent("instructor-secret") }

    /// The ids of the assignments that have a spec, sorted: the `Assignments/<id>.yaml` files with a
    /// top-level `protocol:` key (which every assignment spec has and the quiz bank has not).
    public func assignmentIDs() -> [String] {
        let folder = root.appendingPathComponent("Assignments")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in
            guard name.hasSuffix(".yaml"), IdentifierRules.isSpecID(String(name.dropLast(5))),
                  let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { return false }
            return text.split(separator: "\n").contains { $0.hasPrefix("protocol:") }
        }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The student folders of `assignment`, sorted by id (hidden folders, plain files and symbolic links skipped).
    public func submissionFolders(_ assignment: String) throws -> [URL] {
        let folder = submissionsURL(assignment)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        return names.sorted().filter { !$0.hasPrefix(".") }.map { folder.appendingPathComponent($0) }.filter { url in
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil { return false }
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }
}
