import Crypto
import Foundation
import Gradebook
import Grader
import Outcomes
import Testing
@testable import GradeCLI
import TestTiers

/// The grader's own faults are never grades: missing data stops the run before anyone is graded, a
/// process that fails before any student code runs is a grader error that records nothing, and a
/// damaged, moved or copied state folder keeps every grade.
@Suite(.serialized, .courseDrivers, .integration) struct GraderFaultTests {
    static func grade(_ arguments: [String]) throws {
        var command = try GradeCommand.parseAsRoot(arguments)
        try command.run()
    }

    static func points(_ course: URL, _ assignment: String = "practical1") throws -> [String: Double] {
        let grades = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path).currentGrades(assignmentID: assignment)
        return Dictionary(uniqueKeysWithValues: grades.map { ($0.studentID, $0.points) })
    }

    static let practical1Points: [String: Double] = ["alice": 16, "bastien": 13.333333333333332, "chloe": 12.6, "dmitri": 12, "emma": 0, "farid": 15.5, "gabriel": 14]

    /// The cached build of the one submission graded in `course`: the largest executable of the cache, since
    /// the cache also holds the grader's small start-up probe.
    static func submissionBuild(_ course: URL) throws -> URL {
        let builds = course.appendingPathComponent(".grade/builds")
        let folders = try FileManager.default.contentsOfDirectory(at: builds, includingPropertiesForKeys: nil)
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("submission").path) }
        let size = { (folder: URL) in (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("submission").path)[.size] as? Int) ?? 0 }
        #expect(folders.count == 2, "the probe's build and the submission's")
        return try #require(folders.max { size($0) < size($1) })
    }

    @Test func missingCourseDataStopsTheRunBeforeAnyoneIsGraded() throws {
        let course = try EndToEndTests.courseCopy()
        try FileManager.default.removeItem(at: course.appendingPathComponent("Assignments/data/mnist"))
        #expect {
            try Self.grade(["practical2", "--course", course.path, "--student", "alice"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("nothing was graded") && text.contains("course data") && text.contains("train-images-idx3-ubyte.gz")
        }
        #expect(try Self.points(course, "practical2").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: course.appendingPathComponent(".grade/feedback/practical2/alice.txt").path))
    }

    @Test func aProcessThatCannotStartIsAGraderErrorAndRecordsNothing() throws {
        let course = try EndToEndTests.courseCopy()
        try Self.grade(["practical1", "--course", course.path, "--student", "alice"])
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        let before = try #require(try gradebook.currentGrades(assignmentID: "practical1").first)
        let feedbackURL = course.appendingPathComponent(".grade/feedback/practical1/alice.txt")
        let feedback = try Data(contentsOf: feedbackURL)

        // The cached executable now fails the way a loader does, with its digest made to match: the grader trusts it.
        let build = try Self.submissionBuild(course)
        let broken = Data("#!/bin/sh\necho 'error while loading shared libraries: libSubmissionKit.so' >&2\nexit 127\n".utf8)
        try broken.write(to: build.appendingPathComponent("submission"))
        try Data(SHA256.hash(data: broken).map { String(format: "%02x", $0) }.joined().utf8).write(to: build.appendingPathComponent("submission.sha256"))

        #expect {
            try Self.grade(["practical1", "--course", course.path, "--student", "alice", "--force"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("alice was not graded (grader error; the previous grade stands)") && text.contains("before any of its code ran")
        }
        let after = try #require(try gradebook.currentGrades(assignmentID: "practical1").first)
        #expect(after.submissionID == before.submissionID && after.points == 16)
        #expect(try Data(contentsOf: feedbackURL) == feedback, "the feedback of the last real grading stands")
        let runs = try gradebook.runs(assignmentID: "practical1")
        #expect(runs.count == 2 && runs.allSatisfy { $0.finishedAt != nil })
    }

    @Test func aDamagedCachedBuildIsBuiltAgain() throws {
        let course = try EndToEndTests.courseCopy()
        try Self.grade(["practical1", "--course", course.path, "--student", "alice"])
        let build = try Self.submissionBuild(course)
        let executable = build.appendingPathComponent("submission")
        var bytes = try Data(contentsOf: executable)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: executable)
        try Self.grade(["practical1", "--course", course.path, "--student", "alice", "--force"])
        #expect(try Self.points(course)["alice"] == 16)
        #expect(try Data(contentsOf: executable) != bytes, "rebuilt")
    }

    @Test func aCourseMovedOrCopiedWithItsStateKeepsEveryGrade() throws {
        let original = try EndToEndTests.courseCopy()
        try Self.grade(["practical1", "--course", original.path])
        #expect(try Self.points(original) == Self.practical1Points)

        let moved = original.deletingLastPathComponent().appendingPathComponent("moved-\(UUID().uuidString)")
        let copied = original.deletingLastPathComponent().appendingPathComponent("copied-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: original, to: copied)
        try FileManager.default.moveItem(at: original, to: moved)
        for course in [moved, copied] {
            try Self.grade(["practical1", "--course", course.path, "--force"])
            #expect(try Self.points(course) == Self.practical1Points, "\(course.lastPathComponent)")
            let cases = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path).currentGrades(assignmentID: "practical1")
            #expect(cases.allSatisfy { $0.status != .graderError })
        }
    }
}
