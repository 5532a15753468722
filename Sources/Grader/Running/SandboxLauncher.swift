import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A place in the sandbox: its own unprivileged uid and cgroup. One submission at a time uses a slot.
final class SandboxSlot: @unchecked Sendable {
    /// The slot's number, 0-based.
    let index: Int
    /// The uid processes of this slot run as (when uids can be dropped).
    let uid: uid_t
    /// The slot's cgroup, when cgroups are available.
    let cgroup: SlotCgroup?

    init(index: Int, uid: uid_t, cgroup: SlotCgroup?) {
        self.index = index
        self.uid = uid
        self.cgroup = cgroup
    }
}

/// The uids of this process's block (`SandboxLauncher.ownUIDs`) not running a submission now, handed out
/// one per running slot whichever launcher the slot belongs to; the lowest free uid first.
final class SlotUIDs: @unchecked Sendable {
    static let shared = SlotUIDs()
    private var free = Array(SandboxLauncher.ownUIDs.reversed())
    private let condition = NSCondition()

    /// A free uid, waiting for one if every uid of the block is running a submission.
    func take() -> uid_t {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty { condition.wait() }
        return free.removeLast()
    }

    func give(back uid: uid_t) {
        condition.lock()
        free.append(uid)
        free.sort(by: >)
        condition.signal()
        condition.unlock()
    }
}

/// Starts processes inside the layered sandbox, in slots handed out one submission at a time.
///
/// The layers, each used when the probe found it: bubblewrap namespaces (mount, pid, net, ipc, uts)
/// with the system and toolchain folders read-only, only the given folders visible and a
/// size-capped tmpfs as /tmp; a seccomp filter denying namespaces, mounts, io_uring and other kernel
/// interfaces (`SyscallFilter`, loaded by bubblewrap); an unprivileged uid per slot without capabilities (setpriv);
/// a cgroup per slot for memory, processes and CPU accounting; rlimits (prlimit); and, always,
/// a process group killed as a whole, wall-clock deadlines and output caps.
public final class SandboxLauncher: @unchecked Sendable {
    /// What the machine offers.
    public let capabilities: SandboxCapabilities
    /// Folders every sandboxed process sees read-only, besides /usr: the Swift toolchain's root.
    let sharedReadOnly: [String]
    private var freeSlots: [(index: Int, cgroup: SlotCgroup?)]
    private let condition = NSCondition()

    /// The uids slots run as: 61000 to 76999, a block of `slotsPerBlock` per grader process chosen by its pid,
    /// so two graders running at once rarely share a uid (and are in separate pid namespaces when they do).
    public static let uidRange: Range<uid_t> = 61_000..<77_000
    /// The most slots one grader uses.
    static let slotsPerBlock = 16
    /// The first uid of this process's block.
    static let firstUID: uid_t = uidRange.lowerBound + uid_t(Int(getpid()) % (Int(uidRange.count) / slotsPerBlock) * slotsPerBlock)
    /// The uids this process's slots may run as (another grader on the machine uses another block).
    public static var ownUIDs: Range<uid_t> { firstUID..<firstUID + uid_t(slotsPerBlock) }

    /// A launcher with `slots` slots. The Swift toolchain's installation (for example /opt/swift)
    /// is made visible read-only when it lies outside /usr.
    public init(capabilities: SandboxCapabilities, slots: Int) {
        self.capabilities = capabilities
        var roots: [String] = []
        if let toolchain = SubmissionBuilder.findCompiler() {
            let resolved = URL(fileURLWithPath: toolchain).resolvingSymlinksInPath().path
            if let range = resolved.range(of: "/usr/bin/"), !resolved.hasPrefix("/usr/") {
                roots.append(String(resolved[..<range.lowerBound]))
            }
        }
        sharedReadOnly = roots
        let run = "grade-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        capabilities.cgroups?.removeStaleSlots()
        freeSlots = (0..<min(max(1, slots), Self.slotsPerBlock)).reversed().map { index in
            (index, capabilities.cgroups.flatMap { SlotCgroup(hierarchy: $0, name: "\(run)-\(index)") })
        }
    }

    deinit {
        for slot in freeSlots { slot.cgroup?.remove() }
    }

    /// Runs `body` with a free slot, waiting for one if all are busy. The slot's uid comes from this process's
    /// block, shared by every launcher of the process, so two launchers running at once (a grading run and a
    /// self-check in one process) never run two submissions as one uid, whose process limit they would share.
    func withSlot<T>(_ body: (SandboxSlot) throws -> T) rethrows -> T {
        condition.lock()
        while freeSlots.isEmpty { condition.wait() }
        let (index, cgroup) = freeSlots.removeLast()
        condition.unlock()
        let uid = SlotUIDs.shared.take()
        defer {
            cgroup?.killAll()
            SlotUIDs.shared.give(back: uid)
            condition.lock()
            freeSlots.append((index, cgroup))
            condition.signal()
            condition.unlock()
        }
        return try body(SandboxSlot(index: index, uid: uid, cgroup: cgroup))
    }

    /// The child's own status: bubblewrap reports a child killed by signal s as exit code 128 + s.
    func unwrap(_ status: ChildProcess.ExitStatus?) -> ChildProcess.ExitStatus? {
        if capabilities.bubblewrap != nil, case let .exited(code)? = status, code > 128, code <= 128 + 64 {
            return .signaled(code - 128)
        }
        return status
    }

    /// Whether processes drop to the slot's uid.
    var dropsPrivileges: Bool { capabilities.bubblewrap != nil && capabilities.setpriv != nil && capabilities.isRoot }

    /// Starts `executable` in `slot` under `limits`, seeing `readOnly` and `writable` folders (absolute paths) besides the system.
    func launch(executable: String, arguments: [String], environment: [String: String], readOnly: [String], writable: [String],
                workingDirectory: String, limits: ResourceLimits, slot: SandboxSlot) throws -> ChildProcess {
        slot.cgroup?.apply(limits)
        var command = [executable] + arguments
        if dropsPrivileges, let setpriv = capabilities.setpriv {
            command = [setpriv, "--reuid=\(slot.uid)", "--regid=\(slot.uid)", "--clear-groups", "--inh-caps=-all",
                       "--bounding-set=-all", "--no-new-privs", "--"] + command
        }
        var directory = workingDirectory
        var inputs: [Data] = []
        if let bwrap = capabilities.bubblewrap {
            var options = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                           "--hostname", "sandbox", "--die-with-parent", "--new-session"]
            if !capabilities.isRoot { options.insert("--unshare-user", at: 0) }
            options += SandboxCommand.systemMounts
            // The scratch tmpfs comes first, so folders bound below /tmp are mounted on top of it, not hidden by it.
            options += ["--perms", "01777", "--size", "\(limits.scratchBytes)", "--tmpfs", "/tmp"]
            options += SandboxCommand.traversableParents(of: sharedReadOnly + readOnly + writable)
            for path in sharedReadOnly + readOnly { options += ["--ro-bind", path, path] }
            for path in writable { options += ["--bind", path, path] }
            options += ["--chdir", workingDirectory]
            let invocation = SandboxCommand.bubblewrap(bwrap, options: options, command: command, syscallFilter: capabilities.syscallFilter?.program)
            command = invocation.arguments
            inputs = invocation.inputs
            directory = "/"
        }
        if let prlimit = capabilities.prlimit {
            let cpuBackstop = Int(max(60, limits.cpuSeconds * 30).rounded(.up))
            command = [prlimit, "--cpu=\(cpuBackstop)", "--as=\(limits.addressSpaceBytes)", "--fsize=\(limits.fileBytes)",
                       "--nofile=\(limits.openFiles)", "--core=0", "--stack=\(limits.stackBytes)",
                       "--nproc=\(dropsPrivileges ? limits.processes : 100_000)", "--"] + command
        }
        if let cgroup = slot.cgroup {
            // Join the slot's cgroups before anything else runs, so no fork can escape them.
            let joins = cgroup.procsFiles.map { "echo $$ > '\($0)' || exit 125" }.joined(separator: "; ")
            command = ["/bin/sh", "-c", "\(joins); exec \"$@\"", "sandbox"] + command
        }
        return try ChildProcess(executable: command[0], arguments: Array(command.dropFirst()), environment: environment,
                                workingDirectory: directory, inputs: inputs)
    }
}

/// Pieces of the bubblewrap command line shared by the probe and the launcher.
enum SandboxCommand {
    /// A bubblewrap command line and the bytes its child must read on descriptors 3, 4, ….
    struct Invocation {
        /// bubblewrap and its few visible arguments.
        var arguments: [String]
        /// What the child reads on descriptor 3 + i (see `ChildProcess`).
        var inputs: [Data]
    }

    /// Where the sandboxed command's script is inside the sandbox: readable by its owner only (root when the
    /// grader is root), so not by the unprivileged uid the script switches to.
    static let commandScript = "/run/sandbox/command"

    /// bubblewrap running `command` with `options` (and the seccomp `syscallFilter` when given), with no path of
    /// the course on its command line: bubblewrap's pid 1 in the sandbox keeps that command line, which
    /// the sandboxed process can read in /proc/1/cmdline.
    ///
    /// `options` travel NUL-separated on descriptor 3 (`--args 3`). bubblewrap takes its command only from
    /// its real arguments, so the command is a shell script instead, copied by bubblewrap from
    /// descriptor 4 to a read-only, root-only file (`--ro-bind-data 4`), which `/bin/sh` runs with `exec`;
    /// the filter is on descriptor 5 (`--seccomp 5`). bubblewrap reads each descriptor and closes it
    /// before it starts the command: none reaches the sandboxed process.
    static func bubblewrap(_ bwrap: String, options: [String], command: [String], syscallFilter: Data?) -> Invocation {
        // Last, after the binds, so that a bound folder below /run keeps the 0755 parents made for it.
        var hidden = options + ["--perms", "0400", "--ro-bind-data", "4", commandScript]
        var inputs = [Data(), Data("exec \(command.map(shellQuoted).joined(separator: " "))\n".utf8)]
        if let syscallFilter {
            hidden += ["--seccomp", "5"]
            inputs.append(syscallFilter)
        }
        inputs[0] = Data(hidden.map { $0 + "\0" }.joined().utf8)
        return Invocation(arguments: [bwrap, "--args", "3", "--", "/bin/sh", commandScript], inputs: inputs)
    }

    /// `word` quoted for the shell: in single quotes, each single quote written as '\''.
    static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `--dir` arguments creating every ancestor of `paths` with mode 0755 (bubblewrap would make them 0700,
    /// which the unprivileged uid could not traverse). Ancestors are empty: only the mounted folders have content.
    static func traversableParents(of paths: [String]) -> [String] {
        var created: Set<String> = ["/", "/tmp"]
        var arguments: [String] = []
        for path in paths {
            var ancestor = URL(fileURLWithPath: path).deletingLastPathComponent()
            var chain: [String] = []
            while !created.contains(ancestor.path) && ancestor.path != "/" && !ancestor.path.hasPrefix("/usr") {
                chain.append(ancestor.path)
                ancestor = ancestor.deletingLastPathComponent()
            }
            for folder in chain.reversed() where created.insert(folder).inserted {
                arguments += ["--perms", "0755", "--dir", folder]
            }
        }
        return arguments
    }

    /// /usr read-only, /lib, /lib64, /bin and /sbin as the host has them (symlinks into /usr on merged-/usr
    /// systems, read-only folders otherwise), the loader cache, Debian's alternatives symlinks, and fresh /proc
    /// and /dev. Nothing else of /etc,
    /// nothing of /root, /home or the course.
    static let systemMounts: [String] = {
        var mounts = ["--ro-bind", "/usr", "/usr"]
        for path in ["/lib", "/lib64", "/bin", "/sbin"] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                mounts += ["--symlink", target, path]
            } else {
                mounts += ["--ro-bind-try", path, path]
            }
        }
        // The loader's cache only lists library folders; toolchains installed outside /usr register theirs there.
        // Debian's alternatives are symlinks that libraries such as OpenBLAS are reached through.
        return mounts + ["--perms", "0755", "--dir", "/etc", "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
                         "--ro-bind-try", "/etc/alternatives", "/etc/alternatives", "--proc", "/proc", "--dev", "/dev"]
    }()
}
