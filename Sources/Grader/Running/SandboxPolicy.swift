/// The resource limits of one sandboxed process, with the course's defaults.
///
/// Defaults are the course policy's (`Rubrics/course.yaml`, `limits:`); a check may override the
/// per-case ones in the assignment spec (`limits:` on the check).
public struct ResourceLimits: Sendable, Hashable {
    /// Wall-clock time per case, in seconds.
    public var wallSeconds: Double = 10
    /// CPU time per case, in seconds (all threads together).
    public var cpuSeconds: Double = 10
    /// Memory of the whole process tree (cgroup), in bytes.
    public var memoryBytes: Int = 1 << 30
    /// Processes and threads of the tree (cgroup pids, and RLIMIT_NPROC for the sandbox uid).
    public var processes: Int = 64
    /// Bytes of standard output plus standard error per case.
    public var outputBytes: Int = 1 << 20
    /// The largest file the process may write (RLIMIT_FSIZE), in bytes.
    public var fileBytes: Int = 16 << 20
    /// Open file descriptors (RLIMIT_NOFILE).
    public var openFiles: Int = 256
    /// Stack size (RLIMIT_STACK), in bytes.
    public var stackBytes: Int = 8 << 20
    /// Address space (RLIMIT_AS), a backstop only: Swift may hang rather than crash under a tight one, so memory is limited by the cgroup.
    public var addressSpaceBytes: Int = 8 << 30
    /// Size of the writable /tmp inside the sandbox, in bytes.
    public var scratchBytes: Int = 64 << 20

    /// The defaults.
    public init() {}

    /// These limits with both times multiplied by `factor` (a training call's, on a machine `factor`
    /// times slower than the course's reference: `MachineBudget`).
    public func stretched(by factor: Double) -> ResourceLimits {
        var limits = self
        limits.wallSeconds *= factor
        limits.cpuSeconds *= factor
        return limits
    }

    /// The defaults for compiling a submission: more time and memory, same isolation.
    public static var compilation: ResourceLimits {
        var limits = ResourceLimits()
        limits.wallSeconds = 120
        limits.cpuSeconds = 240
        limits.memoryBytes = 2 << 30
        limits.outputBytes = 1 << 20
        limits.fileBytes = 256 << 20
        limits.scratchBytes = 512 << 20
        limits.processes = 128
        limits.openFiles = 1024
        return limits
    }
}
