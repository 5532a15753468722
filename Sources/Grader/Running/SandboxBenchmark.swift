import CourseKit
import Foundation
import SubmissionRuntime

/// Measures what the sandbox costs: per case, per process start, and per compilation, against the
/// same work without any isolation layer (a plain child process) in the same run.
public enum SandboxBenchmark {
    /// Medians, in seconds, without and with the sandbox.
    public struct Comparison: Sendable {
        /// What was measured.
        public var name: String
        /// Median without isolation (the baseline).
        public var plain: Double
        /// Median inside the sandbox.
        public var sandboxed: Double
        /// The sandbox's cost: sandboxed − plain.
        public var overhead: Double { sandboxed - plain }
    }

    /// Builds `sources` and runs the three measurements `repetitions` times each in both modes.
    public static func run(sources: [SubmissionFolder.SourceFile], state: URL, cases: Int, starts: Int, compiles: Int) throws -> [Comparison] {
        guard let compiler = SubmissionBuilder.findCompiler() else { throw Toolkit.Unavailable(description: "swiftc not found") }
        let toolkit = try Toolkit.prepare(in: state.appendingPathComponent("toolkit"))
        let sandboxed = SandboxLauncher(capabilities: .probe(), slots: 1)
        let plain = SandboxLauncher(capabilities: .unsandboxed, slots: 1)
        let call = Practical1Call.armijoStep(objective: .quadratic(Quadratic(A: Matrix([[2, 0], [0, 8]]), b: [1, 1])), x: [1, 1],
                                             direction: [-1, -7], initialStep: 1, c: 1e-4, rho: 0.5)
        let budget = Practical1Rules.replyBudget(for: call)
        var results: [Comparison] = []
        var perCase: [Double] = [], perStart: [Double] = [], perCompile: [Double] = []
        for launcher in [plain, sandboxed] {
            let (caseMedian, startMedian, compileMedian) = try launcher.withSlot { slot -> (Double, Double, Double) in
                var compileTimes: [Double] = []
                var executable: URL?
                for round in 0..<compiles {
                    let cache = state.appendingPathComponent("builds-\(launcher === plain ? "plain" : "sandbox")-\(round)")
                    try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
                    let builder = SubmissionBuilder(toolkit: toolkit, cacheFolder: cache, compiler: compiler, limits: .compilation, launcher: launcher)
                    let started = ContinuousClock.now
                    guard case let .built(url, _) = builder.build(sources, entryPoint: Practical1Rules.entryPoint, slot: slot) else {
                        throw Toolkit.Unavailable(description: "the benchmark submission does not build")
                    }
                    compileTimes.append(seconds(since: started))
                    executable = url
                }
                guard let executable else { throw Toolkit.Unavailable(description: "no compilation was run") }
                var startTimes: [Double] = []
                for _ in 0..<starts {
                    let session = SubmissionSession(executable: executable, toolkit: toolkit, launcher: launcher, slot: slot)
                    let started = ContinuousClock.now
                    guard case .replied = session.perform(call, budget: budget, limits: ResourceLimits()) else { throw Toolkit.Unavailable(description: "the call failed") }
                    startTimes.append(seconds(since: started))
                    session.stop()
                }
                let session = SubmissionSession(executable: executable, toolkit: toolkit, launcher: launcher, slot: slot)
                defer { session.stop() }
                _ = session.perform(call, budget: budget, limits: ResourceLimits())
                var caseTimes: [Double] = []
                for _ in 0..<cases {
                    let started = ContinuousClock.now
                    guard case .replied = session.perform(call, budget: budget, limits: ResourceLimits()) else { throw Toolkit.Unavailable(description: "the call failed") }
                    caseTimes.append(seconds(since: started))
                }
                return (median(caseTimes), median(startTimes), median(compileTimes))
            }
            perCase.append(caseMedian)
            perStart.append(startMedian)
            perCompile.append(compileMedian)
        }
        results.append(Comparison(name: "per case (warm process, one call)", plain: perCase[0], sandboxed: perCase[1]))
        results.append(Comparison(name: "per process start (first call, also after a failure)", plain: perStart[0], sandboxed: perStart[1]))
        results.append(Comparison(name: "per compilation (includes the compile itself)", plain: perCompile[0], sandboxed: perCompile[1]))
        return results
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        start.duration(to: .now).inSeconds
    }

    /// The median of `values` (NaN when empty).
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

extension SandboxCapabilities {
    /// No isolation layer at all: a plain child process in its own process group. The benchmark's baseline.
    public static var unsandboxed: SandboxCapabilities {
        SandboxCapabilities(bubblewrap: nil, setpriv: nil, prlimit: nil, cgroups: nil, isRoot: geteuid() == 0)
    }
}
