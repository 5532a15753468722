import Foundation
import Testing

/// The tiers of the test suite. A suite says its tier with a trait (`.integration` or `.sandboxTiming`);
/// a suite without one is a unit suite: no compiler, no sandbox, no training, quick.
///
/// `GRADE_TEST_TIERS` (comma-separated: `unit`, `integration`, `timing`) chooses the tiers a run executes,
/// all when unset: `make check` runs the unit tier, `make test` all three in one parallel run. The other
/// tiers' suites are reported as skipped. Suites of the timing tier (their verdicts depend on wall-clock
/// limits or on the load beside them) run one at a time with no integration suite beside them; integration
/// suites run in parallel with each other.
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
        switch tier {
        case .timing: try await MachineShare.gate.exclusively(function)
        case .integration, .unit: try await MachineShare.gate.shared(function)
        }
    }
}

extension Trait where Self == TierTrait {
    /// A suite that builds or runs submissions, trains, or sweeps many cases: run beside other integration suites.
    public static var integration: Self { TierTrait(tier: .integration) }
    /// A suite whose verdicts depend on wall-clock limits or on the load beside it: run alone.
    public static var sandboxTiming: Self { TierTrait(tier: .timing) }
}

/// Shared and exclusive use of the machine among suites, without blocking a thread while waiting: any number
/// of shared holders at once, or one exclusive holder alone. A waiting exclusive request goes before later
/// shared ones, so timing suites are not starved by the integration suites queued behind them.
actor MachineShare {
    static let gate = MachineShare()

    private var sharedHolders = 0
    private var exclusiveHeld = false
    private var waiting: [(exclusive: Bool, resume: CheckedContinuation<Void, Never>)] = []

    func shared(_ body: @Sendable () async throws -> Void) async throws {
        await acquire(exclusive: false)
        do { try await body() } catch { release(exclusive: false); throw error }
        release(exclusive: false)
    }

    func exclusively(_ body: @Sendable () async throws -> Void) async throws {
        await acquire(exclusive: true)
        do { try await body() } catch { release(exclusive: true); throw error }
        release(exclusive: true)
    }

    private func acquire(exclusive: Bool) async {
        if waiting.isEmpty && !exclusiveHeld && (!exclusive || sharedHolders == 0) {
            enter(exclusive: exclusive)
            return
        }
        await withCheckedContinuation { waiting.append((exclusive, $0)) }
    }

    private func enter(exclusive: Bool) {
        if exclusive { exclusiveHeld = true } else { sharedHolders += 1 }
    }

    private func release(exclusive: Bool) {
        if exclusive { exclusiveHeld = false } else { sharedHolders -= 1 }
        // Wake waiters in order: the first exclusive one alone, or every shared one before the next exclusive one.
        while let next = waiting.first {
            if next.exclusive {
                guard !exclusiveHeld && sharedHolders == 0 else { break }
                waiting.removeFirst()
                enter(exclusive: true)
                next.resume.resume()
                break
            }
            guard !exclusiveHeld else { break }
            waiting.removeFirst()
            enter(exclusive: false)
            next.resume.resume()
        }
    }
}
