import Foundation
import Testing
@testable import Grader

/// Hidden cases: derived from the instructor secret and the student, reproducible, never from a student-visible source.
@Suite struct HiddenCaseTests {
    @Test func seedsAreReproducibleAndDifferPerStudentCheckAndIndex() throws {
        let secret = TestSupport.secret
        let seed = secret.hiddenSeed(assignment: "practical1", check: "gd-trajectory", student: "alice", index: 0)
        #expect(seed == secret.hiddenSeed(assignment: "practical1", check: "gd-trajectory", student: "alice", index: 0))
        let others = [
            secret.hiddenSeed(assignment: "practical1", check: "gd-trajectory", student: "bastien", index: 0),
            secret.hiddenSeed(assignment: "practical1", check: "newton-trajectory", student: "alice", index: 0),
            secret.hiddenSeed(assignment: "practical1", check: "gd-trajectory", student: "alice", index: 1),
            secret.hiddenSeed(assignment: "practical2", check: "gd-trajectory", student: "alice", index: 0),
            try InstructorSecret(hex: String(repeating: "ab", count: 32)).hiddenSeed(assignment: "practical1", check: "gd-trajectory", student: "alice", index: 0),
        ]
        #expect(Set(others + [seed]).count == 6)
    }

    @Test func theSecretFileIsCreatedPrivateAndReused() throws {
        let url = TestSupport.temporaryFolder().appendingPathComponent(".grade/instructor-secret")
        let first = try InstructorSecret.loadOrCreate(at: url)
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try InstructorSecret.loadOrCreate(at: url)
        #expect(first.fingerprint == second.fingerprint)
        #expect(first.hiddenSeed(assignment: "a", check: "b", student: "c", index: 0) == second.hiddenSeed(assignment: "a", check: "b", student: "c", index: 0))
        try Data("not hex at all".utf8).write(to: url)
        #expect(throws: InstructorSecret.SecretError.self) { try InstructorSecret.loadOrCreate(at: url) }
    }

    @Test func studentsGetDifferentHiddenCasesAndTheSamePublicOnes() throws {
        let grader = try TestSupport.practical1Grader()
        let check = try #require(grader.spec.check(id: "newton-trajectory"))
        let alice = grader.plannedCases(check, studentID: "alice")
        let bastien = grader.plannedCases(check, studentID: "bastien")
        #expect(alice.count == check.publicCases.count + (check.hidden?.count ?? 0))
        #expect(zip(alice, bastien).filter { !$0.0.isHidden }.allSatisfy { $0.0.seed == $0.1.seed })
        #expect(zip(alice, bastien).filter { $0.0.isHidden }.allSatisfy { $0.0.seed != $0.1.seed })
        // Without the secret (a student's --local run) only public cases exist.
        let local = try TestSupport.practical1Grader(secret: nil).plannedCases(check, studentID: "alice")
        #expect(local.allSatisfy { !$0.isHidden })
        #expect(local.count == check.publicCases.count)
    }

    @Test func theSecretNeverReachesTheSubmissionsEnvironment() {
        let allowed: Set<String> = ["PATH", "LANG", "SWIFT_BACKTRACE", "HOME", "OPENBLAS_NUM_THREADS"]
        #expect(Set(SubmissionSession.environment.keys).subtracting(allowed).isSubset(of: Set(SubmissionSession.passedThrough)))
        #expect(!SubmissionSession.environment.values.contains { $0.contains(TestSupport.repositoryRoot.path) })
    }
}
