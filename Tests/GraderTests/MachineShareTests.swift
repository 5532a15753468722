import Testing
@testable import TestTiers

/// The gate the test tiers share the machine through: shared holders together, an exclusive one alone once
/// no shared holder is left, and shared requests let in first.
@Suite struct MachineShareTests {
    /// Lets the tasks started so far run up to where they wait.
    static func settle() async {
        for _ in 0..<50 { await Task.yield() }
    }

    @Test func sharedHoldersGoFirstAndExclusiveOnesRunAloneAfterThem() async {
        let gate = MachineShare()
        await gate.acquire(exclusive: false)
        let first = Task { await gate.acquire(exclusive: true) }
        let second = Task { await gate.acquire(exclusive: true) }
        await Self.settle()
        #expect(await gate.state == (1, false, 2), "both exclusive requests wait for the shared holder")
        await gate.acquire(exclusive: false)
        #expect(await gate.state == (2, false, 2), "a later shared request enters at once")
        await gate.release(exclusive: false)
        await Self.settle()
        #expect(await gate.state == (1, false, 2))
        await gate.release(exclusive: false)
        await Self.settle()
        #expect(await gate.state == (0, true, 1), "one exclusive request holds the machine alone")
        let shared = Task { await gate.acquire(exclusive: false) }
        await Self.settle()
        #expect(await gate.state == (0, true, 2), "a shared request waits while an exclusive one holds the machine")
        await gate.release(exclusive: true)
        await shared.value
        #expect(await gate.state == (1, false, 1), "the waiting shared request goes before the other exclusive one")
        await gate.release(exclusive: false)
        await Self.settle()
        #expect(await gate.state == (0, true, 0))
        await gate.release(exclusive: true)
        await first.value
        await second.value
        #expect(await gate.state == (0, false, 0))
    }
}
