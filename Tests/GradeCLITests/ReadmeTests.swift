import ArgumentParser
import Foundation
import Testing
@testable import GradeCLI
import TestTiers

/// README shows what the tool prints and commands the tool accepts: checked against the tool itself.
@Suite(.serialized, .integration) struct ReadmeTests {
    static let readme = (try? String(contentsOf: EndToEndTests.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""

    /// The lines of the first plain code block after `marker` in README.
    static func block(after marker: String) throws -> [String] {
        let start = try #require(readme.range(of: marker), "README has no '\(marker)'")
        let rest = readme[start.upperBound...]
        let open = try #require(rest.range(of: "\n```\n"))
        let close = try #require(rest[open.upperBound...].range(of: "\n```"))
        return rest[open.upperBound..<close.lowerBound].components(separatedBy: "\n").map(trimmed)
    }

    static func trimmed(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }

    /// Practical 1 collected from Moodle's files and graded, as `make demo` does: the table README shows, line for line.
    @Test func thePracticalOneTableIsWhatTheDemoPrints() throws {
        let course = try EndToEndTests.courseCopy()
        let files = try EndToEndTests.moodleFiles("practical1", into: course.appendingPathComponent("moodle"))
        let c = ["--course", course.path]
        let collect = try HostileRepliesTests.grade(["collect", "practical1", "--moodle-zip", files.archive.path, "--worksheet", files.worksheet.path] + c)
        #expect(collect.status == 0, "\(collect.output)")
        let printed = try Self.standardOutput(["practical1"] + c).components(separatedBy: "\n").map(Self.trimmed)
        let shown = try Self.block(after: "Practical 1 first:")
        let first = try #require(printed.firstIndex(of: shown[0]), "README's header '\(shown[0])' is not what grade prints:\n\(printed.joined(separator: "\n"))")
        #expect(Array(printed[first..<min(printed.count, first + shown.count)]) == shown)

        // The course grade's table: its columns are the tool's, whatever has been graded (their widths follow the grades).
        let final = try Self.standardOutput(["final"] + c).components(separatedBy: "\n")
        let finalShown = try Self.block(after: "Then the course grade (`grade final`):")
        #expect(Self.columns(final[0]) == Self.columns(finalShown[0]))
        #expect(Self.columns(finalShown[0]) == ["student", "name", "practical1 (20%)", "practical2 (20%)", "practical3 (20%)", "quiz (40%)", "final /20", "%"])
    }

    /// Every `grade …` line of README's shell blocks is a command line the tool accepts.
    @Test func everyCommandReadmeShowsParses() throws {
        var commands: [String] = []
        var inShell = false
        for line in Self.readme.components(separatedBy: "\n") {
            if line.hasPrefix("```") { inShell = line == "```sh"; continue }
            guard inShell else { continue }
            let command = line.components(separatedBy: " #").first!.trimmingCharacters(in: .whitespaces)
            if command.hasPrefix("grade ") || command.hasPrefix("../bin/grade ") { commands.append(command) }
        }
        #expect(commands.count >= 20, "\(commands)")
        for command in commands {
            let words = Self.words(command).dropFirst().map { $0 == "…" ? "x" : $0 }
            do { _ = try GradeCommand.parseAsRoot(Array(words)) } catch {
                Issue.record("README's `\(command)` does not parse: \(GradeCommand.message(for: error))")
            }
        }
    }

    /// The column names of a table's header line (separated by two spaces or more).
    static func columns(_ header: String) -> [String] {
        header.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `command` split into words, double quotes grouping.
    static func words(_ command: String) -> [String] {
        var words: [String] = [], word = "", quoted = false
        for character in command {
            if character == "\"" { quoted.toggle(); continue }
            if character == " " && !quoted {
                if !word.isEmpty { words.append(word) }
                word = ""
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// What `grade arguments` prints on standard output.
    static func standardOutput(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = FaultToleranceTests.gradeExecutable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}
