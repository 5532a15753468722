#if canImport(Glibc)
import Glibc
#endif

/// The CPU time your process has used since the timer was created: the clock `train` is budgeted in.
///
/// The grader charges `train` for the CPU time of your whole process (every thread), not for the time
/// on the wall, so a budget means the same on a busy grading machine as on your laptop. Watch it with
/// this timer:
///
/// ```swift
/// let timer = CPUTimer()
/// while timer.elapsedSeconds + slowestEpoch < 0.9 * seconds {
///     // one epoch
/// }
/// ```
///
/// With one thread, CPU time never runs ahead of the wall clock; with several, it adds theirs up.
public struct CPUTimer: Sendable {
    private let start: Double

    /// Starts the timer now.
    public init() { start = Self.processSeconds() }

    /// CPU seconds used by the process (all threads) since `init()`.
    public var elapsedSeconds: Double { Self.processSeconds() - start }

    /// CPU seconds used by the process since it started (CLOCK_PROCESS_CPUTIME_ID).
    public static func processSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
