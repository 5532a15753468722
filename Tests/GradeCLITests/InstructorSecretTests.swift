import Foundation
import Gradebook
import Grader
import Outcomes
import Testing
@testable import GradeCLI

#if canImport(Glibc)
import Glibc
import TestTiers
#endif

/// The instructor secret never reaches a student-visible or exported text, whatever a submission links,
/// names or tries to read: hard and symbolic links to it as sources or as metadata, and code that reads
/// it at run time and puts it in a trap message.
@Suite(.serialized, .courseDrivers, .integration) struct InstructorSecretTests {
    @Test func theSecretAppearsInNoOutputFeedbackGradebookRowOrExport() throws {
        let course = try EndToEndTests.courseCopy()
        let layout = CourseLayout(root: course)
        let secretHex = try String(contentsOf: { _ = try InstructorSecret.loadOrCreate(at: layout.secretURL); return layout.secretURL }(), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secretHex.count == 64)
        let submissions = course.appendingPathComponent("Submissions/practical1")
        let alice = submissions.appendingPathComponent("alice")
        func student(_ name: String) throws -> URL {
            let folder = submissions.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in ["Solution.swift", "Descent.swift"] {
                try FileManager.default.copyItem(at: alice.appendingPathComponent(file), to: folder.appendingPathComponent(file))
            }
            return folder
        }
        #expect(link(layout.secretURL.path, try student("link-source").appendingPathComponent("Secret.swift").path) == 0)
        #expect(link(layout.secretURL.path, try student("link-metadata").appendingPathComponent("submission.yaml").path) == 0)
        try FileManager.default.createSymbolicLink(at: try student("symlink-source").appendingPathComponent("Secret.swift"), withDestinationURL: layout.secretURL)
        try FileManager.default.createSymbolicLink(at: try student("symlink-metadata").appendingPathComponent("submission.yaml"), withDestinationURL: layout.secretURL)
        // Code that looks for the secret where the course keeps it, and would trap with it if it could read it.
        let reader = try student("read-at-runtime")
        var solution = try String(contentsOf: reader.appendingPathComponent("Solution.swift"), encoding: .utf8)
        let body = "        backtrack(f, at: x, direction: d, t0: initialStep, c: c, rho: rho)\n"
        #expect(solution.contains(body))
        solution = solution.replacingOccurrences(of: body, with: "        revealSecret()\n        return backtrack(f, at: x, direction: d, t0: initialStep, c: c, rho: rho)\n")
        try solution.write(to: reader.appendingPathComponent("Solution.swift"), atomically: true, encoding: .utf8)
        try """
            import Foundation
            func revealSecret() {
                let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
                var folder = URL(fileURLWithPath: executable)
                for _ in 0..<6 {
                    folder.deleteLastPathComponent()
                    for candidate in [".grade/instructor-secret", "instructor-secret"] {
                        if let text = try? String(contentsOf: folder.appendingPathComponent(candidate), encoding: .utf8) { fatalError("secret: \\(text)") }
                    }
                }
                if let environment = try? String(contentsOfFile: "/proc/1/environ", encoding: .utf8) { fatalError("environment: \\(environment)") }
            }
            """.write(to: reader.appendingPathComponent("Reveal.swift"), atomically: true, encoding: .utf8)

        let (status, output) = try HostileRepliesTests.grade(["practical1", "--course", course.path, "--feedback"])
        #expect(status == 0, "\(output.suffix(1500))")
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        let grades = Dictionary(uniqueKeysWithValues: try gradebook.currentGrades(assignmentID: "practical1").map { ($0.studentID, $0) })
        #expect(grades["link-source"]?.status == .noSources && grades["symlink-source"]?.status == .noSources)
        #expect(grades["link-metadata"]?.points == 16 && grades["symlink-metadata"]?.points == 16)
        #expect(grades["read-at-runtime"]?.points == 16, "the sandbox does not show the course's state")

        var texts = [("terminal", output)] + (try HostileRepliesTests.writtenOutputs(course))
        texts.append(("feedback of link-source", try String(contentsOf: course.appendingPathComponent(".grade/feedback/practical1/link-source.txt"), encoding: .utf8)))
        for (name, text) in texts {
            #expect(!text.lowercased().contains(secretHex.lowercased()), "the secret appears in \(name)")
            #expect(!text.contains(String(secretHex.prefix(16))), "part of the secret appears in \(name)")
        }
        #expect(texts.contains { $0.1.contains("Secret.swift is a hard link to another file") })
    }
}
