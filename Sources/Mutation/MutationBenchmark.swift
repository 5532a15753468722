import Foundation
import Grader
import Logging
import Yams

/// A mutant the benchmark does not count: it computes what the sample computes, so no case can tell
/// them apart. Listed in `bench/equivalent-mutants.yaml`, each with the reason.
public struct EquivalentMutant: Decodable, Sendable {
    /// The sample, relative to the repository: `Submissions/practical1/alice`.
    public var sample: String
    /// The mutant's name (`Mutant.id`).
    public var mutant: String
    /// Why it is equivalent.
    public var reason: String

    /// The list in `url`.
    public static func load(_ url: URL) throws -> [EquivalentMutant] {
        try YAMLDecoder().decode([EquivalentMutant].self, from: String(contentsOf: url, encoding: .utf8))
    }
}

/// What became of one mutant.
public enum MutantFate: Equatable, Sendable {
    /// It does not compile: not counted.
    case stillborn
    /// It lost points; the first check (in the order tried) that took them, and its first lost case.
    case killed(check: String, detail: String)
    /// Full marks, and listed as equivalent.
    case equivalent(reason: String)
    /// Full marks: a bug no check finds.
    case survived
    /// The grader failed: not counted, and reported.
    case graderError(String)
}

/// The mutation benchmark: every single-change mutant of a correct sample, graded check by check as it
/// is for real (sandbox, hidden cases of a fixed student), each stopped at the first check that takes
/// points. A mutant's own checks (those calling the function it is in) are tried first, then the others
/// in spec order, training last, so the costly check runs only for mutants nothing else catches.
public struct MutationBenchmark<Driver: PracticalDriver>: Sendable {
    public let assignment: String
    public let sample: URL
    public let sampleName: String
    /// One grader per check, each holding that check alone.
    public let graders: [(check: CheckSpec, grader: AssignmentGrader<Driver>)]
    let scratch: URL

    public init(assignment: String, sample: URL, sampleName: String, layout: CourseLayout, driver: Driver, scratch: URL, skipTraining: Bool) throws {
        self.assignment = assignment
        self.sample = sample
        self.sampleName = sampleName
        self.scratch = scratch
        let loaded = try Driver.load(assignment, from: layout, requireRubric: true)
        let secret = try InstructorSecret(hex: "5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee0001", origin: "the benchmark's fixed secret")
        var logger = Logger(label: "grade-bench")
        logger.logLevel = .critical
        var graders: [(CheckSpec, AssignmentGrader<Driver>)] = []
        for (task, check) in loaded.spec.allChecks where !(skipTraining && check.kind == .training) {
            var spec = loaded.spec
            var alone = task
            alone.checks = [check]
            spec.tasks = [alone]
            graders.append((check, try AssignmentGrader(spec: spec, rubric: loaded.rubric, secret: secret, driver: driver,
                                                        stateFolder: scratch.appendingPathComponent("state"), logger: logger)))
        }
        self.graders = graders
    }

    /// The checks in the order a mutant in `function` meets them.
    func order(for function: String?) -> [(check: CheckSpec, grader: AssignmentGrader<Driver>)] {
        let own = graders.filter { $0.check.call == function }
        let rest = graders.filter { $0.check.call != function }
        return own + rest.filter { $0.check.kind != .training } + rest.filter { $0.check.kind == .training }
    }

    /// The sample's files, with `mutant`'s file changed, in a folder of their own named for the fixed student.
    func folder(_ index: Int, mutant: Mutant?) throws -> SubmissionFolder {
        let folder = scratch.appendingPathComponent("mutants/\(index)/mutant")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: sample.path) where file.hasSuffix(".swift") {
            let target = folder.appendingPathComponent(file)
            if let mutant, mutant.file == file {
                try mutant.mutatedSource.write(to: target, atomically: true, encoding: .utf8)
            } else {
                try FileManager.default.copyItem(at: sample.appendingPathComponent(file), to: target)
            }
        }
        return SubmissionFolder(url: folder)
    }

    /// The fate of `mutant` (nil: the sample itself, which must get every point).
    public func fate(of mutant: Mutant?, index: Int, equivalents: [String: String]) throws -> MutantFate {
        let submission = try folder(index, mutant: mutant)
        defer { try? FileManager.default.removeItem(at: submission.url.deletingLastPathComponent()) }
        for (check, grader) in order(for: mutant?.function) {
            let report = grader.grade(submission)
            switch report.status {
            case .compileError, .compileTimeout, .compileMemoryLimit, .noSources:
                return .stillborn
            case .graderError:
                return .graderError(report.graderFault ?? "grader error")
            case .graded:
                break
            }
            if report.points < report.maxPoints - 1e-9 {
                let lost = report.checks.flatMap(\.cases).first { !$0.verdict.isAccepted }
                let detail = lost.map { "\($0.label): \($0.verdict.rawValue), \(MutantGenerator.oneLine($0.message))" } ?? ""
                return .killed(check: check.id, detail: detail)
            }
        }
        if let mutant, let reason = equivalents[mutant.id] { return .equivalent(reason: reason) }
        return .survived
    }

    /// Every mutant of the sample's Swift files, in file order.
    public func mutants() throws -> [Mutant] {
        var mutants: [Mutant] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: sample.path).sorted() where file.hasSuffix(".swift") {
            mutants += MutantGenerator.mutants(of: try String(contentsOf: sample.appendingPathComponent(file), encoding: .utf8), file: file)
        }
        return mutants
    }
}
