import Foundation
import Testing
import TestTiers

/// `grade --local` as a script sees it: its exit code and its JSON.
@Suite(.serialized, .courseDrivers, .integration) struct SelfCheckExitTests {
    /// Runs the built `grade` in `folder`; its exit code, standard output and standard error.
    static func grade(_ arguments: [String], in folder: URL) throws -> (status: Int32, output: String, errors: String) {
        try HandoutTests.run(FaultToleranceTests.gradeExecutable, arguments, in: folder)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text.prefix(300))")
    }

    @Test func aSubmissionPassingEveryPublicCaseExitsZeroAndItsJSONSaysWhy() throws {
        let course = try EndToEndTests.courseCopy()
        let run = try Self.grade(["--local", "--json"], in: course.appendingPathComponent("Submissions/practical1/alice"))
        #expect(run.status == 0, "\(run.errors)")
        let document = try Self.json(run.output)
        #expect(document["assignment"] as? String == "practical1")
        #expect(document["outcome"] as? String == "passed" && document["exitCode"] as? Int == 0)
        let submission = try #require(document["submission"] as? [String: Any])
        #expect(submission["status"] as? String == "graded" && submission["hiddenCasesRun"] as? Bool == false)
        let checks = try #require(submission["checks"] as? [[String: Any]])
        let cases = checks.flatMap { ($0["cases"] as? [[String: Any]]) ?? [] }
        #expect(checks.count == 9 && !cases.isEmpty)
        #expect(cases.allSatisfy { $0["accepted"] as? Bool == true && $0["hidden"] as? Bool == false && $0["inputs"] is String })
        #expect(!FileManager.default.fileExists(atPath: course.appendingPathComponent(".grade").path), "nothing recorded")
    }

    @Test func aFailingPublicCaseExitsOneWithItsMessage() throws {
        let course = try EndToEndTests.courseCopy()
        let folder = course.appendingPathComponent("Submissions/practical1/dmitri")
        let text = try Self.grade(["--local"], in: folder)
        #expect(text.status == 1)
        #expect(text.output.contains("your first iterate is x_1, not x_0"))
        let run = try Self.grade(["--local", "--json"], in: folder)
        #expect(run.status == 1)
        let document = try Self.json(run.output)
        #expect(document["outcome"] as? String == "failed" && document["exitCode"] as? Int == 1)
        let submission = try #require(document["submission"] as? [String: Any])
        let cases = ((submission["checks"] as? [[String: Any]]) ?? []).flatMap { ($0["cases"] as? [[String: Any]]) ?? [] }
        #expect(cases.contains { ($0["message"] as? String)?.contains("your first iterate is x_1, not x_0") == true && $0["accepted"] as? Bool == false })
    }

    @Test func codeThatDoesNotBuildExitsTwoWithTheCompilersMessage() throws {
        let course = try EndToEndTests.courseCopy()
        let folder = course.appendingPathComponent("Submissions/practical1/broken")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "import CourseKit\nstruct Solution: Practical1 { func oops( }\n".write(to: folder.appendingPathComponent("Solution.swift"), atomically: true, encoding: .utf8)
        let run = try Self.grade(["--local", "--json"], in: folder)
        #expect(run.status == 2, "\(run.errors)")
        let document = try Self.json(run.output)
        #expect(document["outcome"] as? String == "does-not-build")
        let submission = try #require(document["submission"] as? [String: Any])
        #expect(submission["status"] as? String == "compile-error" && (submission["buildMessage"] as? String)?.contains("Solution.swift") == true)
    }

    @Test func aCheckThatCannotRunExitsThreeAndBlamesNoCode() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("grade-no-course-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let run = try Self.grade(["--local", "--course", outside.appendingPathComponent("missing").path], in: outside)
        #expect(run.status == 3)
        #expect(run.output.isEmpty && run.errors.contains("error:"), "\(run.errors)")
    }

    @Test func gradingAndFinalGradesPrintJSONForScripts() throws {
        let course = try EndToEndTests.courseCopy()
        let graded = try Self.grade(["practical1", "--student", "alice", "--json", "--course", course.path], in: course)
        #expect(graded.status == 0, "\(graded.errors)")
        let document = try Self.json(graded.output)
        let submissions = try #require(document["graded"] as? [[String: Any]])
        #expect(document["assignment"] as? String == "practical1" && submissions.count == 1)
        #expect(submissions.first?["student"] as? String == "alice" && submissions.first?["points"] as? Double == 16)
        #expect(submissions.first?["hiddenCasesRun"] as? Bool == true)

        let final = try Self.grade(["final", "--json", "--course", course.path], in: course)
        #expect(final.status == 0, "\(final.errors)")
        let grades = try Self.json(final.output)
        #expect(grades["provisional"] as? Bool == true && (grades["pendingPracticals"] as? [String])?.contains("practical2") == true)
        let students = try #require(grades["students"] as? [[String: Any]])
        let alice = try #require(students.first { $0["id"] as? String == "alice" })
        let parts = try #require(alice["practicals"] as? [[String: Any]])
        #expect(parts.first { $0["id"] as? String == "practical1" }?["automaticPoints"] as? Double == 16)
        #expect(parts.first { $0["id"] as? String == "practical2" }?["state"] as? String == "pending")
        // A grade that does not count yet is absent, never a 0 a script could take for one; the running sum is named as such.
        #expect(parts.first { $0["id"] as? String == "practical2" }?["grade"] == nil && alice["final"] == nil && alice["finalSoFar"] is Double)
        #expect(alice["settled"] as? Bool == false && (alice["pending"] as? [String])?.contains("practical2 (not graded yet)") == true)
    }
}
