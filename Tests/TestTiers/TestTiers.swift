import Foundation
import Testing

/// The tiers of the test suite. A suite says its tier with a trait (`.integration` or `.sandboxTiming`);
/// a suite without one is a unit suite: no compiler, no sandbox, no training, quick.
///
/// `GRADE_TEST_TIERS` (comma-separated: `unit`, `integration`, `timing`) chooses the tiers a run executes,
/// all when unset: `make check` runs the unit tier, `make test` all three in one parallel run. The other
/// tiers' suites are reported as skipped. Integration suites run in parallel with each other; suites of the
/// timing tier (their verdicts depend on wall-clock limits or on the load beside them) run one at a time
/// once no integration suite is left.
public enum TestTier: String, CaseIterable, Sendable {
    case unit, integration, timing

    /// The tiers this run executes.
    public static let selected: Set<TestTier> = {
        guard let value = ProcessInfo.processInfo.environment["GRADE_TEST_TIERS"], !value.isEmpty else { return Set(allCases) }
        return Set(value.split(separator: ",").compactMap { TestTier(rawValue: $0.trimmingCharacters(in: .whitespaces)) })
    }()
}

/// A suite's tier: skipped when its tier is not selected, and run under the tier's share of the machine.
public struct TierTrait: SuiteTrait, TestScoping {
    public let tier: TestTier

    public var isRecursive: Bool { false }

    public func prepare(for test: Test) async throws {
        // The library's own condition, so an unselected tier is reported as skipped, not as a failure.
        try await ConditionTrait.enabled(if: TestTier.selected.contains(tier), "the \(tier.rawValue) tier is not selected (GRADE_TEST_TIERS)")
            .prepare(for: test)
    }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        // The suite runs here, outside the gate's actor, which only counts who holds the machine.
        let exclusive = tier == .timing
        await MachineShare.gate.acquire(exclusive: exclusive)
        do { try await function() } catch {
            await MachineShare.gate.release(exclusive: exclusive)
            throw error
        }
        await MachineShare.gate.release(exclusive: exclusive)
    }
}

extension Trait where Self == TierTrait {
    /// A suite that builds or runs submissions, trains, or sweeps many cases: run beside other integration suites.
    public static var integration: Self { TierTrait(tier: .integration) }
    /// A suite whose verdicts depend on wall-clock limits or on the load beside it: run alone.
    public static var sandboxTiming: Self { TierTrait(tier: .timing) }
}

/// Shared and exclusive use of the machine among suites, without blocking a thread while waiting: any number
/// of shared holders at once, or one exclusive holder alone. Shared requests go first: every integration
/// suite enters as soon as it starts (the test runner's threads, not the gate, decide how many run at once),
/// and the timing suites run one after another once no integration suite is left, so the machine never
/// drains for one timing suite while the others queue.
actor MachineShare {
    static let gate = MachineShare()

    private var sharedHolders = 0
    private var exclusiveHeld = false
    private var waiting: [(exclusive: Bool, resume: CheckedContinuation<Void, Never>)] = []

    /// Who holds the machine now, and how many wait.
    var state: (shared: Int, exclusive: Bool, waiting: Int) { (sharedHolders, exclusiveHeld, waiting.count) }

    /// Waits for a share of the machine: shared (whenever no exclusive holder has it), or alone when `exclusive`.
    func acquire(exclusive: Bool) async {
        if exclusive ? (!exclusiveHeld && sharedHolders == 0) : !exclusiveHeld {
            enter(exclusive: exclusive)
            return
        }
        await withCheckedContinuation { waiting.append((exclusive, $0)) }
    }

    private func enter(exclusive: Bool) {
        if exclusive { exclusiveHeld = true } else { sharedHolders += 1 }
    }

    /// Gives the share back, and lets in whoever can enter now: every waiting shared request, else the first
    /// waiting exclusive one.
    func release(exclusive: Bool) {
        if exclusive { exclusiveHeld = false } else { sharedHolders -= 1 }
        guard !exclusiveHeld else { return }
        let shared = waiting.filter { !$0.exclusive }
        if !shared.isEmpty {
            waiting.removeAll { !$0.exclusive }
            for request in shared {
                enter(exclusive: false)
                request.resume.resume()
            }
        } else if sharedHolders == 0, let first = waiting.first {
            waiting.removeFirst()
            enter(exclusive: true)
            first.resume.resume()
        }
    }
}
