/// What became of a submission as a whole.
public enum SubmissionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// It built and every case ran (whatever their verdicts).
    case graded
    /// It did not compile.
    case compileError = "compile-error"
    /// Compilation ran out of time.
    case compileTimeout = "compile-timeout"
    /// Compilation ran out of memory.
    case compileMemoryLimit = "compile-memory-limit"
    /// There was nothing to grade: no Swift files, or files that cannot be read.
    case noSources = "no-sources"
    /// The grader failed (see the cases with `Verdict.graderError`): no grade, nothing recorded.
    case graderError = "grader-error"

    /// Whether the status is a result for the student, to be recorded; false for the grader's own failures.
    public var isGrade: Bool { self != .graderError }
}
