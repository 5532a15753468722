import Foundation
import Outcomes
import SubmissionRuntime

/// What running one call in the submission produced.
public enum CallOutcome: Sendable {
    /// The submission replied to request `requestID`; `payload` is the reply's undecoded bytes (within the
    /// call's budget), `log` what it printed meanwhile, `cpuSeconds` the CPU time of its process tree during
    /// the call when the sandbox measures it.
    case replied(payload: Data, requestID: UInt64, log: String, cpuSeconds: Double?)
    /// The call failed; the verdict says how and the message says what to fix. `.graderError` when the
    /// process never got as far as running the student's code.
    case failed(Verdict, message: String)
}

/// A compiled submission answering calls in its sandbox slot: one process kept across calls,
/// restarted after any failure.
final class SubmissionSession {
    private let executable: URL
    private let toolkit: Toolkit
    private let launcher: SandboxLauncher
    private let slot: SandboxSlot
    private let data: URL?
    private var process: ChildProcess?
    /// Whether the running process has announced that it started (`WireFormat.readyPayload`).
    private var processIsReady = false
    private var nextRequestID: UInt64 = 1

    /// The environment a submission sees: a fixed minimum, one BLAS thread (slots run side by side), and of
    /// the grader's variables only OpenBLAS's processor settings, which some processors need to compute correctly.
    static let environment: [String: String] = {
        var environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "SWIFT_BACKTRACE": "enable=no", "HOME": "/tmp",
                           "OPENBLAS_NUM_THREADS": "1"]
        let grader = ProcessInfo.processInfo.environment
        for name in passedThrough { environment[name] = grader[name] }
        return environment
    }()

    /// The grader's variables a submission inherits when they are set.
    static let passedThrough = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]

    init(executable: URL, toolkit: Toolkit, launcher: SandboxLauncher, slot: SandboxSlot, data: URL? = nil) {
        self.executable = executable
        self.data = data
        self.toolkit = toolkit
        self.launcher = launcher
        self.slot = slot
    }

    deinit { stop() }

    /// Kills the process and everything it started.
    func stop() {
        process?.terminate()
        process = nil
        processIsReady = false
        slot.cgroup?.killAll()
    }

    /// Sends `call`, waits for the reply within `limits`, and classifies what happened. A reply longer than
    /// `budget` allows is refused as soon as its header announces it, before it is read. While it waits,
    /// `cpuProgress` (when given) is told the CPU seconds the call has used, each time they are measured.
    func perform<Call: Codable & Sendable>(_ call: Call, budget: ReplyBudget, limits: ResourceLimits,
                                           cpuProgress: ((Double) -> Void)? = nil) -> CallOutcome {
        let id = nextRequestID
        nextRequestID += 1
        let frame: Data
        do { frame = try WireFormat.frame(Request(id: id, call: call)) } catch {
            return .failed(.graderError, message: "the grader could not encode the request: \(error)")
        }
        let child: ChildProcess
        do { child = try process ?? launch(limits: limits) } catch {
            return fail(.graderError, "the sandbox could not start the submission: \(error)")
        }
        process = child
        slot.cgroup?.apply(limits)
        let cpuAtStart = slot.cgroup?.cpuSeconds()
        let oomAtStart = slot.cgroup?.oomKills() ?? 0
        let cpuUsed = { () -> Double? in
            guard let start = cpuAtStart, let now = self.slot.cgroup?.cpuSeconds() else { return nil }
            return now - start
        }
        var stdout = Data()
        var stderr = Data()
        var parsed: WireFormat.Parse = .incomplete
        let limit = budget.bytes
        let wall = Duration.milliseconds(Int64(limits.wallSeconds * 1000))
        let end = child.pump(input: frame, closeInput: false, deadline: .now + wall, stdout: &stdout, stderr: &stderr,
                             stdoutLimit: limit + 2 * WireFormat.maximumHeaderLength + WireFormat.readyFrame.count, stderrLimit: limits.outputBytes,
                             watchdog: cpuAtStart == nil ? nil : {
                                 let used = cpuUsed() ?? 0
                                 cpuProgress?(used)
                                 return used > limits.cpuSeconds
                             }) { buffer in
            if !processIsReady {
                switch consumeAnnouncement(&buffer) {
                case nil: return false
                case false?:
                    parsed = .malformed("the submission process did not start with the runtime's announcement")
                    return true
                case true?: break
                }
            }
            parsed = WireFormat.parse(buffer, limit: limit)
            if case .incomplete = parsed { return false }
            return true
        }
        // The announcement may have come in the same read as a reply that ended the pump before it was looked at.
        if !processIsReady { _ = consumeAnnouncement(&stdout) }
        if !processIsReady {
            // No student code has run yet: whatever stopped the process is the grader's fault.
            return startFailure(end, child: child, stderr: &stderr, limits: limits)
        }
        switch end {
        case .finished:
            switch parsed {
            case let .message(payload, consumed):
                guard consumed == stdout.count else { return fail(.protocolError, "the submission sent bytes after its reply") }
                return .replied(payload: payload, requestID: id, log: String(decoding: stderr, as: UTF8.self), cpuSeconds: cpuUsed())
            case let .malformed(reason):
                if let size = WireFormat.announcedLength(stdout), size > limit {
                    return fail(.protocolError, budget.exceeded(by: size))
                }
                return fail(.protocolError, "garbled reply: \(reason)")
            case .incomplete:
                return fail(.protocolError, "incomplete reply")
            }
        case .watchdog:
            return fail(.cpuLimit, "used more than \(Self.seconds(limits.cpuSeconds)) of CPU time; look for an infinite loop or a step rule that never stops")
        case .timedOut:
            // Still computing (runnable), or busy for nearly the whole time: a CPU-bound overrun, not a wait.
            if slot.cgroup?.anyRunnable() == true || (cpuUsed() ?? 0) >= 0.8 * limits.wallSeconds {
                let cpu = cpuUsed() ?? limits.wallSeconds
                return fail(.cpuLimit, "still computing after \(Self.seconds(limits.wallSeconds)) (\(Self.seconds(cpu)) of CPU); look for an infinite loop or a step rule that never stops")
            }
            let cpu = cpuUsed().map { " while using only \(Self.seconds($0)) of CPU" } ?? ""
            return fail(.timeLimit, "no answer within \(Self.seconds(limits.wallSeconds)) of wall-clock time\(cpu); the code seems to be waiting (sleeping, reading input, a lock)")
        case let .outputLimit(stream, limit):
            if stream == ChildProcess.standardOutputName {
                return fail(.protocolError, budget.exceeded(by: max(WireFormat.announcedLength(stdout) ?? 0, stdout.count)))
            }
            return fail(.outputLimit, "the submission wrote more than \(limit) bytes to \(stream); remove debugging prints from loops")
        case .outputClosed:
            child.drainStandardError(into: &stderr, limit: limits.outputBytes, grace: .milliseconds(500))
            let status = launcher.unwrap(child.reap(blocking: true))
            let log = String(decoding: stderr, as: UTF8.self)
            if (slot.cgroup?.oomKills() ?? 0) > oomAtStart || Self.looksOutOfMemory(log) {
                return fail(.memoryLimit, "the submission used more than \(limits.memoryBytes >> 20) MiB of memory and was stopped")
            }
            if status == .signaled(SIGXCPU) {
                return fail(.cpuLimit, "the submission exceeded its CPU time allowance and was stopped")
            }
            var message = "the submission \(status?.description ?? "stopped") before answering"
            if let trap = Self.trapMessage(in: log) { message += ": \(trap)" }
            return fail(.runtimeError, message)
        }
    }

    /// Takes the runtime's announcement off the front of `buffer`: true when it was there (and the process is
    /// now ready), false when something else came first, nil when more bytes are needed.
    private func consumeAnnouncement(_ buffer: inout Data) -> Bool? {
        switch WireFormat.parse(buffer, limit: WireFormat.readyPayload.count) {
        case .incomplete: return nil
        case let .message(payload, consumed) where payload == WireFormat.readyPayload:
            processIsReady = true
            buffer.removeFirst(consumed)
            return true
        case .message, .malformed: return false
        }
    }

    /// Starts the submission's process in the slot.
    private func launch(limits: ResourceLimits) throws -> ChildProcess {
        try launcher.launch(executable: executable.path, arguments: [], environment: environment,
                            readOnly: [executable.deletingLastPathComponent().path, toolkit.root.path] + (data.map { [$0.path] } ?? []), writable: [],
                            workingDirectory: "/tmp", limits: limits, slot: slot)
    }

    /// Starts the process and waits for its announcement: nil when it came, else what went wrong. The
    /// grader's self-test, on a probe program that announces itself and exits.
    func startupProblem(limits: ResourceLimits) -> String? {
        stop()
        let child: ChildProcess
        do { child = try launch(limits: limits) } catch { return "the sandbox could not start it: \(error)" }
        process = child
        var stdout = Data()
        var stderr = Data()
        let end = child.pump(input: Data(), closeInput: false, deadline: .now + .milliseconds(Int64(limits.wallSeconds * 1000)), stdout: &stdout, stderr: &stderr,
                             stdoutLimit: WireFormat.readyFrame.count, stderrLimit: limits.outputBytes) { buffer in
            if case .incomplete = WireFormat.parse(buffer, limit: WireFormat.readyPayload.count) { return false }
            return true
        }
        if end == .finished, case let .message(payload, _) = WireFormat.parse(stdout, limit: WireFormat.readyPayload.count), payload == WireFormat.readyPayload {
            stop()
            return nil
        }
        if case let .failed(_, message) = startFailure(end, child: child, stderr: &stderr, limits: limits) { return message }
        return "it did not start"
    }

    /// The grader error for a process that stopped, stalled or misbehaved before announcing that it started.
    private func startFailure(_ end: ChildProcess.PumpEnd, child: ChildProcess, stderr: inout Data, limits: ResourceLimits) -> CallOutcome {
        let what: String
        switch end {
        case .timedOut, .watchdog: what = "did not start within \(Self.seconds(limits.wallSeconds))"
        case .outputLimit: what = "wrote too much before starting"
        case .finished: what = "did not start with the runtime's announcement"
        case .outputClosed:
            child.drainStandardError(into: &stderr, limit: limits.outputBytes, grace: .milliseconds(500))
            let status = launcher.unwrap(child.reap(blocking: true))
            what = "could not start (\(status?.description ?? "stopped"))"
        }
        let log = Self.lastLines(String(decoding: stderr, as: UTF8.self))
        return fail(.graderError, "the submission's process \(what) before any of its code ran: a fault of the grading machine (loader, toolkit or sandbox), not of the submission" + (log.isEmpty ? "" : ": \(log)"))
    }

    /// The environment of the submission process: the fixed minimum, and the toolkit's library folder for the loader.
    private var environment: [String: String] {
        var environment = Self.environment
        environment["LD_LIBRARY_PATH"] = toolkit.libraryFolder.path
        return environment
    }

    private func fail(_ verdict: Verdict, _ message: String) -> CallOutcome {
        stop()
        return .failed(verdict, message: message)
    }

    /// Whether the log shows an allocation failure (the address-space backstop, or no cgroup).
    static func looksOutOfMemory(_ log: String) -> Bool {
        log.contains("Can't allocate") || log.contains("out of memory") || log.contains("failed to allocate")
    }

    /// The last three non-empty lines of `log`, joined, each at most 300 characters.
    static func lastLines(_ log: String) -> String {
        log.split(separator: "\n", omittingEmptySubsequences: true).suffix(3).map { String($0.prefix(300)) }.joined(separator: " | ")
    }

    /// The lines of `log` that explain a Swift trap, or its last lines when none does.
    static func trapMessage(in log: String) -> String? {
        let lines = log.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let markers = ["Fatal error", "Precondition failed", "Assertion failed", "fatal error", "Illegal instruction"]
        let trapLines = lines.filter { line in markers.contains { line.contains($0) } }
        let chosen = trapLines.isEmpty ? Array(lines.suffix(3)) : Array(trapLines.prefix(3))
        guard !chosen.isEmpty else { return nil }
        return chosen.map { String($0.prefix(300)) }.joined(separator: " | ")
    }

    /// Seconds for messages: "1.0 s", "250 ms".
    static func seconds(_ value: Double) -> String {
        value >= 1 ? String(format: "%.1f s", value) : String(format: "%.0f ms", value * 1000)
    }
}
