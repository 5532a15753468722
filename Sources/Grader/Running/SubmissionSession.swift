import Foundation
import SubmissionRuntime

/// Byte and time budgets for running one submission's cases.
public struct RunLimits: Sendable {
    /// The largest reply accepted, in bytes.
    public var replyBytes: Int
    /// The most a case may write to standard output and standard error together, in bytes.
    public var logBytes: Int

    /// Creates limits.
    public init(replyBytes: Int = 64 << 20, logBytes: Int = 1 << 20) {
        self.replyBytes = replyBytes
        self.logBytes = logBytes
    }
}

/// What running one call in the submission produced.
public enum CallOutcome: Sendable {
    /// The submission answered; `log` is what it printed meanwhile.
    case answered(Answer, log: String)
    /// The call failed; the verdict says how and the message says what to fix.
    case failed(Verdict, message: String)
}

/// A compiled submission answering calls, one process kept across calls and restarted after a failure.
final class SubmissionSession {
    private let executable: String
    private let workingDirectory: String
    private let limits: RunLimits
    private var process: ChildProcess?
    private var nextRequestID: UInt64 = 1

    /// The environment a submission sees: nothing of the grader's.
    static let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "SWIFT_BACKTRACE": "enable=no", "HOME": "/nonexistent"]

    init(executable: String, workingDirectory: String, limits: RunLimits) {
        self.executable = executable
        self.workingDirectory = workingDirectory
        self.limits = limits
    }

    deinit { process?.terminate() }

    /// Sends `call`, waits up to `timeout` for the reply, and classifies what happened.
    func perform<Call: Codable & Sendable>(_ call: Call, timeout: Duration) -> CallOutcome {
        let id = nextRequestID
        nextRequestID += 1
        let frame: Data
        do { frame = try WireFormat.frame(Request(id: id, call: call)) } catch {
            return .failed(.protocolError, message: "the grader could not encode the request: \(error)")
        }
        let child: ChildProcess
        do {
            child = try process ?? ChildProcess(executable: executable, arguments: [], environment: Self.environment,
                                                 workingDirectory: workingDirectory)
        } catch {
            return .failed(.runtimeError, message: "\(error)")
        }
        process = child
        var stdout = Data()
        var stderr = Data()
        var parsed: WireFormat.Parse = .incomplete
        let end = child.pump(input: frame, closeInput: false, deadline: .now + timeout, stdout: &stdout, stderr: &stderr,
                             stdoutLimit: limits.replyBytes + WireFormat.maximumHeaderLength, stderrLimit: limits.logBytes) { buffer in
            parsed = WireFormat.parse(buffer, limit: limits.replyBytes)
            if case .incomplete = parsed { return false }
            return true
        }
        switch end {
        case .finished:
            switch parsed {
            case let .message(payload, consumed):
                guard consumed == stdout.count else { return fail(.protocolError, "the submission sent bytes after its reply") }
                guard let reply = try? WireFormat.decoder().decode(Reply.self, from: payload) else {
                    return fail(.protocolError, "the submission's reply could not be decoded")
                }
                guard reply.id == id else { return fail(.protocolError, "the reply answers request \(reply.id), not \(id)") }
                return .answered(reply.answer, log: String(decoding: stderr, as: UTF8.self))
            case let .malformed(reason):
                return fail(.protocolError, "garbled reply: \(reason)")
            case .incomplete:
                return fail(.protocolError, "incomplete reply")
            }
        case .timedOut:
            return fail(.timeLimit, "no answer within \(Self.format(timeout)) (wall clock); look for an infinite loop or a step rule that never stops")
        case let .outputLimit(stream, limit):
            return fail(.outputLimit, "the submission wrote more than \(limit) bytes to \(stream); remove debugging prints from loops")
        case .outputClosed:
            child.drainStandardError(into: &stderr, limit: limits.logBytes, grace: .milliseconds(500))
            let status = child.reap(blocking: true).map(\.description) ?? "stopped"
            var message = "the submission \(status) before answering"
            if let trap = Self.trapMessage(in: String(decoding: stderr, as: UTF8.self)) { message += ": \(trap)" }
            return fail(.runtimeError, message)
        }
    }

    private func fail(_ verdict: Verdict, _ message: String) -> CallOutcome {
        process?.terminate()
        process = nil
        return .failed(verdict, message: message)
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

    static func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds >= 1 ? String(format: "%.1f s", seconds) : String(format: "%.0f ms", seconds * 1000)
    }
}
