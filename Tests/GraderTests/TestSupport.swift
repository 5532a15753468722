import CourseDrivers
import Foundation
@testable import Grader

/// Paths and helpers shared by the Grader tests.
enum TestSupport {
    /// The repository root, which doubles as the demo course folder.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The demo course.
    static let course = CourseLayout(root: repositoryRoot)

    /// A fixed instructor secret, so hidden cases are the same on every run of the tests.
    static let secret = try! InstructorSecret(hex: "5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee0001")

    /// A fresh temporary folder.
    static func temporaryFolder(_ name: String = "grade-tests") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A state folder shared by the tests of one process, so the submission build cache is reused.
    static let sharedState: URL = temporaryFolder("grade-tests-state")

    /// A grader for practical 1 of the demo course.
    static func practical1Grader(secret: InstructorSecret? = TestSupport.secret) throws -> AssignmentGrader<Practical1Driver> {
        let loaded = try Practical1Driver.load("practical1", from: course, requireRubric: true)
        return try AssignmentGrader(spec: loaded.spec, rubric: loaded.rubric, secret: secret, driver: Practical1Driver(), stateFolder: sharedState)
    }

    /// Writes `files` (name → contents) into a new folder named `student` and returns it.
    static func submission(_ student: String, files: [String: String]) -> SubmissionFolder {
        let folder = temporaryFolder("submission").appendingPathComponent(student)
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, contents) in files {
            try! Data(contents.utf8).write(to: folder.appendingPathComponent(name))
        }
        return SubmissionFolder(url: folder)
    }

    /// The sources of a sample submission of the demo course, as name → text.
    static func sampleFiles(_ student: String) -> [String: String] {
        let folder = course.submissionsURL("practical1").appendingPathComponent(student)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var files: [String: String] = [:]
        for name in names where name.hasSuffix(".swift") {
            files[name] = try! String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }
}
