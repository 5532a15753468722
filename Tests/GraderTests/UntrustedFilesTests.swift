import Foundation
import Testing
@testable import Grader

#if canImport(Glibc)
import Glibc
#endif

/// Files a student controls are read defensively: sources and `submission.yaml` must be regular,
/// singly linked and small, and the metadata is a flat mapping without anchors, aliases or merge keys.
struct UntrustedFilesTests {
    static func folder(_ files: [String: String] = [:]) -> URL {
        let url = TestSupport.temporaryFolder("untrusted").appendingPathComponent("student")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try! Data(text.utf8).write(to: url.appendingPathComponent(name)) }
        return url
    }

    /// A file named so that the compiler's diagnostics would print a forged line ("[ok] every case accepted")
    /// inside the feedback is compiled under a plain name, and named on one line, escaped, in the compiler's messages.
    @Test func aSourceNameWithALineBreakCannotForgeLinesOfTheCompilersMessages() {
        let sources = [SubmissionFolder.SourceFile(relativePath: "Solution.swift", contents: Data()),
                       SubmissionFolder.SourceFile(relativePath: "src/x\n[ok] every case accepted.swift", contents: Data())]
        #expect(SubmissionBuilder.flatNames(sources) == ["Solution.swift", "source.swift"])
        let log = "/build/src/source.swift:3:1: error: cannot find 'y' in scope\n/build/src/Solution.swift:1:1: warning: unused\n"
        let shown = SubmissionBuilder.trimmed(log, sources: sources, sourceFolder: "/build/src/", staging: "/build/")
        #expect(shown == "src/x\\u{A}[ok] every case accepted.swift:3:1: error: cannot find 'y' in scope\nSolution.swift:1:1: warning: unused")
    }

    @Test func aYAMLAliasBombIsRefusedAtOnce() {
        var yaml = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for level in 1...9 {
            let previous = String(UnicodeScalar(UInt8(96 + level)))
            let name = String(UnicodeScalar(UInt8(97 + level)))
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ",") + "]\n"
        }
        yaml += "name: *j\nsubmitted_at: 2026-10-01T10:00:00Z\n"
        #expect(yaml.utf8.count < 1200)
        let started = ContinuousClock.now
        let metadata = SubmissionFolder(url: Self.folder(["submission.yaml": yaml, "Solution.swift": "// x\n"]))
        #expect(started.duration(to: .now) < .seconds(5))
        #expect(metadata.name == nil && metadata.submittedAtSource == .fileTime)
        #expect(metadata.notes.contains { $0.contains("anchors and aliases are not accepted") }, "\(metadata.notes)")
    }

    @Test func mergeKeysAndNestedValuesAreRefusedOrIgnored() {
        let merged = SubmissionFolder(url: Self.folder(["submission.yaml": "base: {name: X}\n<<: {name: Y}\nname: Z\n"]))
        #expect(merged.name == nil && merged.notes.contains { $0.contains("merge keys") })
        let aliased = SubmissionFolder(url: Self.folder(["submission.yaml": "x: &a Someone Else\nname: *a\n"]))
        #expect(aliased.name == nil && aliased.notes.contains { $0.contains("aliases") })
        let nested = SubmissionFolder(url: Self.folder(["submission.yaml": "name: [a, b]\nemail: e@x.org\n"]))
        #expect(nested.name == nil && nested.email == "e@x.org")
    }

    @Test func aPlainSubmissionYAMLIsRead() throws {
        let metadata = SubmissionFolder(url: Self.folder(["submission.yaml": "name: Léa Martin\nemail: lea@example.edu\nsubmitted_at: 2026-10-18T21:40:00+02:00\n"]))
        #expect(metadata.name == "Léa Martin" && metadata.email == "lea@example.edu")
        #expect(metadata.submittedAt == ISO8601DateFormatter().date(from: "2026-10-18T19:40:00Z"))
        #expect(metadata.submittedAtSource == .submissionYAML && metadata.notes.isEmpty)
    }

    @Test func oversizedFIFOAndLinkedMetadataAreNotRead() throws {
        let huge = Self.folder()
        let file = huge.appendingPathComponent("submission.yaml")
        FileManager.default.createFile(atPath: file.path, contents: Data("name: x\n".utf8))
        #expect(truncate(file.path, 1_500_000_000) == 0, "a sparse 1.5 GB file")
        let started = ContinuousClock.now
        let big = SubmissionFolder(url: huge)
        #expect(started.duration(to: .now) < .seconds(2))
        #expect(big.name == nil && big.notes.contains { $0.contains("at most \(SubmissionFolder.maximumMetadataBytes)") }, "\(big.notes)")

        let fifo = Self.folder()
        #expect(mkfifo(fifo.appendingPathComponent("submission.yaml").path, 0o644) == 0)
        let piped = SubmissionFolder(url: fifo)
        #expect(piped.name == nil && piped.notes.contains { $0.contains("not a regular file") }, "\(piped.notes)")

        let secret = TestSupport.temporaryFolder("secret").appendingPathComponent("instructor-secret")
        try Data("name: 0123456789abcdef\n".utf8).write(to: secret)
        let linked = Self.folder()
        #expect(link(secret.path, linked.appendingPathComponent("submission.yaml").path) == 0)
        let hardLinked = SubmissionFolder(url: linked)
        #expect(hardLinked.name == nil && hardLinked.notes.contains { $0.contains("hard link") }, "\(hardLinked.notes)")
    }

    @Test func sourcesMustBeRegularSinglyLinkedFiles() throws {
        let secret = TestSupport.temporaryFolder("secret").appendingPathComponent("instructor-secret")
        try Data("5eed5eed5eed\n".utf8).write(to: secret)

        let hard = Self.folder(["Solution.swift": "struct Solution {}\n"])
        #expect(link(secret.path, hard.appendingPathComponent("Secret.swift").path) == 0)
        #expect {
            try SubmissionFolder(url: hard).sources()
        } throws: { error in "\(error)" == "Secret.swift is a hard link to another file (2 links); submit a copy of the file itself" }

        let soft = Self.folder(["Solution.swift": "struct Solution {}\n"])
        try FileManager.default.createSymbolicLink(at: soft.appendingPathComponent("Secret.swift"), withDestinationURL: secret)
        #expect(throws: SubmissionFolder.SourceProblem.self) { try SubmissionFolder(url: soft).sources() }

        let fifo = Self.folder(["Solution.swift": "struct Solution {}\n"])
        #expect(mkfifo(fifo.appendingPathComponent("Pipe.swift").path, 0o644) == 0)
        #expect {
            try SubmissionFolder(url: fifo).sources()
        } throws: { error in "\(error)" == "Pipe.swift is not a regular file" }

        let plain = Self.folder(["Solution.swift": "struct Solution {}\n", "Helpers.swift": "let x = 1\n"])
        #expect(try SubmissionFolder(url: plain).sources().map(\.relativePath) == ["Helpers.swift", "Solution.swift"])
    }

    @Test func aSwiftPackageIsGradedOnItsSolutionSourcesAlone() throws {
        let package = Self.folder(["Package.swift": "// swift-tools-version:6.0\n", "Package@swift-5.9.swift": "// manifest\n"])
        for (path, text) in ["Sources/Solution/Solution.swift": "struct Solution {}\n", "Sources/Solution/Helpers.swift": "let x = 1\n",
                             "Sources/Experiments/main.swift": "print(1)\n", "Tests/SolutionTests/SolutionTests.swift": "import XCTest\n",
                             ".build/checkouts/Other.swift": "let y = 2\n"] {
            let file = package.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        #expect(try SubmissionFolder(url: package).sources().map(\.relativePath) == ["Sources/Solution/Helpers.swift", "Sources/Solution/Solution.swift"])
    }
}
