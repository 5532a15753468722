/// The outcome of one case, as shown in feedback and stored in the gradebook.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    /// The answer matched the reference.
    case accepted
    /// The answer was well-formed but wrong.
    case wrongAnswer = "wrong-answer"
    /// The submission did not compile, so the case did not run.
    case compileError = "compile-error"
    /// Compilation ran out of time, so the case did not run.
    case compileTimeout = "compile-timeout"
    /// Compilation ran out of memory, so the case did not run.
    case compileMemoryLimit = "compile-memory-limit"
    /// The case ran past its wall-clock limit (typically while waiting: sleeping or blocked).
    case timeLimit = "time-limit"
    /// The case used more CPU time than its limit.
    case cpuLimit = "cpu-limit"
    /// The process tree used more memory than its limit.
    case memoryLimit = "memory-limit"
    /// The submission wrote more than its output cap.
    case outputLimit = "output-limit"
    /// The submission crashed: a trap, a signal or an unexpected exit.
    case runtimeError = "runtime-error"
    /// The submission's reply was garbled, forged, oversized or could not be decoded, or is outside what the
    /// call accepts (a returned model beyond the contract's bounds), so the grader did not evaluate it.
    case protocolError = "protocol-error"
    /// The grader could not run the case through no fault of the submission: a case it could not generate,
    /// data it could not read, a process that failed before any student code ran. Never a grade: a
    /// submission with such a case is not recorded.
    case graderError = "grader-error"

    /// Whether the case earns credit.
    public var isAccepted: Bool { self == .accepted }

    /// Whether the case was stopped by one of its run-time limits (wall time, CPU time, memory, output):
    /// what tables and dashboards count as "hit a limit".
    public var isResourceLimit: Bool {
        switch self {
        case .timeLimit, .cpuLimit, .memoryLimit, .outputLimit: return true
        default: return false
        }
    }

    /// A short label for tables and summaries.
    public var label: String {
        switch self {
        case .accepted: return "accepted"
        case .wrongAnswer: return "wrong answer"
        case .compileError: return "compile error"
        case .compileTimeout: return "compile timeout"
        case .compileMemoryLimit: return "compile memory limit"
        case .cpuLimit: return "CPU time limit"
        case .memoryLimit: return "memory limit"
        case .timeLimit: return "wall time limit"
        case .outputLimit: return "output limit"
        case .runtimeError: return "runtime error"
        case .protocolError: return "protocol error"
        case .graderError: return "grader error"
        }
    }
}
