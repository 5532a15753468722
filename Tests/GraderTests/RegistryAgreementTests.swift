import CourseDrivers
import Testing
@testable import Grader

/// The two lists of practicals agree: the rules every practical is known by (`CourseRules.all`, which a
/// student's kit replays) and the course's drivers (`PracticalRegistry.course`, which grades), in the same
/// order, each driver built on the rules listed at its place.
@Suite struct RegistryAgreementTests {
    @Test func everyPracticalHasItsRulesAndItsDriverInTheSameOrder() {
        let rules = CourseRules.all.map { $0.protocolName }
        #expect(PracticalRegistry.course.protocolNames == rules)
        #expect(PracticalRegistry.replaying.protocolNames == rules)
        #expect(Set(rules).count == rules.count, "each protocol is listed once")
    }

    @Test func theCheckKindsASpecMayNameAreTheDriversOwn() {
        #expect(PracticalRegistry.course.checkKinds == CourseRules.checkKinds)
    }
}
