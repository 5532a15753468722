import Foundation
import Gradebook
import Grader
@testable import StudentCLI
import Testing
@testable import GradeCLI
import TestTiers

/// `grade practical1`, `grade export` and `grade --local` on a copy of the demo course.
@Suite(.serialized, .courseDrivers, .integration) struct EndToEndTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh copy of the course folder (specs, rubrics, samples) with no gradebook or secret.
    static func courseCopy() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grade-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for folder in ["Assignments", "Rubrics", "Submissions"] {
            try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        return root
    }

    /// What Moodle's assignment of `practical` would give for the bundled class (`scripts/moodle-demo-class`):
    /// the submissions archive and the grading worksheet, written into `folder`.
    static func moodleFiles(_ practical: String, into folder: URL) throws -> (archive: URL, worksheet: URL) {
        let script = Process()
        script.executableURL = repositoryRoot.appendingPathComponent("scripts/moodle-demo-class")
        script.arguments = [practical, folder.path]
        script.standardOutput = FileHandle.nullDevice
        try script.run()
        script.waitUntilExit()
        #expect(script.terminationStatus == 0, "scripts/moodle-demo-class \(practical)")
        return (folder.appendingPathComponent("\(practical)-submissions.zip"), folder.appendingPathComponent("\(practical)-worksheet.csv"))
    }

    func run(_ arguments: [String]) throws {
        var command = try GradeCommand.parseAsRoot(arguments)
        try command.run()
    }

    @Test func gradingRecordsEveryStudentAndExportsTheirGrades() throws {
        let course = try Self.courseCopy()
        try run(["practical1", "--course", course.path])
        let gradebookPath = course.appendingPathComponent(".grade/gradebook.sqlite").path
        let grades = try Gradebook(path: gradebookPath).currentGrades(assignmentID: "practical1")
        let points = Dictionary(uniqueKeysWithValues: grades.map { ($0.studentID, $0.points) })
        #expect(points == GraderFaultTests.practical1Points)
        #expect(FileManager.default.fileExists(atPath: course.appendingPathComponent(".grade/feedback/practical1/dmitri.txt").path))

        let csvURL = course.appendingPathComponent("grades.csv")
        try run(["export", "--course", course.path, "--format", "automatic", "--out", csvURL.path])
        let csv = try String(contentsOf: csvURL, encoding: .utf8)
        #expect(csv == """
            student_id,name,email,practical1\r
            alice,Alice Martin,alice.martin@example.edu,16\r
            bastien,Bastien Leroy,bastien.leroy@example.edu,13.33\r
            chloe,Chloé Dubois,chloe.dubois@example.edu,12.6\r
            dmitri,Dmitri Volkov,dmitri.volkov@example.edu,12\r
            emma,Emma Petit,emma.petit@example.edu,0\r
            farid,Farid Benali,farid.benali@example.edu,15.5\r
            gabriel,Gabriel Moreau,gabriel.moreau@example.edu,14\r

            """)
    }

    @Test func withoutNetworkIsolationGradingIsRefusedUnlessAllowed() throws {
        let course = try Self.courseCopy()
        let options = try CourseOptions.parse(["--course", course.path])
        var grading = InstructorGrading(assignment: "practical1", students: ["alice"], force: false, jobs: 1, printFeedback: false,
                                        allowUnsandboxed: false, courseOptions: options)
        grading.probe = { .unsandboxed }
        #expect {
            try grading.run()
        } throws: { error in
            "\(error)".hasPrefix("refusing to grade: without bubblewrap, submissions could reach the network")
        }
        #expect(try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path).currentGrades(assignmentID: "practical1").isEmpty)
        // With the explicit flag it grades, using the layers that remain (process group, limits, caps).
        var allowed = InstructorGrading(assignment: "practical1", students: ["alice"], force: false, jobs: 1, printFeedback: false,
                                    allowUnsandboxed: true, courseOptions: options)
        allowed.probe = { .unsandboxed }
        try allowed.run()
        #expect(try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path).currentGrades(assignmentID: "practical1").map(\.points) == [16])
    }

    @Test func unsafeStudentFoldersAreSkippedAndTheRestGraded() throws {
        let course = try Self.courseCopy()
        let submissions = course.appendingPathComponent("Submissions/practical1")
        for name in ["two words", "quote'd"] {
            try FileManager.default.copyItem(at: submissions.appendingPathComponent("alice"), to: submissions.appendingPathComponent(name))
        }
        try FileManager.default.createSymbolicLink(at: submissions.appendingPathComponent("linked"), withDestinationURL: submissions.appendingPathComponent("alice"))
        try run(["practical1", "--course", course.path])
        let grades = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path).currentGrades(assignmentID: "practical1")
        #expect(grades.map(\.studentID) == ["alice", "bastien", "chloe", "dmitri", "emma", "farid", "gabriel"])
    }

    @Test func unchangedSubmissionsAreNotRegradedUnlessForced() throws {
        let course = try Self.courseCopy()
        try run(["practical1", "--course", course.path, "--student", "alice"])
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        let first = try #require(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "alice"))
        try run(["practical1", "--course", course.path, "--student", "alice"])
        let second = try #require(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "alice"))
        #expect(second.submissionID == first.submissionID, "unchanged: not graded again")

        // A changed source is regraded; so is everything with --force.
        let solution = course.appendingPathComponent("Submissions/practical1/alice/Solution.swift")
        try (try String(contentsOf: solution, encoding: .utf8) + "\n// revised\n").write(to: solution, atomically: true, encoding: .utf8)
        try run(["practical1", "--course", course.path, "--student", "alice"])
        let third = try #require(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "alice"))
        #expect(third.submissionID != second.submissionID)
        try run(["practical1", "--course", course.path, "--student", "alice", "--force"])
        let fourth = try #require(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "alice"))
        #expect(fourth.submissionID != third.submissionID)
        #expect(try gradebook.runs(assignmentID: "practical1").count == 4)
    }

    @Test func aMalformedSpecGradesNothing() throws {
        let course = try Self.courseCopy()
        let rubric = course.appendingPathComponent("Rubrics/practical1.yaml")
        let text = try String(contentsOf: rubric, encoding: .utf8).replacingOccurrences(of: "check: gd-contraction", with: "check: gd-contractoin")
        try text.write(to: rubric, atomically: true, encoding: .utf8)
        #expect {
            try run(["practical1", "--course", course.path])
        } throws: { error in
            let message = "\(error)"
            return message.contains("Rubrics/practical1.yaml:") && message.contains("gd-contractoin") && message.contains("nothing was graded")
        }
        #expect(!FileManager.default.fileExists(atPath: course.appendingPathComponent(".grade/gradebook.sqlite").path))
    }

    @Test func anUnusableGradebookPathFailsBeforeGrading() throws {
        let course = try Self.courseCopy()
        let blocker = course.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: blocker)
        #expect(throws: (any Error).self) {
            try run(["practical1", "--course", course.path, "--gradebook", blocker.appendingPathComponent("gradebook.sqlite").path])
        }
        #expect(!FileManager.default.fileExists(atPath: course.appendingPathComponent(".grade/feedback").path), "no grading work was done")
    }

    @Test func aStudentSelfChecksTheirFolderWithoutRecordingAnything() throws {
        let course = try Self.courseCopy()
        let folder = course.appendingPathComponent("Submissions/practical1/dmitri")
        let output = try LocalCheck(assignment: nil, json: false, course: nil).check(folder).feedback
        #expect(output.contains("Only public cases were run"))
        #expect(output.contains("your first iterate is x_1, not x_0"))
        #expect(output.contains("inputs: f = quadratic in R^2"))
        #expect(!output.contains("hidden"))
        #expect(!FileManager.default.fileExists(atPath: course.appendingPathComponent(".grade").path), "nothing recorded, no secret created")
    }
}
