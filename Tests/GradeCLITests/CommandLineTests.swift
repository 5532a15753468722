import ArgumentParser
import Foundation
import Testing
@testable import GradeCLI
import Grader

/// Misuse of the command line gets a clear message and a failing exit code.
@Suite(.courseDrivers) struct CommandLineTests {
    func parseError(_ arguments: [String]) -> String {
        do {
            _ = try GradeCommand.parseAsRoot(arguments)
            return ""
        } catch {
            return GradeCommand.message(for: error)
        }
    }

    @Test func theDefaultCommandNeedsAnAssignmentOrLocal() {
        #expect(parseError([]) == "name the assignment to grade, such as `grade practical1`, or use `grade --local` to self-check")
        #expect(parseError(["practical1"]) == "")
        #expect(parseError(["--local"]) == "")
        #expect(parseError(["run", "practical1", "--student", "alice"]) == "")
    }

    @Test func conflictingAndBadOptionsAreRejected() {
        #expect(parseError(["--local", "--student", "alice"]) == "--student grades folders of a course; with --local the current folder is graded")
        #expect(parseError(["--local", "--force"]) == "--force applies to recorded grades; --local records nothing")
        #expect(parseError(["practical1", "--jobs", "0"]) == "--jobs must be at least 1")
        #expect(parseError(["practical 1"]) == "'practical 1' is not an assignment id (lowercase letters, digits and '-', such as practical1)")
        #expect(parseError(["practical1", "--student", "../bob"]) == "'../bob' is not a student id: ids are folder names without '/', quotes, spaces, commas or semicolons")
        #expect(parseError(["practical1", "--student", "o'brien"]).contains("is not a student id"))
        #expect(parseError(["practical1", "--jobs", "two"]).contains("The value 'two' is invalid for '--jobs <n>'"))
        #expect(parseError(["export", "--bogus"]).contains("Unknown option '--bogus'"))
    }

    @Test func helpListsTheCommands() {
        let help = GradeCommand.helpMessage()
        #expect(help.contains("USAGE: grade <subcommand>"))
        #expect(help.contains("run (default)"))
        #expect(help.contains("export"))
        #expect(GradeCommand.helpMessage(for: ExportCommand.self).contains("--out <file>"))
    }

    @Test func studentIdsWithSeparatorsQuotesOrSpacesAreUnsafe() {
        for id in ["alice", "s2024-001", "émile"] { #expect(IdentifierRules.isStudentID(id), "\(id)") }
        for id in ["a/b", "a\\b", "o'neil", "say \"hi\"", "two words", "tab\there", ".hidden", "..", "", "a,b", "a;b"] {
            #expect(!IdentifierRules.isStudentID(id), "\(id)")
        }
    }
}
