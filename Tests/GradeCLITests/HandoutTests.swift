import CourseKit
import Foundation
import Grader
import Testing
import TestTiers

/// `grade handout`: a student kit, unpacked outside the course, checks a solution as the course does, and
/// holds nothing a student must not have.
@Suite(.serialized, .courseDrivers, .integration) struct HandoutTests {
    static let repositoryRoot = EndToEndTests.repositoryRoot

    /// Runs `executable` with `arguments` in `folder`: its exit code, standard output and standard error.
    static func run(_ executable: URL, _ arguments: [String], in folder: URL) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile(), written = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self), String(decoding: written, as: UTF8.self))
    }

    /// The kit of `assignment`, written by the built `grade` from `course` into a new folder outside it.
    static func kit(_ assignment: String, course: URL = repositoryRoot) throws -> URL {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("grade-kit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let kit = outside.appendingPathComponent(assignment)
        let written = try run(FaultToleranceTests.gradeExecutable, ["handout", assignment, "--out", kit.path, "--course", course.path], in: outside)
        try #require(written.status == 0, "grade handout failed: \(written.errors)")
        #expect(written.output.contains("Wrote the kit of \(assignment)"))
        return kit
    }

    /// `student`'s sample files of `assignment` in place of the kit's starter.
    static func dropIn(_ student: String, of assignment: String, into kit: URL) throws -> URL {
        let sources = kit.appendingPathComponent("Solution/Sources/Solution")
        try FileManager.default.removeItem(at: sources)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Submissions/\(assignment)/\(student)"), to: sources)
        return kit.appendingPathComponent("Solution")
    }

    /// Every case of a `--json` self-check, by check and label.
    static func cases(_ output: String) throws -> [String: [String: Any]] {
        let document = try SelfCheckExitTests.json(output)
        let submission = try #require(document["submission"] as? [String: Any])
        var cases: [String: [String: Any]] = [:]
        for check in (submission["checks"] as? [[String: Any]]) ?? [] {
            for item in (check["cases"] as? [[String: Any]]) ?? [] {
                cases["\(check["id"] as? String ?? "?") \(item["label"] as? String ?? "?")"] = item
            }
        }
        return cases
    }

    /// Checks `student`'s sample of `assignment` in the course and in a kit, and compares every public case:
    /// the same verdict, message, inputs and credit. In the checks named in `unmeasured` a case may instead
    /// say that the kit leaves its measure (a held-out score, an attack's harm) to the instructor's grading,
    /// accepted where the course accepts it. The kit's exit code is returned.
    static func compare(_ student: String, of assignment: String, unmeasured: Set<String> = []) throws -> Int32 {
        let kit = try kit(assignment)
        let inCourse = try run(FaultToleranceTests.gradeExecutable, ["--local", assignment, "--json", "--course", repositoryRoot.path],
                               in: repositoryRoot.appendingPathComponent("Submissions/\(assignment)/\(student)"))
        let inKit = try run(kit.appendingPathComponent("bin/grade"), ["--local", "--json"], in: try dropIn(student, of: assignment, into: kit))
        #expect(inKit.status != 3, "the kit's check could not run: \(inKit.errors)")
        let course = try cases(inCourse.output), kitCases = try cases(inKit.output)
        var leftToTheInstructor = 0
        #expect(!course.isEmpty && Set(course.keys) == Set(kitCases.keys), "the same public cases: \(course.keys.sorted()) against \(kitCases.keys.sorted())")
        for (name, expected) in course {
            let got = try #require(kitCases[name])
            if unmeasured.contains(String(name.split(separator: " ")[0])), got["message"] as? String != expected["message"] as? String {
                #expect((got["message"] as? String)?.contains("when the instructor grades") == true, "\(name): \(got["message"] ?? "")")
                if expected["verdict"] as? String == "accepted" { #expect(got["verdict"] as? String == "accepted", "\(name)") }
                leftToTheInstructor += 1
                continue
            }
            for key in ["verdict", "message", "inputs"] {
                #expect(got[key] as? String == expected[key] as? String, "\(name) \(key): kit \(got[key] ?? "none"), course \(expected[key] ?? "none")")
            }
            #expect(got["credit"] as? Double == expected["credit"] as? Double, "\(name) credit")
        }
        if unmeasured.isEmpty { #expect(inKit.status == inCourse.status) } else { #expect(leftToTheInstructor > 0) }
        return inKit.status
    }

    @Test func aKitOutsideTheCourseChecksPractical1AsTheCourseDoes() throws {
        #expect(try Self.compare("alice", of: "practical1") == 0)
        #expect(try Self.compare("dmitri", of: "practical1") == 1)
    }

    @Test func aKitChecksPractical2AsTheCourseDoesAndLeavesTheHeldOutScoreToTheInstructor() throws {
        _ = try Self.compare("alice", of: "practical2", unmeasured: ["mnist-training"])
    }

    @Test func aKitChecksPractical3AsTheCourseDoesAndLeavesTrainingAndHarmToTheInstructor() throws {
        _ = try Self.compare("alice", of: "practical3", unmeasured: ["cnn-training", "gan-training", "fgsm", "pgd"])
    }

    /// Also: run from the kit's own folder, the check says where to run it before building anything; and the
    /// program a saved case's `--save` prints, put in Experiments, builds and replays the case on the solution.
    @Test func theStarterInAKitBuildsAndItsSelfCheckSaysWhatIsMissing() throws {
        let kit = try Self.kit("practical1")
        let solution = kit.appendingPathComponent("Solution")
        let built = try Self.run(URL(fileURLWithPath: "/usr/bin/env"), ["swift", "build", "--product", "Experiments"], in: solution)
        #expect(built.status == 0, "the starter package builds: \(built.output.suffix(2000)) \(built.errors.suffix(2000))")
        let experiments = (built.output + built.errors).components(separatedBy: "\n").filter { $0.contains("Sources/Experiments/") && $0.contains("warning:") }
        #expect(experiments.isEmpty, "the starter's Experiments build without warnings: \(experiments)")
        let checked = try Self.run(kit.appendingPathComponent("bin/grade"), ["--local"], in: solution)
        #expect(checked.status == 1, "the stubs build and fail: \(checked.errors)")
        #expect(checked.output.contains("Fatal error: not implemented yet"), "\(checked.output.prefix(2000))")
        let reference = try String(contentsOf: kit.appendingPathComponent("Docs/CourseKit.md"), encoding: .utf8)
        #expect(reference.contains("`Practical1` (protocol)") && reference.contains("`Matrix` (struct)"))

        let fromKitRoot = try Self.run(kit.appendingPathComponent("bin/grade"), ["--local"], in: kit)
        #expect(fromKitRoot.status == 3)
        #expect(fromKitRoot.errors == """
            error: \(kit.path) is the kit's folder, not your solution's: run grade --local from Solution/, the folder with your \
            solution's .swift files (`cd Solution` then `../bin/grade --local`)

            """, "\(fromKitRoot.errors)")

        let saved = try Self.run(kit.appendingPathComponent("bin/grade"), ["--local", "--case", "gd-trajectory/public-2", "--save", "case.json"], in: solution)
        #expect(saved.status == 0, "\(saved.errors)")
        let program = String(saved.output[try #require(saved.output.range(of: "import CourseKit\n")).lowerBound...])
        #expect(program.contains("@testable import Solution\n") && program.contains("SavedCase<Practical1Call>.load(from: \"\(solution.path)/case.json\")"),
                "\(saved.output)")
        try program.write(to: solution.appendingPathComponent("Sources/Experiments/main.swift"), atomically: true, encoding: .utf8)
        let replayed = try Self.run(URL(fileURLWithPath: "/usr/bin/env"), ["swift", "run", "Experiments"], in: solution)
        // The case loads and reaches the solution, whose stub stops it.
        #expect(replayed.errors.contains("Fatal error: not implemented yet") && !replayed.errors.contains(": error: ")
                && !replayed.errors.contains("Error raised at top level"),
                "the printed program builds and replays the case: \(replayed.output.suffix(2000)) \(replayed.errors.suffix(2000))")

        // A spec edited in the kit no longer matches its stored cases: the check refuses to run, blaming no code.
        let specURL = kit.appendingPathComponent("Assignments/practical1.yaml")
        let spec = try String(contentsOf: specURL, encoding: .utf8)
        let seed = try #require(spec.range(of: #"seed: [0-9]+"#, options: .regularExpression))
        try spec.replacingCharacters(in: seed, with: "seed: 99999").write(to: specURL, atomically: true, encoding: .utf8)
        let edited = try Self.run(kit.appendingPathComponent("bin/grade"), ["--local"], in: solution)
        #expect(edited.status == 3 && edited.errors.contains("is not the spec the stored cases were drawn from"), "\(edited.errors)")
    }

    @Test func aKitHoldsNoReferenceEngineSecretSubmissionOrHeldOutData() throws {
        // A course with a secret, so that the kit can be searched for it.
        let course = FileManager.default.temporaryDirectory.appendingPathComponent("grade-kit-course-\(UUID().uuidString)")
        for folder in ["Assignments", "Rubrics", "Submissions", "Sources/CourseKit", "Sources/SubmissionRuntime", "Sources/CBLAS"] {
            try FileManager.default.createDirectory(at: course.appendingPathComponent(folder).deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.repositoryRoot.appendingPathComponent(folder), to: course.appendingPathComponent(folder))
        }
        let secret = "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e70002"
        try FileManager.default.createDirectory(at: course.appendingPathComponent(".grade"), withIntermediateDirectories: true)
        try secret.write(to: course.appendingPathComponent(".grade/instructor-secret"), atomically: true, encoding: .utf8)
        let kit = try Self.kit("practical2", course: course)

        // The self-check links no ReferenceEngine symbol: Swift's mangled names carry their module's.
        let symbols = try Self.run(URL(fileURLWithPath: "/usr/bin/env"), ["nm", kit.appendingPathComponent("bin/grade").path], in: kit)
        #expect(symbols.status == 0 && symbols.output.count > 10_000, "nm lists the binary's symbols")
        #expect(!symbols.output.contains("15ReferenceEngine"), "a ReferenceEngine symbol is in the kit's grade")
        let binary = try Data(contentsOf: kit.appendingPathComponent("bin/grade"))
        #expect(binary.range(of: Data("ReferencePractical".utf8)) == nil)

        // No secret, no sample submission's source, nothing of the gradebook, anywhere.
        let samples = try FileManager.default.subpathsOfDirectory(atPath: course.appendingPathComponent("Submissions").path)
            .filter { $0.hasSuffix(".swift") }
            .map { try Data(contentsOf: course.appendingPathComponent("Submissions/\($0)")) }
        var files = 0
        for path in try FileManager.default.subpathsOfDirectory(atPath: kit.path) {
            let url = kit.appendingPathComponent(path)
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            files += 1
            #expect(!path.contains("Submissions") && !path.contains(".grade") && !path.hasSuffix(".sqlite"), "\(path)")
            let data = try Data(contentsOf: url)
            #expect(data.range(of: Data(secret.utf8)) == nil, "the secret is in \(path)")
            for sample in samples where sample.count > 200 { #expect(data.range(of: sample) == nil, "a sample submission is in \(path)") }
        }
        #expect(files > 20)

        // The spec has no hidden cases, and the only data is the training case's 20,000 training images and labels.
        let spec = try SpecLoader.loadAssignment(at: kit.appendingPathComponent("Assignments/practical2.yaml"))
        #expect(spec.allChecks.allSatisfy { $0.1.hidden == nil && !$0.1.publicCases.isEmpty })
        let data = kit.appendingPathComponent("Cases/practical2/data")
        let names = try FileManager.default.contentsOfDirectory(atPath: data.path).sorted()
        #expect(names.count == 2, "\(names)")
        let images = try #require(names.first { $0.contains("images") }), labels = try #require(names.first { $0.contains("labels") })
        let training = try TrainingData.load(images: data.appendingPathComponent(images), labels: data.appendingPathComponent(labels))
        #expect(training.inputs.rows == 20_000 && training.labels.count == 20_000)
    }
}
