import Yams

/// Limits set in a spec or the course policy, each optional; absent ones keep the value beneath.
///
/// YAML keys and units: `timeout` and `cpu` in seconds (checks only), `memory-mib`, `processes`,
/// `output-kib`, `file-mib`, `open-files`, `stack-mib`, `scratch-mib`; the course policy also takes
/// `compile-timeout` (seconds) and `compile-memory-mib`.
public struct LimitSettings: Sendable, Hashable {
    /// Wall-clock seconds per case.
    public var wallSeconds: Double?
    /// CPU seconds per case.
    public var cpuSeconds: Double?
    /// MiB of memory for the process tree.
    public var memoryMiB: Double?
    /// Processes and threads.
    public var processes: Int?
    /// KiB of output per case.
    public var outputKiB: Double?
    /// MiB per file written.
    public var fileMiB: Double?
    /// Open file descriptors.
    public var openFiles: Int?
    /// MiB of stack.
    public var stackMiB: Double?
    /// MiB of the scratch /tmp.
    public var scratchMiB: Double?
    /// Wall-clock seconds per compilation (course policy only).
    public var compileSeconds: Double?
    /// MiB of memory per compilation (course policy only).
    public var compileMemoryMiB: Double?

    /// No overrides.
    public init() {}

    /// The keys a check's `limits:` accepts.
    static let checkKeys = ["timeout", "cpu", "memory-mib", "processes", "output-kib", "file-mib", "open-files", "stack-mib", "scratch-mib"]
    /// The keys the course policy's `limits:` accepts: time limits per case belong to the assignment specs.
    static let policyKeys = ["memory-mib", "processes", "output-kib", "file-mib", "open-files", "stack-mib", "scratch-mib",
                             "compile-timeout", "compile-memory-mib"]

    /// `base` with these settings applied.
    public func applied(to base: ResourceLimits) -> ResourceLimits {
        var limits = base
        if let wallSeconds {
            limits.wallSeconds = wallSeconds
            limits.cpuSeconds = cpuSeconds ?? wallSeconds
        }
        if let cpuSeconds { limits.cpuSeconds = cpuSeconds }
        if let memoryMiB { limits.memoryBytes = Int(memoryMiB * 1_048_576) }
        if let processes { limits.processes = processes }
        if let outputKiB { limits.outputBytes = Int(outputKiB * 1024) }
        if let fileMiB { limits.fileBytes = Int(fileMiB * 1_048_576) }
        if let openFiles { limits.openFiles = openFiles }
        if let stackMiB { limits.stackBytes = Int(stackMiB * 1_048_576) }
        if let scratchMiB { limits.scratchBytes = Int(scratchMiB * 1_048_576) }
        return limits
    }

    /// The compilation limits `base` with the course policy's compile settings applied.
    public func appliedToCompilation(_ base: ResourceLimits) -> ResourceLimits {
        var limits = base
        if let compileSeconds {
            limits.wallSeconds = compileSeconds
            limits.cpuSeconds = 2 * compileSeconds
        }
        if let compileMemoryMiB { limits.memoryBytes = Int(compileMemoryMiB * 1_048_576) }
        return limits
    }
}

extension SpecNodeReader {
    /// Reads a `limits:` mapping whose keys must be among `allowed`.
    func limitSettings(_ node: Node, allowed: [String]) -> LimitSettings? {
        guard let fields = mapping(node, "limits", allowed: allowed) else { return nil }
        var settings = LimitSettings()
        settings.wallSeconds = fields["timeout"].flatMap { positiveNumber($0, key: "timeout") }
        settings.cpuSeconds = fields["cpu"].flatMap { positiveNumber($0, key: "cpu") }
        settings.memoryMiB = fields["memory-mib"].flatMap { positiveNumber($0, key: "memory-mib") }
        settings.processes = fields["processes"].flatMap { positiveWholeNumber($0, key: "processes") }
        settings.outputKiB = fields["output-kib"].flatMap { positiveNumber($0, key: "output-kib") }
        settings.fileMiB = fields["file-mib"].flatMap { positiveNumber($0, key: "file-mib") }
        settings.openFiles = fields["open-files"].flatMap { positiveWholeNumber($0, key: "open-files") }
        settings.stackMiB = fields["stack-mib"].flatMap { positiveNumber($0, key: "stack-mib") }
        settings.scratchMiB = fields["scratch-mib"].flatMap { positiveNumber($0, key: "scratch-mib") }
        settings.compileSeconds = fields["compile-timeout"].flatMap { positiveNumber($0, key: "compile-timeout") }
        settings.compileMemoryMiB = fields["compile-memory-mib"].flatMap { positiveNumber($0, key: "compile-memory-mib") }
        return settings
    }
}
