import Foundation
import Logging

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

/// Starts processes inside the layered sandbox, in slots handed out one submission at a time.
///
/// The layers, each used when the probe found it: bubblewrap namespaces (mount, pid, net, ipc, uts)
/// with the system and toolchain folders read-only, only the given folders visible and a
/// size-capped tmpfs as /tmp; an unprivileged uid per slot without capabilities (setpriv);
/// a cgroup per slot for memory, processes and CPU accounting; rlimits (prlimit); and, always,
/// a process group killed as a whole, wall-clock deadlines and output caps.
public final class SandboxLauncher: @unchecked Sendable {
    /// What the machine offers.
    public let capabilities: SandboxCapabilities
    /// Folders every sandboxed process sees read-only, besides /usr: the Swift toolchain's root.
    let sharedReadOnly: [String]
    private var freeSlots: [SandboxSlot]
    private let condition = NSCondition()

    /// The uids slots run as: 61000 to 76999, a block of `slotsPerBlock` per grader process chosen by its pid,
    /// so two graders running at once rarely share a uid (and are in separate pid namespaces when they do).
    public static let uidRange: Range<uid_t> = 61_000..<77_000
    /// The most slots one grader uses.
    static let slotsPerBlock = 16
    /// The first uid of this process's slots; slot i runs as `firstUID + i`.
    static let firstUID: uid_t = uidRange.lowerBound + uid_t(Int(getpid()) % (Int(uidRange.count) / slotsPerBlock) * slotsPerBlock)

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
            SandboxSlot(index: index, uid: Self.firstUID + uid_t(index),
                        cgroup: capabilities.cgroups.flatMap { SlotCgroup(hierarchy: $0, name: "\(run)-\(index)") })
        }
    }

    deinit {
        for slot in freeSlots { slot.cgroup?.remove() }
    }

    /// Runs `body` with a free slot, waiting for one if all are busy.
    func withSlot<T>(_ body: (SandboxSlot) throws -> T) rethrows -> T {
        condition.lock()
        while freeSlots.isEmpty { condition.wait() }
        let slot = freeSlots.removeLast()
        condition.unlock()
        defer {
            slot.cgroup?.killAll()
            condition.lock()
            freeSlots.append(slot)
            condition.signal()
            condition.unlock()
        }
        return try body(slot)
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
        if let bwrap = capabilities.bubblewrap {
            var sandbox = [bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                           "--hostname", "sandbox", "--die-with-parent", "--new-session"]
            if !capabilities.isRoot { sandbox.insert("--unshare-user", at: 1) }
            sandbox += SandboxCommand.systemMounts
            // The scratch tmpfs comes first, so folders bound below /tmp are mounted on top of it, not hidden by it.
            sandbox += ["--perms", "01777", "--size", "\(limits.scratchBytes)", "--tmpfs", "/tmp"]
            sandbox += SandboxCommand.traversableParents(of: sharedReadOnly + readOnly + writable)
            for path in sharedReadOnly + readOnly { sandbox += ["--ro-bind", path, path] }
            for path in writable { sandbox += ["--bind", path, path] }
            sandbox += ["--chdir", workingDirectory, "--"]
            command = sandbox + command
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
                                workingDirectory: directory)
    }
}

/// Pieces of the bubblewrap command line shared by the probe and the launcher.
enum SandboxCommand {
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
