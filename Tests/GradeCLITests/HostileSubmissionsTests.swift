import Foundation
import Glibc
import Gradebook
import Grader
import Outcomes
import Testing
@testable import GradeCLI
import TestTiers

#if canImport(Glibc)
#endif

/// Hostile submissions graded by `grade practical1` next to the samples: each is contained, gets the
/// right verdict within its time bound, and leaves the other students' grades, the gradebook and the
/// course files intact. The fixtures are in Tests/GraderTests/Fixtures/Hostile.
@Suite(.serialized, .courseDrivers, .sandboxTiming) struct HostileSubmissionsTests {
    static let fixtures = EndToEndTests.repositoryRoot.appendingPathComponent("Tests/GraderTests/Fixtures/Hostile")

    /// Each fixture's expected verdict on the armijo-step cases (where it strikes).
    static let expected: [(fixture: String, verdict: Verdict)] = [
        ("cpu-spin", .cpuLimit),
        ("sleep", .timeLimit),
        ("stdin-block", .timeLimit),
        ("heap-bomb", .memoryLimit),
        ("fork-bomb", .cpuLimit),
        ("thread-bomb", .cpuLimit),
        ("task-bomb", .cpuLimit),
        ("stdout-flood", .outputLimit),
        ("stderr-flood", .outputLimit),
        ("endless-line", .outputLimit),
        ("recursion", .runtimeError),
        ("setsid-daemon", .accepted),
        ("snoop-files", .accepted),
        ("snoop-processes", .accepted),
        ("write-outside", .accepted),
        ("fill-disk", .accepted),
        ("symlink-trap", .accepted),
        ("network", .accepted),
        ("kill-grader", .accepted),
        ("unshare-mount", .accepted),
        ("io-uring", .accepted),
        ("bpf", .accepted),
        ("keyctl", .accepted),
        ("userfaultfd", .accepted),
        ("perf-event", .accepted),
        ("ptrace", .accepted),
        ("proc-cmdline", .accepted),
        ("forged-reply", .protocolError),
    ]

    /// The per-case wall limit the copy's armijo-step check gets.
    static let wallSeconds = 2.0

    /// A course copy whose armijo-step check has tight limits and one hidden case, with every hostile fixture as a student.
    static func hostileCourse() throws -> URL {
        let course = try EndToEndTests.courseCopy()
        let spec = course.appendingPathComponent("Assignments/practical1.yaml")
        var text = try String(contentsOf: spec, encoding: .utf8)
        text = text.replacingOccurrences(of: "        call: armijoStep\n", with: """
                    call: armijoStep
                    timeout: \(wallSeconds)
                    limits: {memory-mib: 256, processes: 32, output-kib: 256}

            """)
        text = text.replacingOccurrences(of: "          count: 3\n          problems:\n            - {problem: quadratic, dimension: [2, 8], condition: [10, 1000], direction: perturbed}",
                                         with: "          count: 1\n          problems:\n            - {problem: quadratic, dimension: [2, 8], condition: [10, 1000], direction: perturbed}")
        try text.write(to: spec, atomically: true, encoding: .utf8)
        let alice = course.appendingPathComponent("Submissions/practical1/alice")
        let solution = try String(contentsOf: alice.appendingPathComponent("Solution.swift"), encoding: .utf8)
        let body = "        backtrack(f, at: x, direction: d, t0: initialStep, c: c, rho: rho)\n"
        let hooked = solution.replacingOccurrences(of: body, with: "        hostileAction(x)\n        return backtrack(f, at: x, direction: d, t0: initialStep, c: c, rho: rho)\n")
        for (fixture, _) in expected {
            let folder = course.appendingPathComponent("Submissions/practical1/hostile-\(fixture)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: alice.appendingPathComponent("Descent.swift"), to: folder.appendingPathComponent("Descent.swift"))
            try hooked.write(to: folder.appendingPathComponent("Solution.swift"), atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent("\(fixture).swift"), to: folder.appendingPathComponent("Hostile.swift"))
        }
        return course
    }

    /// A listening TCP socket on 127.0.0.1:47123, which the network fixture tries to reach.
    static func listenOnLoopback() -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(47_123).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(fd, 8)
        return fd
    }

    /// Processes still running as one of this process's sandbox uids (not those of another grader running meanwhile).
    static func sandboxProcesses() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int32($0) != nil }.compactMap { pid in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
                  let uid = line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap({ Int($0) }),
                  SandboxLauncher.ownUIDs.contains(uid_t(uid)) else { return nil }
            return "\(pid) uid \(uid)"
        }
    }

    @Test func everyHostileSubmissionIsContainedAndLabelled() throws {
        let course = try Self.hostileCourse()
        let listener = Self.listenOnLoopback()
        defer { close(listener) }
        let protected = ["Rubrics/practical1.yaml", "Assignments/practical1.yaml", "Submissions/practical1/alice/Solution.swift"]
        let before = try protected.map { try Data(contentsOf: course.appendingPathComponent($0)) }

        var command = try GradeCommand.parseAsRoot(["practical1", "--course", course.path, "--jobs", "2"])
        try command.run()

        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        let grades = Dictionary(uniqueKeysWithValues: try gradebook.currentGrades(assignmentID: "practical1").map { ($0.studentID, $0) })
        // The samples keep exactly their scores.
        // bastien: this copy of the course has its own secret, so his wrong Armijo sign meets other hidden cases.
        let samples: [String: Double] = ["alice": 16, "bastien": 13.208333333333332, "chloe": 12.6, "dmitri": 12, "emma": 0, "farid": 15.5, "gabriel": 14]
        for (student, points) in samples { #expect(grades[student]?.points == points, "\(student)") }

        var table: [String] = []
        for (fixture, verdict) in Self.expected {
            let student = "hostile-\(fixture)"
            let grade = try #require(grades[student], "\(student) was not recorded")
            let cases = try gradebook.caseResults(submissionID: grade.submissionID)
            let struck = cases.filter { $0.checkID == "armijo-step" }
            let others = cases.filter { $0.checkID != "armijo-step" }
            #expect(struck.count == 4, "\(student)")
            #expect(struck.allSatisfy { $0.verdict == verdict }, "\(student): \(struck.map { "\($0.verdict): \($0.message)" })")
            #expect(others.allSatisfy { $0.verdict == .accepted }, "\(student): \(others.filter { !$0.verdict.isAccepted }.map { "\($0.checkID) \($0.verdict): \($0.message)" })")
            let slowest = struck.map(\.durationSeconds).max() ?? 0
            #expect(slowest < Self.wallSeconds + 1.5, "\(student) took \(slowest) s on one case")
            table.append("\(fixture): \(struck.first?.verdict.rawValue ?? "-") in \(String(format: "%.2f", slowest)) s")
        }
        print("hostile verdicts:\n" + table.joined(separator: "\n"))

        // Nothing escaped: no process left behind, no file written, no course file changed.
        #expect(Self.sandboxProcesses().isEmpty, "\(Self.sandboxProcesses())")
        let after = try protected.map { try Data(contentsOf: course.appendingPathComponent($0)) }
        #expect(before == after)
        for path in ["pwned.txt", ".grade/pwned.txt"] {
            #expect(!FileManager.default.fileExists(atPath: course.appendingPathComponent(path).path), "\(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/pwned.txt"))
        // The gradebook is whole: every student recorded once in the run, and the run finished.
        let runs = try gradebook.runs(assignmentID: "practical1")
        #expect(runs.count == 1 && runs[0].finishedAt != nil && runs[0].submissionsGraded == samples.count + Self.expected.count)
    }
}
