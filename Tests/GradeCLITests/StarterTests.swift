import Foundation
import Testing
import TestTiers

/// `grade starter`: each practical's stubbed Solution.swift builds against the toolkit and fails every
/// public case with its stub's message, until the student writes the bodies.
@Suite(.serialized, .courseDrivers, .integration) struct StarterTests {
    @Test(arguments: [("practical1", "Practical1"), ("practical2", "Practical2"), ("practical3", "Practical3")])
    func theStarterBuildsAndFailsEveryCaseUntilWritten(assignment: String, protocolName: String) throws {
        let folder = try SavedCaseTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("Solution.swift")
        let course = EndToEndTests.repositoryRoot.path
        let written = try SelfCheckExitTests.grade(["starter", assignment, "--out", file.path, "--course", course], in: folder)
        #expect(written.status == 0, "\(written.errors)")
        let source = try String(contentsOf: file, encoding: .utf8)
        #expect(source.contains("struct Solution: \(protocolName) {") && source.contains("fatalError(\"not implemented yet\")"))
        // CourseKit's documentation comes along: the protocol's and each requirement's.
        #expect(source.components(separatedBy: "\n").filter { $0.hasPrefix("    ///") }.count > 10)

        let checked = try SelfCheckExitTests.grade(["--local", assignment, "--course", course, "--json"], in: folder)
        #expect(checked.status == 1, "builds, and fails: \(checked.errors.suffix(2000))")
        let document = try SelfCheckExitTests.json(checked.output)
        let submission = try #require(document["submission"] as? [String: Any])
        #expect(submission["status"] as? String == "graded")
        let cases = ((submission["checks"] as? [[String: Any]]) ?? []).flatMap { ($0["cases"] as? [[String: Any]]) ?? [] }
        #expect(!cases.isEmpty && cases.allSatisfy { $0["accepted"] as? Bool == false })
        #expect(cases.contains { ($0["message"] as? String)?.contains("not implemented yet") == true })

        // Never over a file that exists: it may be a solution.
        try Data("// mine\n".utf8).write(to: file)
        let again = try SelfCheckExitTests.grade(["starter", assignment, "--out", file.path, "--course", course], in: folder)
        #expect(again.status != 0 && again.errors.contains("never overwrites"), "\(again.errors)")
        #expect(try String(contentsOf: file, encoding: .utf8) == "// mine\n")
    }
}
