import CourseDrivers
import CourseKit
import Foundation
import Grader
import SubmissionRuntime
import Testing
import TestTiers

/// `grade --local --case <check>/public-<n> --save FILE`: a public case's call written in full, read back by
/// `SavedCase` into the same CourseKit objects the grader passed, and replayed on a solution.
@Suite(.serialized, .courseDrivers, .integration) struct SavedCaseTests {
    static let course = EndToEndTests.repositoryRoot

    /// A fresh folder outside the course, for the saved files.
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grade-saved-case-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The call the grader makes for public case `number` of `checkID` in a self-check (no secret).
    static func preparedCall<Driver: PracticalDriver>(_ driver: Driver.Type, _ assignment: String, _ checkID: String, number: Int) throws -> Driver.Call {
        let layout = CourseLayout(root: course)
        let loaded = try Driver.load(assignment, from: layout, requireRubric: false)
        let check = try #require(loaded.spec.allChecks.map(\.check).first { $0.id == checkID })
        let recipe = check.publicCases[number - 1]
        let prepared = try Driver(context: DriverContext(course: layout)).prepareCase(for: check, recipe: recipe, seed: recipe.seed ?? 0, privateSeed: nil)
        return prepared.call
    }

    @Test func aSavedPublicCaseReadsBackAsTheCallTheGraderMakesToTheLastBit() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("case.json")
        let run = try SelfCheckExitTests.grade(["--local", "practical1", "--case", "gd-trajectory/public-2", "--save", file.path, "--course", Self.course.path], in: folder)
        #expect(run.status == 0, "\(run.errors)")
        // Outside a kit, the lines to add to a program that has CourseKit, SubmissionRuntime and the solution.
        #expect(run.output.hasSuffix("""
            import CourseKit
            import SubmissionRuntime

            let saved = try SavedCase<Practical1Call>.load(from: "\(file.path)")
            print(saved.check, saved.label, saved.inputs)
            let answer = saved.call.perform(on: Solution())   // exactly what the grader received from you
            print(answer)

            """), "\(run.output)")

        let saved = try SavedCase<Practical1Call>.load(from: file.path)
        #expect(saved.assignment == "practical1" && saved.check == "gd-trajectory" && saved.label == "public 2" && !saved.inputs.isEmpty)
        #expect(saved.call == (try Self.preparedCall(Practical1Driver.self, "practical1", "gd-trajectory", number: 2)))
        guard case let .gradientDescent(objective, x0, _, _, _) = saved.call else {
            Issue.record("not a gradient-descent call: \(saved.call)"); return
        }
        // The objective and start as CourseKit objects, ready for a debugger.
        #expect(x0.count == objective.objective.dimension)
    }

    @Test func practical3sImagesAndNetworksSurviveTheRoundTrip() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("cnn-gradient.json")
        let run = try SelfCheckExitTests.grade(["--local", "practical3", "--case", "cnn-gradient/public 1", "--save", file.path, "--course", Self.course.path], in: folder)
        #expect(run.status == 0, "\(run.errors)")
        let saved = try SavedCase<Practical3Call>.load(from: file.path)
        #expect(saved.call == (try Self.preparedCall(Practical3Driver.self, "practical3", "cnn-gradient", number: 1)))
        // Read as another practical's case: said so, not a crash.
        #expect { try SavedCase<Practical1Call>.load(from: file.path) } throws: { error in
            "\(error)".contains("does not hold a Practical1Call")
        }
    }

    @Test func hiddenTrainingAndUnknownCasesAreRefusedWithWhatToDo() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("case.json")
        func save(_ arguments: [String]) throws -> (status: Int32, errors: String) {
            let run = try SelfCheckExitTests.grade(["--local"] + arguments + ["--course", Self.course.path], in: folder)
            return (run.status, run.errors)
        }
        let training = try save(["practical2", "--case", "mnist-training/public-1", "--save", file.path])
        #expect(training.status == 3 && training.errors.contains("cannot be replayed from a saved case"), "\(training.errors)")
        let outOfRange = try save(["practical1", "--case", "gd-trajectory/public-99", "--save", file.path])
        #expect(outOfRange.status == 3 && outOfRange.errors.contains("gd-trajectory has public cases 1 to"), "\(outOfRange.errors)")
        let unknown = try save(["practical1", "--case", "no-such-check/public-1", "--save", file.path])
        #expect(unknown.status == 3 && unknown.errors.contains("practical1 has no check 'no-such-check'"), "\(unknown.errors)")
        let hidden = try save(["practical1", "--case", "gd-trajectory/hidden-1", "--save", file.path])
        #expect(hidden.status != 0 && hidden.errors.contains("is not a public case"), "\(hidden.errors)")
        let alone = try save(["practical1", "--case", "gd-trajectory/public-1"])
        #expect(alone.status != 0 && alone.errors.contains("give both"), "\(alone.errors)")
        #expect(!FileManager.default.fileExists(atPath: file.path), "nothing written by a refused case")
        // A file that is not a saved case (a solution, say) is never written over; an earlier saved case is.
        let solution = folder.appendingPathComponent("Solution.swift")
        try Data("struct Solution {}\n".utf8).write(to: solution)
        let overSolution = try save(["practical1", "--case", "gd-trajectory/public-1", "--save", solution.path])
        #expect(overSolution.status == 3 && overSolution.errors.contains("is not a saved case"), "\(overSolution.errors)")
        #expect(try String(contentsOf: solution, encoding: .utf8) == "struct Solution {}\n")
        #expect(try save(["practical1", "--case", "gd-trajectory/public-1", "--save", file.path]).status == 0)
        #expect(try save(["practical1", "--case", "gd-trajectory/public-2", "--save", file.path]).status == 0)
        #expect(try SavedCase<Practical1Call>.load(from: file.path).label == "public 2")
        let garbage = folder.appendingPathComponent("garbage.json")
        try Data("{\"format\": 7}".utf8).write(to: garbage)
        #expect { try SavedCase<Practical1Call>.load(from: garbage.path) } throws: { error in "\(error)".contains("format 7") }
    }
}
