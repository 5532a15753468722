import Foundation
import Gradebook
import Grader
import Testing
@testable import GradeCLI
import TestTiers

/// The gradebook survives a killed grader, concurrent graders, and unusable paths.
@Suite(.serialized, .courseDrivers, .sandboxTiming) struct FaultToleranceTests {
    /// The built `grade` executable, beside the test bundle.
    static let gradeExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("grade")

    static func startGrade(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = gradeExecutable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func integrity(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, "PRAGMA integrity_check; PRAGMA foreign_key_check;"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func killingTheGraderMidRunLosesAtMostTheSubmissionInFlight() throws {
        let course = try EndToEndTests.courseCopy()
        let database = course.appendingPathComponent(".grade/gradebook.sqlite").path
        let grader = try Self.startGrade(["practical1", "--course", course.path, "--jobs", "1"])
        // Wait until two submissions are recorded, then kill -9.
        let deadline = Date().addingTimeInterval(120)
        var recorded = 0
        while Date() < deadline, grader.isRunning {
            if FileManager.default.fileExists(atPath: database), let grades = try? Gradebook(path: database).currentGrades(assignmentID: "practical1") {
                recorded = grades.count
                if recorded >= 2 { break }
            }
            usleep(20_000)
        }
        kill(grader.processIdentifier, SIGKILL)
        grader.waitUntilExit()
        #expect(recorded >= 2)

        #expect(try Self.integrity(database) == "ok")
        let gradebook = try Gradebook(path: database)
        let before = try gradebook.currentGrades(assignmentID: "practical1")
        #expect(before.count >= 2 && before.count < 7, "killed mid-run: \(before.count) recorded")
        for grade in before {
            #expect(try gradebook.caseResults(submissionID: grade.submissionID).count == 58, "\(grade.studentID) recorded whole")
        }
        let interrupted = try gradebook.runs(assignmentID: "practical1")
        #expect(interrupted.count == 1 && interrupted[0].finishedAt == nil)

        // The next run grades only what is missing and keeps what was recorded.
        var command = try GradeCommand.parseAsRoot(["practical1", "--course", course.path])
        try command.run()
        let after = try gradebook.currentGrades(assignmentID: "practical1")
        #expect(after.count == 7)
        for grade in before {
            #expect(after.first { $0.studentID == grade.studentID }?.submissionID == grade.submissionID, "\(grade.studentID) not regraded")
        }
        #expect(try Self.integrity(database) == "ok")
    }

    @Test func twoGradersCanShareOneGradebook() throws {
        let course = try EndToEndTests.courseCopy()
        let database = course.appendingPathComponent(".grade/gradebook.sqlite").path
        let first = try Self.startGrade(["practical1", "--course", course.path, "--student", "alice", "--jobs", "1"])
        let second = try Self.startGrade(["practical1", "--course", course.path, "--student", "gabriel", "--jobs", "1"])
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
        let grades = try Gradebook(path: database).currentGrades(assignmentID: "practical1")
        #expect(grades.map(\.studentID) == ["alice", "gabriel"])
        #expect(grades.map(\.points) == [16, 14])
        #expect(try Self.integrity(database) == "ok")
    }

    /// Mounts a tmpfs of `kilobytes` at a new folder (read-only when asked) and returns it.
    static func mountTmpfs(kilobytes: Int, readOnly: Bool) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grade-mount-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", "size=\(kilobytes)k\(readOnly ? ",ro" : "")", "tmpfs", folder.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "tests run as root, which may mount a tmpfs")
        return folder
    }

    static func unmount(_ folder: URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [folder.path]
        try? process.run()
        process.waitUntilExit()
    }

    @Test func readOnlyAndFullGradebookPathsFailBeforeAnyGrading() throws {
        let course = try EndToEndTests.courseCopy()
        let readOnly = try Self.mountTmpfs(kilobytes: 1024, readOnly: true)
        defer { Self.unmount(readOnly) }
        let readOnlyPath = readOnly.appendingPathComponent("gradebook.sqlite").path
        #expect {
            var command = try GradeCommand.parseAsRoot(["practical1", "--course", course.path, "--gradebook", readOnlyPath])
            try command.run()
        } throws: { error in
            "\(error)".hasPrefix("cannot use the gradebook at \(readOnlyPath)")
        }

        // A gradebook that exists, on a disk that has since filled up.
        let small = try Self.mountTmpfs(kilobytes: 2048, readOnly: false)
        defer { Self.unmount(small) }
        let fullPath = small.appendingPathComponent("gradebook.sqlite").path
        _ = try Gradebook(path: fullPath)
        let filler = small.appendingPathComponent("filler")
        FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        while (try? handle.write(contentsOf: Data(repeating: 1, count: 64 << 10))) != nil {}
        try? handle.close()
        #expect {
            var command = try GradeCommand.parseAsRoot(["practical1", "--course", course.path, "--gradebook", fullPath])
            try command.run()
        } throws: { error in
            "\(error)".hasPrefix("cannot use the gradebook at \(fullPath)") && "\(error)".contains("full")
        }
        #expect(!FileManager.default.fileExists(atPath: course.appendingPathComponent(".grade/feedback").path), "no grading work was done")
    }
}
