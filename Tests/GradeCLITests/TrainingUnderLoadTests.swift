import Foundation
import Gradebook
import Grader
import Outcomes
import Testing
@testable import GradeCLI
import TestTiers

/// The training budget is CPU time at the course's reference speed, stretched by the slowdown measured
/// before each call, so a loaded grading machine changes no verdict: alice's training is graded on an idle
/// machine, then again with both cores kept busy by other processes.
@Suite(.serialized, .courseDrivers, .sandboxTiming) struct TrainingUnderLoadTests {
    /// Starts `count` processes that spin until killed.
    static func spinners(_ count: Int) throws -> [Process] {
        try (0..<count).map { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "while :; do :; done"]
            try process.run()
            return process
        }
    }

    static func trainingCases(_ course: URL) throws -> [CaseResult] {
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        let grade = try #require(try gradebook.currentGrades(assignmentID: "practical2").first { $0.studentID == "alice" })
        return try gradebook.caseResults(submissionID: grade.submissionID).filter { $0.checkID == "mnist-training" }
    }

    @Test func aLoadedMachineGivesTheSameTrainingVerdict() throws {
        let course = try EndToEndTests.courseCopy()
        var idle = try GradeCommand.parseAsRoot(["practical2", "--course", course.path, "--student", "alice", "--jobs", "1"])
        try idle.run()
        let quiet = try Self.trainingCases(course)

        let load = try Self.spinners(3)
        // SIGKILL: a test runner may leave SIGTERM ignored, and its children inherit that.
        defer { for process in load { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
        var busy = try GradeCommand.parseAsRoot(["practical2", "--course", course.path, "--student", "alice", "--jobs", "1", "--force"])
        try busy.run()
        let loaded = try Self.trainingCases(course)

        print("idle: \(quiet.map(\.message))\nloaded: \(loaded.map(\.message))")
        #expect(quiet.count == 2 && loaded.count == 2)
        #expect(quiet.map(\.verdict) == [.accepted, .accepted] && loaded.map(\.verdict) == quiet.map(\.verdict))
        #expect(loaded.map(\.points) == quiet.map(\.points))
        // Under load the wall time stretches but the CPU time charged stays within the budget, which says
        // what it is at the reference speed whenever the machine measured slower or faster than that.
        #expect((quiet + loaded).allSatisfy { $0.message.contains("s of CPU time (budget ") && ($0.message.contains("(budget 10 s)") || $0.message.contains(": 10 s at the course's reference speed")) })
    }
}
