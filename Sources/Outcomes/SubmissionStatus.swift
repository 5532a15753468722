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

    /// Whether the submission did not build: the compiler refused it or ran out of time or memory.
    public var didNotBuild: Bool { [.compileError, .compileTimeout, .compileMemoryLimit].contains(self) }

    /// The status of a submission whose build ended with `verdict` (a compile verdict, or a grader error).
    public init(buildFailure verdict: Verdict) {
        self = switch verdict {
        case .compileTimeout: .compileTimeout
        case .compileMemoryLimit: .compileMemoryLimit
        case .graderError: .graderError
        default: .compileError
        }
    }

    /// The verdict every case of a submission that never ran gets: the status's own compile verdict, a grader
    /// error, or (no sources) a compile error.
    public var unrunCaseVerdict: Verdict {
        switch self {
        case .compileTimeout: .compileTimeout
        case .compileMemoryLimit: .compileMemoryLimit
        case .graderError: .graderError
        default: .compileError
        }
    }
}
