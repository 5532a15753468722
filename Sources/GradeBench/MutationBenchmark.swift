import Foundation
import CourseDrivers
import Grader
import Mutation

/// Runs the benchmark on each sample and prints the figures.
enum MutationReport {
    /// `only`: when not empty, the mutants whose id contains one of these texts (`--only`), or is one of the lines of `--only-file`.
    static func run(repository: URL, practicals: [String], samples: [String: [String]], jobs: Int, skipTraining: Bool, only: [String]) throws -> Bool {
        let listURL = repository.appendingPathComponent("bench/equivalent-mutants.yaml")
        let listed = try EquivalentMutant.load(listURL)
        let layout = CourseLayout(root: repository)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("grade-bench-mutants-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var allMet = true
        for practical in practicals {
            for sampleName in samples[practical] ?? ["Submissions/\(practical)/alice"] {
                let sample = sampleName.hasPrefix("/") ? URL(fileURLWithPath: sampleName) : repository.appendingPathComponent(sampleName)
                let equivalents = Dictionary(listed.filter { $0.sample == sampleName }.map { ($0.mutant, $0.reason) }, uniquingKeysWith: { first, _ in first })
                let folder = scratch.appendingPathComponent(practical)
                let spec = try SpecLoader.loadAssignment(at: layout.specURL(practical))
                let driver: any PracticalDriver.Type = try PracticalRegistry.course.driver(for: spec)
                allMet = try run(driver, practical: practical, sample: sample, sampleName: sampleName, layout: layout, folder: folder,
                                 skipTraining: skipTraining, equivalents: equivalents, jobs: jobs, only: only) && allMet
            }
        }
        return allMet
    }

    /// The benchmark of one sample of the practical `Driver` grades, with its case data under `folder`.
    static func run<Driver: PracticalDriver>(_: Driver.Type, practical: String, sample: URL, sampleName: String, layout: CourseLayout, folder: URL,
                                             skipTraining: Bool, equivalents: [String: String], jobs: Int, only: [String]) throws -> Bool {
        let driver = Driver(context: DriverContext(course: layout, dataFolder: folder.appendingPathComponent("data")))
        let bench = try MutationBenchmark(assignment: practical, sample: sample, sampleName: sampleName, layout: layout,
                                          driver: driver, scratch: folder, skipTraining: skipTraining)
        return try report(bench, equivalents: equivalents, jobs: jobs, only: only)
    }

    /// The kill rate the benchmark asks of each practical.
    static let target = 0.95

    static func report<Driver>(_ bench: MutationBenchmark<Driver>, equivalents: [String: String], jobs: Int, only: [String]) throws -> Bool {
        let started = ContinuousClock.now
        let generated = try bench.mutants()
        let mutants = only.isEmpty ? generated : generated.filter { mutant in only.contains { mutant.id.contains($0) } }
        say("\(bench.assignment): \(mutants.count) mutants of \(bench.sampleName), graded with \(bench.graders.count) checks "
              + "(\(bench.graders.map(\.check.id).joined(separator: ", ")))")
        let own = try bench.fate(of: nil, index: -1, equivalents: [:])
        guard case .survived = own else {
            throw CommandFailure("\(bench.sampleName) itself does not get every point of \(bench.assignment) (\(describe(own))): it cannot be the benchmark's sample")
        }
        let fates = LockedFates(count: mutants.count)
        DispatchQueue.concurrentPerform(iterations: max(1, jobs)) { worker in
            for index in stride(from: worker, to: mutants.count, by: max(1, jobs)) {
                let caseStarted = ContinuousClock.now
                let fate = (try? bench.fate(of: mutants[index], index: index, equivalents: equivalents)) ?? .graderError("the mutant's folder could not be written")
                let done = fates.set(index, fate)
                let seconds = caseStarted.duration(to: .now).inSeconds
                FileHandle.standardError.write(Data(String(format: "[%d/%d] %@: %@ (%.1f s)\n", done, mutants.count, mutants[index].id, describe(fate), seconds).utf8))
            }
        }
        let results = zip(mutants, fates.values.map { $0 ?? .graderError("not run") }).map { ($0, $1) }
        return summarise(results, bench: bench, equivalents: equivalents, generated: Set(generated.map(\.id)), seconds: started.duration(to: .now).inSeconds)
    }

    static func describe(_ fate: MutantFate) -> String {
        switch fate {
        case .stillborn: "does not compile"
        case let .killed(check, detail): "killed by \(check) (\(detail))"
        case .equivalent: "equivalent"
        case .survived: "SURVIVED"
        case let .graderError(message): "grader error: \(message)"
        }
    }

    static func summarise<Driver>(_ results: [(Mutant, MutantFate)], bench: MutationBenchmark<Driver>, equivalents: [String: String],
                                  generated: Set<String>, seconds: Double) -> Bool {
        func count(_ subset: [(Mutant, MutantFate)], _ test: (MutantFate) -> Bool) -> Int { subset.filter { test($0.1) }.count }
        let isKilled: (MutantFate) -> Bool = { if case .killed = $0 { true } else { false } }
        let isSurvivor: (MutantFate) -> Bool = { $0 == .survived }
        let isEquivalent: (MutantFate) -> Bool = { if case .equivalent = $0 { true } else { false } }
        let isStillborn: (MutantFate) -> Bool = { $0 == .stillborn }
        let isFault: (MutantFate) -> Bool = { if case .graderError = $0 { true } else { false } }
        func rate(_ subset: [(Mutant, MutantFate)]) -> String {
            let killed = count(subset, isKilled), counted = killed + count(subset, isSurvivor)
            return counted == 0 ? "-" : String(format: "%.1f%%", 100 * Double(killed) / Double(counted))
        }
        func row(_ name: String, _ subset: [(Mutant, MutantFate)]) -> String {
            name.padding(toLength: 26, withPad: " ", startingAt: 0)
                + [subset.count, count(subset, isStillborn), count(subset, isKilled), count(subset, isEquivalent), count(subset, isSurvivor)]
                .map { String($0).leftPadded(9) }.joined() + rate(subset).leftPadded(10)
        }
        let header = "".padding(toLength: 26, withPad: " ", startingAt: 0) + ["mutants", "no build", "killed", "equiv.", "survived"].map { $0.leftPadded(9) }.joined() + "kill rate".leftPadded(10)
        say("\nBy the function the change is in (kill rate: killed over killed + survived):")
        say(header)
        let functions = Array(Set(results.map { $0.0.function ?? "(top level)" })).sorted()
        for function in functions { say(row(function, results.filter { ($0.0.function ?? "(top level)") == function })) }
        say("\nBy the kind of change:")
        say(header)
        for mutation in MutationOperator.allCases { say(row(mutation.rawValue, results.filter { $0.0.mutation == mutation })) }
        say(row("all", results))
        say("\nBy the check that killed them (own checks tried first):")
        for (check, _) in bench.graders {
            let killed = results.filter { if case let .killed(by, _) = $0.1 { by == check.id } else { false } }
            let own = killed.filter { $0.0.function == check.call }.count
            say("  \(check.id.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(killed.count).leftPadded(4)) killed (\(own) in \(check.call))")
        }
        let survivors = results.filter { isSurvivor($0.1) }
        say("\nSurvivors (\(survivors.count)):")
        for (mutant, _) in survivors { say("  \(mutant.id)") }
        if survivors.isEmpty { say("  none") }
        say("\nEquivalent (\(count(results, isEquivalent)), listed in bench/equivalent-mutants.yaml):")
        for (mutant, fate) in results { if case let .equivalent(reason) = fate { say("  \(mutant.id)\n      \(reason)") } }
        let stale = equivalents.keys.filter { !generated.contains($0) }.sorted()
        let killedButListed = results.filter { isKilled($0.1) && equivalents[$0.0.id] != nil }.map { $0.0.id }
        for id in stale { say("  listed but no longer generated (remove it): \(id)") }
        for id in killedButListed { say("  listed as equivalent but killed (remove it): \(id)") }
        let faults = results.filter { isFault($0.1) }
        if !faults.isEmpty {
            say("\nGrader errors (\(faults.count), not counted):")
            for (mutant, fate) in faults { say("  \(mutant.id): \(describe(fate))") }
        }
        let killed = count(results, isKilled), counted = killed + survivors.count
        let achieved = counted > 0 ? Double(killed) / Double(counted) : 0
        say(String(format: "\n%@: %d of %d non-equivalent mutants killed (%.1f%%; target %.0f%%), %d equivalent, %d do not compile; %.0f s.\n",
                     bench.assignment, killed, counted, 100 * achieved, 100 * target, count(results, isEquivalent), count(results, isStillborn), seconds))
        return achieved >= target && faults.isEmpty
    }
}

/// The fates of the mutants, written by the benchmark's workers.
final class LockedFates: Sendable {
    private let fates: Locked<(storage: [MutantFate?], done: Int)>

    init(count: Int) { fates = Locked((Array(repeating: nil, count: count), 0)) }

    /// Records a fate; returns how many are known.
    func set(_ index: Int, _ fate: MutantFate) -> Int {
        fates.withLock {
            $0.storage[index] = fate
            $0.done += 1
            return $0.done
        }
    }

    var values: [MutantFate?] { fates.withLock { $0.storage } }
}

/// A failure of the benchmark's own, reported on one line.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? " " + self : String(repeating: " ", count: width - count) + self }
}
