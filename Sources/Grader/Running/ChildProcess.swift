import CProcessSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process in its own process group, with pipes on its standard input, output and error.
///
/// Everything the grader runs on a student's behalf (the compiler, the submission) goes through
/// this type: it never inherits the grader's environment or descriptors, and `terminate()` kills the
/// whole group, so a forked grandchild dies with it.
final class ChildProcess {
    /// The process id, which is also its process-group id.
    let pid: pid_t
    private var stdinFD: Int32
    private let stdoutFD: Int32
    private let stderrFD: Int32
    private(set) var exitStatus: ExitStatus?

    /// How a child ended.
    enum ExitStatus: Equatable, CustomStringConvertible {
        /// It called exit with this code.
        case exited(Int32)
        /// A signal ended it.
        case signaled(Int32)

        var description: String {
            switch self {
            case let .exited(code): return "exited with code \(code)"
            case let .signaled(signal): return "was killed by signal \(signal) (\(ChildProcess.signalName(signal)))"
            }
        }
    }

    /// Why a child could not be started.
    struct SpawnError: Error, CustomStringConvertible {
        let executable: String
        let code: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    /// Starts `executable` with `arguments` and exactly `environment`, in `workingDirectory`.
    ///
    /// The child gets only descriptors 0, 1 and 2, plus one read-only descriptor per element of `inputs`:
    /// `inputs[i]` is a memory file holding those bytes on descriptor 3 + i, read from its start (bubblewrap
    /// reads its arguments and its seccomp program this way). Every other descriptor is closed before `exec`.
    init(executable: String, arguments: [String], environment: [String: String], workingDirectory: String,
         inputs: [Data] = []) throws {
        _ = Self.ignoreBrokenPipes
        // The memory files sit above 3 + inputs.count, so moving them onto 3, 4, … never overwrites one another.
        var inputFDs: [Int32] = []
        defer { for fd in inputFDs { close(fd) } }
        for data in inputs {
            let fd = data.withUnsafeBytes { grade_memory_file("grade-input", $0.baseAddress, $0.count, Int32(3 + inputs.count)) }
            guard fd >= 0 else { throw SpawnError(executable: executable, code: errno) }
            inputFDs.append(fd)
        }
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard grade_pipe_cloexec(&inPipe) == 0, grade_pipe_cloexec(&outPipe) == 0, grade_pipe_cloexec(&errPipe) == 0 else {
            let code = errno
            for fd in inPipe + outPipe + errPipe where fd >= 0 { close(fd) }
            throw SpawnError(executable: executable, code: code)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // After the three pipes are in place, so a pipe end numbered 3 or above may be overwritten.
        for (index, fd) in inputFDs.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, Int32(3 + index)) }
        grade_spawn_add_closefrom(&actions, Int32(3 + inputFDs.count))
        grade_spawn_add_chdir(&actions, workingDirectory)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard result == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw SpawnError(executable: executable, code: result)
        }
        pid = child
        stdinFD = inPipe[1]
        stdoutFD = outPipe[0]
        stderrFD = errPipe[0]
        for fd in [stdinFD, stdoutFD, stderrFD] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit {
        terminate()
        for fd in [stdinFD, stdoutFD, stderrFD] where fd >= 0 { close(fd) }
    }

    /// Writing to a child that died must fail with EPIPE, not kill the grader with SIGPIPE.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Kills the whole process group and reaps the child; safe to call more than once.
    func terminate() {
        guard exitStatus == nil else { return }
        killpg(pid, SIGKILL)
        reap(blocking: true)
    }

    /// Collects the child's exit status, without blocking unless `blocking`.
    @discardableResult
    func reap(blocking: Bool) -> ExitStatus? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, blocking ? 0 : WNOHANG) } while result < 0 && errno == EINTR
        guard result == pid else { return nil }
        // The group may hold descendants that outlive the leader: kill them too.
        killpg(pid, SIGKILL)
        let signal = status & 0x7F
        exitStatus = signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
        return exitStatus
    }

    /// The result of one `pump` of the pipes.
    enum PumpEnd: Equatable {
        /// `done` returned true.
        case finished
        /// Standard output reached end of file (the child closed it or died).
        case outputClosed
        /// The deadline passed first.
        case timedOut
        /// Standard output or standard error exceeded its byte cap.
        case outputLimit(stream: String, limit: Int)
        /// The watchdog asked to stop (for example a CPU-time limit).
        case watchdog
    }

    /// How `PumpEnd.outputLimit` names standard output.
    static let standardOutputName = "standard output"

    /// Writes `input` to the child's standard input and reads its output until `done` says so.
    ///
    /// Standard error is kept up to `stderrLimit` bytes in `stderr`, standard output up to
    /// `stdoutLimit` bytes in `stdout`; exceeding either ends the pump with `.outputLimit`.
    func pump(input: Data, closeInput: Bool, deadline: ContinuousClock.Instant, stdout: inout Data, stderr: inout Data,
              stdoutLimit: Int, stderrLimit: Int, watchdog: (() -> Bool)? = nil, done: (inout Data) -> Bool) -> PumpEnd {
        var pending = input
        var stdoutOpen = true
        var stderrOpen = true
        if pending.isEmpty && closeInput { closeStandardInput() }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if done(&stdout) { return .finished }
            if !stdoutOpen { return .outputClosed }
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return .timedOut }
            if let watchdog, watchdog() { return .watchdog }
            var fds = [pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)]
            if stderrOpen { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if !pending.isEmpty && stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            var milliseconds = Int32(clamping: max(1, Int((remaining.inSeconds * 1000).rounded(.up))))
            if watchdog != nil { milliseconds = min(milliseconds, 50) }
            let ready = poll(&fds, nfds_t(fds.count), milliseconds)
            if ready < 0 && errno != EINTR { return .outputClosed }
            for entry in fds where entry.revents != 0 {
                if entry.fd == stdinFD {
                    let written = pending.withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
                    if written > 0 {
                        pending.removeFirst(written)
                        if pending.isEmpty && closeInput { closeStandardInput() }
                    } else if written < 0 && errno != EAGAIN && errno != EINTR {
                        pending.removeAll()
                        closeStandardInput()
                    }
                    continue
                }
                let n = read(entry.fd, &chunk, chunk.count)
                if n > 0 {
                    if entry.fd == stdoutFD {
                        stdout.append(contentsOf: chunk[0..<n])
                        if stdout.count > stdoutLimit { return .outputLimit(stream: Self.standardOutputName, limit: stdoutLimit) }
                    } else {
                        stderr.append(contentsOf: chunk[0..<n])
                        if stderr.count > stderrLimit { return .outputLimit(stream: "standard error", limit: stderrLimit) }
                    }
                } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                    if entry.fd == stdoutFD { stdoutOpen = false } else { stderrOpen = false }
                }
            }
        }
    }

    /// Reads what is left on standard error for up to `grace`, up to `limit` bytes in all.
    func drainStandardError(into stderr: inout Data, limit: Int, grace: Duration) {
        let deadline = ContinuousClock.now + grace
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while stderr.count < limit, ContinuousClock.now < deadline {
            var fds = [pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 1, 50) > 0 else { continue }
            let n = read(stderrFD, &chunk, min(chunk.count, limit - stderr.count))
            if n <= 0 { return }
            stderr.append(contentsOf: chunk[0..<n])
        }
    }

    private func closeStandardInput() {
        if stdinFD >= 0 {
            close(stdinFD)
            stdinFD = -1
        }
    }

    /// The conventional name of a signal, with what it usually means for a Swift program.
    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: return "SIGILL: a Swift runtime trap such as a failed precondition, an index out of range or an overflow"
        case SIGTRAP: return "SIGTRAP: a Swift runtime trap"
        case SIGSEGV: return "SIGSEGV: invalid memory access, often unbounded recursion"
        case SIGBUS: return "SIGBUS: invalid memory access"
        case SIGFPE: return "SIGFPE: arithmetic error such as integer division by zero"
        case SIGABRT: return "SIGABRT: the program aborted"
        case SIGKILL: return "SIGKILL: killed, usually for exceeding a limit"
        case SIGXCPU: return "SIGXCPU: CPU time limit exceeded"
        case SIGXFSZ: return "SIGXFSZ: file size limit exceeded"
        case SIGPIPE: return "SIGPIPE: wrote to a closed pipe"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(signal)"
        }
    }
}
