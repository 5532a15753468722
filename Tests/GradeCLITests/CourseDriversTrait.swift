import CourseDrivers
import GradeCLI
import Grader
import StudentCLI
import Testing

/// Runs a test's commands with the course's drivers, as the instructor's `grade` runs them (its `main`
/// sets `Practicals.registry`); without it they would see a student kit's stored cases.
struct CourseDriversTrait: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await Practicals.$registry.withValue(.course) { try await function() }
    }
}

extension Trait where Self == CourseDriversTrait {
    /// The course's drivers for every command the test runs in-process.
    static var courseDrivers: Self { Self() }
}
