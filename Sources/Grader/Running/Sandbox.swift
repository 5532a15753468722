import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The isolation layers this machine offers, found by probing at start-up.
public struct SandboxCapabilities: Sendable {
    /// bubblewrap, when it is installed and can create mount, pid, net and ipc namespaces here.
    public var bubblewrap: String?
    /// setpriv, to drop to an unprivileged uid with no capabilities inside the sandbox (needs root).
    public var setpriv: String?
    /// prlimit, to set rlimits on the sandboxed process.
    public var prlimit: String?
    /// The cgroup hierarchy usable for memory, pids and CPU accounting, when writable.
    public var cgroups: CgroupHierarchy?
    /// Whether the grader runs as root (needed to drop to per-slot uids and to create cgroups).
    public var isRoot: Bool
    /// The system-call filter bubblewrap applies, when it could be built and a trial sandbox loaded it.
    public var syscallFilter: SyscallFilter?
    /// Why there is no system-call filter, when bubblewrap is there but the filter is not.
    public var syscallFilterProblem: String?

    /// Whether a submission is cut off from the network.
    public var isolatesNetwork: Bool { bubblewrap != nil }

    /// One line per layer: active or not, and why.
    public var summary: [String] {
        [
            bubblewrap.map { "namespaces: active (bubblewrap \($0): mount, pid, net, ipc, uts)" }
                ?? "namespaces: UNAVAILABLE (bubblewrap missing or not permitted): no filesystem or network isolation",
            setpriv != nil && bubblewrap != nil && isRoot ? "unprivileged uid: active (one uid per slot, no capabilities)"
                : "unprivileged uid: unavailable (needs root, bubblewrap and setpriv)",
            syscallFilterSummary,
            cgroups.map { "cgroups: active (\($0.description): memory, pids, cpu accounting)" } ?? "cgroups: unavailable (no writable memory and pids controllers)",
            prlimit != nil ? "rlimits: active (prlimit)" : "rlimits: unavailable (prlimit missing)",
            "wall-clock limits, process-group kill and output caps: active",
        ]
    }

    /// The summary line of the system-call filter.
    var syscallFilterSummary: String {
        if let filter = syscallFilter {
            return "seccomp: active (libseccomp \(filter.libraryVersion) via bubblewrap: \(filter.denied.count) calls denied, among them namespaces, "
                + "mounts, io_uring, bpf, userfaultfd, perf events, keyrings and ptrace; clone with namespace flags and odd personalities too)"
        }
        if bubblewrap == nil { return "seccomp: unavailable (needs bubblewrap, which loads the filter)" }
        return "seccomp: UNAVAILABLE (\(syscallFilterProblem ?? "unknown reason")): new namespaces, io_uring, bpf and the other filtered calls are open to submissions"
    }

    /// Probes the machine: looks up the tools and runs a trial sandbox, then one with the system-call filter.
    public static func probe() -> SandboxCapabilities {
        let isRoot = geteuid() == 0
        var capabilities = SandboxCapabilities(bubblewrap: nil, setpriv: findTool("setpriv"), prlimit: findTool("prlimit"),
                                               cgroups: isRoot ? CgroupHierarchy.detect() : nil, isRoot: isRoot)
        guard let bwrap = findTool("bwrap") else { return capabilities }
        let options = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session"]
            + SandboxCommand.systemMounts
        guard trial(SandboxCommand.bubblewrap(bwrap, options: options, command: ["/bin/true"], syscallFilter: nil)) == nil else {
            return capabilities
        }
        capabilities.bubblewrap = bwrap
        do {
            let filter = try SyscallFilter.build()
            if let failure = trial(SandboxCommand.bubblewrap(bwrap, options: options, command: ["/bin/true"], syscallFilter: filter.program)) {
                capabilities.syscallFilterProblem = "bubblewrap could not load the filter: \(failure)"
            } else {
                capabilities.syscallFilter = filter
            }
        } catch {
            capabilities.syscallFilterProblem = "\(error)"
        }
        return capabilities
    }

    /// Runs a trial sandbox; nil when it exits 0, else what went wrong.
    private static func trial(_ invocation: SandboxCommand.Invocation) -> String? {
        let process: ChildProcess
        do {
            process = try ChildProcess(executable: invocation.arguments[0], arguments: Array(invocation.arguments.dropFirst()),
                                       environment: [:], workingDirectory: "/", inputs: invocation.inputs)
        } catch {
            return "\(error)"
        }
        var out = Data(), err = Data()
        let end = process.pump(input: Data(), closeInput: true, deadline: .now + .seconds(10), stdout: &out, stderr: &err,
                               stdoutLimit: 4096, stderrLimit: 4096) { _ in false }
        guard end == .outputClosed else {
            process.terminate()
            return "it did not finish within 10 s"
        }
        process.drainStandardError(into: &err, limit: 4096, grace: .milliseconds(200))
        let status = process.reap(blocking: true)
        if status == .exited(0) { return nil }
        let message = String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return message.isEmpty ? "it \(status?.description ?? "did not finish")" : message
    }

    /// The path of `name` in the usual system folders, if executable.
    static func findTool(_ name: String) -> String? {
        ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"].map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A writable cgroup hierarchy: v2 with memory and pids controllers, or v1 memory + pids (+ cpuacct).
public struct CgroupHierarchy: Sendable, CustomStringConvertible {
    /// Which version.
    public enum Version: Sendable { case v1, v2 }
    /// The version found.
    public let version: Version
    /// The mount point.
    public let root: URL

    /// "cgroup v1" or "cgroup v2".
    public var description: String { version == .v1 ? "cgroup v1" : "cgroup v2" }

    /// The usable hierarchy, if any: v2 when it delegates memory and pids, else v1 with both controllers writable.
    static func detect(root: URL = URL(fileURLWithPath: "/sys/fs/cgroup")) -> CgroupHierarchy? {
        let fm = FileManager.default
        if let controllers = try? String(contentsOf: root.appendingPathComponent("cgroup.controllers"), encoding: .utf8) {
            let names = Set(controllers.split(whereSeparator: \.isWhitespace).map(String.init))
            if names.isSuperset(of: ["memory", "pids"]), fm.isWritableFile(atPath: root.path) { return CgroupHierarchy(version: .v2, root: root) }
            return nil
        }
        let needed = ["memory", "pids"].map { root.appendingPathComponent($0) }
        guard needed.allSatisfy({ fm.isWritableFile(atPath: $0.appendingPathComponent("cgroup.procs").path) }) else { return nil }
        return CgroupHierarchy(version: .v1, root: root)
    }
}

extension CgroupHierarchy {
    /// Removes the empty slot cgroups that graders which are no longer running left behind (after a kill -9).
    func removeStaleSlots() {
        let fm = FileManager.default
        let parents = version == .v2 ? [root] : ["memory", "pids", "cpuacct"].map { root.appendingPathComponent($0) }
        for parent in parents {
            for name in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix("grade-") {
                let owner = name.split(separator: "-").dropFirst().first.flatMap { pid_t($0) }
                if let owner, kill(owner, 0) != 0 && errno == ESRCH {
                    rmdir(parent.appendingPathComponent(name).path)
                }
            }
        }
    }
}

/// One cgroup per sandbox slot: limits memory and processes, accounts CPU, and kills whatever is left.
final class SlotCgroup: @unchecked Sendable {
    private let hierarchy: CgroupHierarchy
    /// The slot's folders, one per controller (one folder for v2).
    let folders: [String: URL]

    init?(hierarchy: CgroupHierarchy, name: String) {
        self.hierarchy = hierarchy
        let fm = FileManager.default
        var folders: [String: URL] = [:]
        switch hierarchy.version {
        case .v2:
            folders["unified"] = hierarchy.root.appendingPathComponent(name)
        case .v1:
            for controller in ["memory", "pids", "cpuacct"] {
                let base = hierarchy.root.appendingPathComponent(controller)
                if fm.fileExists(atPath: base.path) { folders[controller] = base.appendingPathComponent(name) }
            }
        }
        for folder in folders.values { try? fm.createDirectory(at: folder, withIntermediateDirectories: true) }
        guard folders.values.allSatisfy({ fm.fileExists(atPath: $0.appendingPathComponent("cgroup.procs").path) }) else { return nil }
        self.folders = folders
    }

    /// The `cgroup.procs` files a process must be written to, to join every controller of the slot.
    var procsFiles: [String] { folders.values.map { $0.appendingPathComponent("cgroup.procs").path }.sorted() }

    /// Sets the memory and process limits.
    func apply(_ limits: ResourceLimits) {
        switch hierarchy.version {
        case .v2:
            write("\(limits.memoryBytes)", "unified", "memory.max")
            write("0", "unified", "memory.swap.max")
            write("\(limits.processes)", "unified", "pids.max")
        case .v1:
            write("\(limits.memoryBytes)", "memory", "memory.limit_in_bytes")
            write("\(limits.memoryBytes)", "memory", "memory.memsw.limit_in_bytes")
            write("\(limits.processes)", "pids", "pids.max")
        }
    }

    /// CPU time used by the slot so far, in seconds, when accounted.
    func cpuSeconds() -> Double? {
        switch hierarchy.version {
        case .v2:
            guard let stat = read("unified", "cpu.stat"),
                  let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("usage_usec") }),
                  let usec = Double(line.split(separator: " ").last ?? "") else { return nil }
            return usec / 1e6
        case .v1:
            return read("cpuacct", "cpuacct.usage").flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.map { $0 / 1e9 }
        }
    }

    /// How many times the kernel's OOM killer acted in this slot.
    func oomKills() -> Int {
        let text = hierarchy.version == .v2 ? read("unified", "memory.events") : read("memory", "memory.oom_control")
        guard let line = text?.split(separator: "\n").first(where: { $0.hasPrefix("oom_kill ") }) else { return 0 }
        return Int(line.split(separator: " ").last ?? "") ?? 0
    }

    /// Whether any thread of the slot is running or waiting for a CPU (state R), as opposed to sleeping or blocked.
    func anyRunnable() -> Bool {
        pids().contains { pid in
            let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            return threads.contains { thread in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { return false }
                return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("R")
            }
        }
    }

    /// The processes in the slot.
    private func pids() -> Set<pid_t> {
        Set(folders.values.flatMap { folder in
            (try? String(contentsOf: folder.appendingPathComponent("cgroup.procs"), encoding: .utf8))?
                .split(separator: "\n").compactMap { pid_t($0) } ?? []
        })
    }

    /// SIGKILLs every process still in the slot, until none is left (or a second has passed).
    func killAll() {
        let deadline = ContinuousClock.now + .seconds(1)
        repeat {
            let pids = pids()
            if pids.isEmpty { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(2000)
        } while ContinuousClock.now < deadline
    }

    /// Kills what is left and removes the slot's folders.
    func remove() {
        killAll()
        for folder in folders.values { rmdir(folder.path) }
    }

    private func write(_ value: String, _ controller: String, _ file: String) {
        guard let folder = folders[controller] else { return }
        try? value.write(to: folder.appendingPathComponent(file), atomically: false, encoding: .utf8)
    }

    private func read(_ controller: String, _ file: String) -> String? {
        guard let folder = folders[controller] else { return nil }
        return try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }
}
