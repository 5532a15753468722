import Foundation
import Gradebook
import Grader
import Outcomes
import SafeText
import Testing
@testable import GradeCLI
import TestTiers

/// Submissions that attack the grader through what they return and the text they produce, graded by the
/// real `grade` executable next to correct ones: replies of the wrong shape, inconsistent matrices and
/// layers, floods, NaN, escape sequences in traps, prints, compiler diagnostics, file names and metadata,
/// alias bombs and FIFOs. The grader finishes, every hostile case gets a verdict that says what was
/// wrong, every other check keeps its credit, and no control character reaches any output.
/// The fixtures are in Tests/GraderTests/Fixtures/HostileReplies (README there).
@Suite(.serialized, .courseDrivers, .integration) struct HostileRepliesTests {
    static let fixtures = EndToEndTests.repositoryRoot.appendingPathComponent("Tests/GraderTests/Fixtures/HostileReplies")

    /// What a fixture must get: the checks that lose points (all others keep full credit), and a phrase of the first failing message.
    struct Expectation {
        var struck: Set<String>
        var message: String?
        var status = "graded"
    }

    static let practical1Checks: Set<String> = ["central-differences", "gd-trajectory", "gd-contraction", "armijo-step", "gd-armijo-trajectory",
                                                "newton-trajectory", "newton-convergence", "step-perceptron", "sigmoid-perceptron"]
    static let overBudget = "more than this call can legitimately return"

    static let practical1: [String: Expectation] = [
        "empty-iterates-dims": Expectation(struck: ["gd-armijo-trajectory"], message: overBudget),
        "escape-compile": Expectation(struck: practical1Checks, message: "does not build", status: "compile-error"),
        "escape-compile-raw": Expectation(struck: practical1Checks, message: "does not build", status: "compile-error"),
        "escape-filename": Expectation(struck: []),
        "escape-filename-compile": Expectation(struck: practical1Checks, message: "does not build", status: "compile-error"),
        "escape-print": Expectation(struck: []),
        "escape-trap": Expectation(struck: ["armijo-step"], message: "Fatal error"),
        "iterate-dimension": Expectation(struck: ["gd-trajectory", "gd-contraction"], message: "x_2 has dimension 1, expected 2"),
        "iterate-flood-moderate": Expectation(struck: ["newton-trajectory", "newton-convergence"], message: overBudget),
        "nan-everything": Expectation(struck: ["central-differences", "armijo-step"], message: "yours [nan, nan"),
        "perceptron-weights": Expectation(struck: ["step-perceptron"], message: "the weights: 3 entries, expected 2"),
        "yaml-alias-bomb": Expectation(struck: []),
        "yaml-escapes": Expectation(struck: []),
        "yaml-merge-keys": Expectation(struck: []),
        "yaml-not-regular": Expectation(struck: []),
    ]

    static let practical2: [String: Expectation] = [
        "activate-wrong-shape": Expectation(struck: ["activation-values"], message: "the result: a 5×4 matrix, expected 4×5"),
        "bias-length": Expectation(struck: ["mnist-training"], message: "at layers[1].bias: a layer with 10×32 weights needs 10 biases, not 11"),
        "cache-mismatch": Expectation(struck: ["forward-cache"], message: "at cache.preActivations[0].storage: a 8×6 matrix needs 48 entries in storage, not 47"),
        "empty-network": Expectation(struck: ["mnist-training"], message: "mnist-training protocolError: train returned no layers"),
        "huge-batch-indices": Expectation(struck: ["mini-batches"], message: "got [9223372036854775807, 8, 4, 6]"),
        "layer-chain": Expectation(struck: ["mnist-training"], message: "mnist-training protocolError: layer 1 outputs 32 values but layer 2 takes 31"),
        "minibatch-flood": Expectation(struck: ["mini-batches"], message: "your answer is 19.6 MB, " + overBudget),
        "nan-weights": Expectation(struck: ["mnist-training"], message: "mnist-training wrongAnswer: the returned weights contain NaN"),
        "optimizer-dimension": Expectation(struck: ["optimizer-trajectories"], message: "x_1 has dimension 5, expected 4"),
        "oversize-network": Expectation(struck: ["mnist-training"], message: "a network of at most 2000000 parameters"),
        "storage-mismatch": Expectation(struck: ["backpropagation"], message: "at backpropagation.gradients[1].weights.storage: a 3×6 matrix needs 18 entries in storage, not 0"),
        "wrong-inputs": Expectation(struck: ["mnist-training"], message: "mnist-training protocolError: the first layer takes 100 inputs, but images have 784 pixels"),
    ]

    static let practical3: [String: Expectation] = [
        "cnn-overflow": Expectation(struck: ["cnn-training"], message: "cnn-training protocolError: block 1 has no filters"),
        "cnn-pooling-runaway": Expectation(struck: ["cnn-training"], message: "cnn-training protocolError: the network takes"),
    ]

    /// Runs the grade executable, returning its exit status and everything it printed.
    static func grade(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = FaultToleranceTests.gradeExecutable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Adds every fixture of `practical` to the course as a student `hostile-<name>`: alice's Swift files,
    /// overlaid with the fixture's own files, then made ready by its make.sh.
    static func addFixtures(_ practical: String, to course: URL) throws -> [String] {
        let source = fixtures.appendingPathComponent(practical)
        let alice = course.appendingPathComponent("Submissions/\(practical)/alice")
        let fm = FileManager.default
        var students: [String] = []
        for name in try fm.contentsOfDirectory(atPath: source.path).sorted() {
            let student = "hostile-\(name)"
            let folder = course.appendingPathComponent("Submissions/\(practical)/\(student)")
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in try fm.contentsOfDirectory(atPath: alice.path) where file.hasSuffix(".swift") {
                try fm.copyItem(at: alice.appendingPathComponent(file), to: folder.appendingPathComponent(file))
            }
            for file in try fm.contentsOfDirectory(atPath: source.appendingPathComponent(name).path) {
                try? fm.removeItem(at: folder.appendingPathComponent(file))
                try fm.copyItem(at: source.appendingPathComponent(name).appendingPathComponent(file), to: folder.appendingPathComponent(file))
            }
            let script = folder.appendingPathComponent("make.sh")
            if FileManager.default.fileExists(atPath: script.path) {
                let make = Process()
                make.executableURL = URL(fileURLWithPath: "/bin/sh")
                make.arguments = [script.path, folder.path]
                try make.run()
                make.waitUntilExit()
                #expect(make.terminationStatus == 0, "\(name)/make.sh")
                try FileManager.default.removeItem(at: script)
            }
            students.append(student)
        }
        return students
    }

    /// Every text the run left for a person: feedback files, the gradebook's rows and the exports.
    static func writtenOutputs(_ course: URL) throws -> [(String, String)] {
        var outputs: [(String, String)] = []
        let feedback = course.appendingPathComponent(".grade/feedback")
        if let files = FileManager.default.enumerator(atPath: feedback.path) {
            for case let file as String in files where file.hasSuffix(".txt") {
                outputs.append((file, try String(contentsOf: feedback.appendingPathComponent(file), encoding: .utf8)))
            }
        }
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        dump.arguments = [course.appendingPathComponent(".grade/gradebook.sqlite").path, ".dump"]
        let pipe = Pipe()
        dump.standardOutput = pipe
        try dump.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        dump.waitUntilExit()
        outputs.append(("gradebook dump", String(decoding: data, as: UTF8.self)))
        for format in ["automatic", "gradebook", "moodle", "detail"] {
            let out = course.appendingPathComponent("export-\(format).csv")
            // --partial: the other practicals are not graded here, and the files must be written to be read.
            let (status, printed) = try grade(["export", "--course", course.path, "--format", format, "--partial", "--out", out.path])
            #expect(status == 0, "export \(format): \(printed)")
            outputs.append(("export \(format) (terminal)", printed))
            if status == 0 { outputs.append(("export \(format)", try String(contentsOf: out, encoding: .utf8))) }
        }
        return outputs
    }

    /// The unsafe characters of `text` (CSV's CRLF line ends aside), described.
    static func unsafeCharacters(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars.filter(SafeText.isUnsafe).map { "U+\(String($0.value, radix: 16))" }
    }

    static func check(_ practical: String, expectations: [String: Expectation], course: URL, students: [String], output: String) throws {
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        let grades = Dictionary(uniqueKeysWithValues: try gradebook.currentGrades(assignmentID: practical).map { ($0.studentID, $0) })
        var table: [String] = []
        for student in students {
            let name = String(student.dropFirst("hostile-".count))
            let grade = try #require(grades[student], "\(student) was not recorded")
            let checks = try gradebook.checkScores(submissionID: grade.submissionID)
            let cases = try gradebook.caseResults(submissionID: grade.submissionID)
            let losing = Set(checks.filter { $0.points < $0.maxPoints }.map(\.checkID))
            let firstMessage = cases.first { !$0.verdict.isAccepted }.map { "\($0.checkID) \($0.verdict): \($0.message)" } ?? ""
            table.append("\(name): \(grade.status) \(grade.points) lost on \(losing.sorted()) — \(firstMessage.prefix(220))")
            guard let expected = expectations[name] else {
                Issue.record("no expectation for \(name): \(table.last!)")
                continue
            }
            #expect(grade.status.rawValue == expected.status, "\(name): \(grade.status)")
            #expect(losing == expected.struck, "\(name): lost points on \(losing.sorted()), expected \(expected.struck.sorted())")
            if let phrase = expected.message { #expect(firstMessage.contains(phrase), "\(name): \(firstMessage)") }
        }
        print("\(practical) hostile replies:\n" + table.joined(separator: "\n"))
        #expect(unsafeCharacters(output).isEmpty, "terminal: \(unsafeCharacters(output))")
        for (name, text) in try writtenOutputs(course) {
            #expect(unsafeCharacters(text).isEmpty, "\(name): \(unsafeCharacters(text))")
        }
    }

    @Test func practical1HostileRepliesAreContained() throws {
        let course = try EndToEndTests.courseCopy()
        let students = try Self.addFixtures("practical1", to: course)
        let (status, output) = try Self.grade(["practical1", "--course", course.path, "--jobs", "2", "--feedback"])
        #expect(status == 0, "\(output.suffix(2000))")
        let grades = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path).currentGrades(assignmentID: "practical1")
        let samples = GraderFaultTests.practical1Points
        for (student, points) in samples { #expect(grades.first { $0.studentID == student }?.points == points, "\(student)") }
        try Self.check("practical1", expectations: Self.practical1, course: course, students: students, output: output)
    }

    @Test func practical2HostileRepliesAreContained() throws {
        let course = try EndToEndTests.courseCopy()
        // Only alice among the samples, and a short training case, so the suite stays quick: a 2 s budget on 3,000 images.
        for sample in try FileManager.default.contentsOfDirectory(atPath: course.appendingPathComponent("Submissions/practical2").path) where sample != "alice" {
            try FileManager.default.removeItem(at: course.appendingPathComponent("Submissions/practical2/\(sample)"))
        }
        let spec = course.appendingPathComponent("Assignments/practical2.yaml")
        var text = try String(contentsOf: spec, encoding: .utf8)
        for (from, to) in [("settings: {samples: 20000, test: 10000, seconds: 10, hidden: 128}", "settings: {samples: 3000, test: 1000, seconds: 2, hidden: 32}"),
                           ("limits: {memory-mib: 1536, cpu: 25}", "limits: {memory-mib: 1536, cpu: 8}"),
                           ("expect: {accuracy: 0.95, partial-accuracy: 0.9}", "expect: {accuracy: 0.8, partial-accuracy: 0.7}")] {
            #expect(text.contains(from), "the training check's spec has \(from)")
            text = text.replacingOccurrences(of: from, with: to)
        }
        try text.write(to: spec, atomically: true, encoding: .utf8)
        let students = try Self.addFixtures("practical2", to: course)
        let (status, output) = try Self.grade(["practical2", "--course", course.path, "--jobs", "2", "--feedback"])
        #expect(status == 0, "\(output.suffix(2000))")
        let grades = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path).currentGrades(assignmentID: "practical2")
        #expect(grades.first { $0.studentID == "alice" }?.points == 16)
        try Self.check("practical2", expectations: Self.practical2, course: course, students: students, output: output)
    }

    /// Returned networks built to crash or stall scoring, graded beside the correct sample: the run finishes, the
    /// correct one keeps every point, and each hostile one loses its training case with what was wrong.
    @Test func practical3HostileNetworksAreContained() throws {
        let course = try EndToEndTests.courseCopy()
        for sample in try FileManager.default.contentsOfDirectory(atPath: course.appendingPathComponent("Submissions/practical3").path) where sample != "alice" {
            try FileManager.default.removeItem(at: course.appendingPathComponent("Submissions/practical3/\(sample)"))
        }
        // Short trainings on fewer images, so the suite stays quick; the bars are lowered to match.
        let spec = course.appendingPathComponent("Assignments/practical3.yaml")
        var text = try String(contentsOf: spec, encoding: .utf8)
        for (from, to) in [("settings: {samples: 2000, heldout: 5000, seconds: 10}", "settings: {samples: 1000, heldout: 1000, seconds: 2}"),
                           ("expect: {accuracy: 0.9, partial-accuracy: 0.8}", "expect: {accuracy: 0.5, partial-accuracy: 0.4}"),
                           ("settings: {modes: 8, radius: 2, separation: 1, sigma: 0.1, samples: 4096, seconds: 10}", "settings: {modes: 8, radius: 2, separation: 1, sigma: 0.1, samples: 1024, seconds: 2}"),
                           ("expect: {quality: 0.72, partial-quality: 0.55}", "expect: {quality: 0.05, partial-quality: 0.01}")] {
            #expect(text.contains(from), "the training checks' spec has \(from)")
            text = text.replacingOccurrences(of: from, with: to)
        }
        try text.write(to: spec, atomically: true, encoding: .utf8)
        let students = try Self.addFixtures("practical3", to: course)
        let (status, output) = try Self.grade(["practical3", "--course", course.path, "--jobs", "2"])
        #expect(status == 0, "\(output.suffix(2000))")
        let grades = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path).currentGrades(assignmentID: "practical3")
        #expect(grades.first { $0.studentID == "alice" }?.points == 16)
        try Self.check("practical3", expectations: Self.practical3, course: course, students: students, output: output)
    }
}
