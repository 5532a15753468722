import CourseDrivers
import CourseKit
import Foundation
import Testing
@testable import Grader
import TestTiers

/// Every case any student can be given is one the reference solution passes: no hidden case is unfair.
///
/// Derived from the registry: every registered practical with a spec in the course, swept by
/// `FairnessSweep` with `hiddenSeeds` seeds of every hidden family (`grade-bench fair-cases --seeds 200`
/// sweeps two hundred; training is measured by `grade-bench training` instead).
@Suite(.integration) struct FairCasesTests {
    static let hiddenSeeds: UInt64 = 50

    /// The course's assignments whose protocol a registered driver implements.
    static let assignments: [String] = TestSupport.course.assignmentIDs().filter { id in
        (try? PracticalRegistry.course.driver(for: SpecLoader.loadAssignment(at: TestSupport.course.specURL(id)))) != nil
    }

    @Test func everyRegisteredPracticalHasASpecToSweep() {
        let swept = Set(Self.assignments.compactMap { try? SpecLoader.loadAssignment(at: TestSupport.course.specURL($0)).protocolName })
        #expect(swept == Set(PracticalRegistry.course.protocolNames))
    }

    @Test(arguments: assignments) func theReferencePassesEveryCaseForManySeeds(_ assignment: String) throws {
        let opened = try PracticalRegistry.course.open(assignment, in: TestSupport.course, requireRubric: true)
        let outcome = try FairnessSweep.run(opened, course: TestSupport.course, seeds: Self.hiddenSeeds)
        #expect(outcome.judged > 150, "\(assignment): only \(outcome.judged) cases judged")
        #expect(outcome.unfair.isEmpty, "\(assignment): \(outcome.unfair.count) unfair cases of \(outcome.judged), first: \(outcome.unfair.prefix(5))")
    }
}
