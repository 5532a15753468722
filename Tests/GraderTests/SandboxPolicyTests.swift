import Foundation
import Testing
@testable import Grader

#if canImport(Glibc)
import Glibc
import TestTiers
#endif

/// The sandbox's system-call filter, and what a sandboxed process can see of how it was started.
@Suite(.serialized, .integration) struct SandboxPolicyTests {
    static let capabilities = SandboxCapabilities.probe()

    /// What a sandboxed shell script printed, and how it ended.
    struct Run {
        var status: ChildProcess.ExitStatus?
        var output: String
        var errors: String
    }

    /// Runs `script` with /bin/sh in a sandbox slot, seeing `readOnly` and `writable` besides the system.
    static func sandboxed(_ script: String, readOnly: [String], writable: [String]) throws -> Run {
        let launcher = SandboxLauncher(capabilities: capabilities, slots: 1)
        return try launcher.withSlot { slot in
            let process = try launcher.launch(executable: "/bin/sh", arguments: ["-c", script], environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"],
                                              readOnly: readOnly, writable: writable, workingDirectory: "/tmp", limits: ResourceLimits(), slot: slot)
            var output = Data(), errors = Data()
            _ = process.pump(input: Data(), closeInput: true, deadline: .now + .seconds(30), stdout: &output, stderr: &errors,
                             stdoutLimit: 1 << 20, stderrLimit: 1 << 20) { _ in false }
            process.drainStandardError(into: &errors, limit: 1 << 20, grace: .milliseconds(500))
            let status = launcher.unwrap(process.reap(blocking: true))
            return Run(status: status, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self))
        }
    }

    /// The lines of `output` that start with `key=`, without it.
    static func value(_ key: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("\(key)=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    @Test func theFilterBuildsAndCoversTheDangerousCalls() throws {
        let filter = try SyscallFilter.build()
        #expect(!filter.program.isEmpty && filter.program.count % 8 == 0)
        let required = ["unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsmount", "fsconfig", "fspick",
                        "move_mount", "open_tree", "mount_setattr", "io_uring_setup", "io_uring_enter", "io_uring_register", "bpf",
                        "keyctl", "add_key", "request_key", "userfaultfd", "perf_event_open", "ptrace", "process_vm_readv",
                        "process_vm_writev", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
                        "swapon", "swapoff", "acct", "open_by_handle_at", "syslog", "lookup_dcookie", "quotactl"]
        let missing = required.filter { !filter.denied.contains($0) }
        #expect(missing.isEmpty, "not denied: \(missing)")
        // Threads, processes and ordinary I/O stay allowed.
        for allowed in ["clone", "clone3", "fork", "vfork", "execve", "read", "write", "mmap", "futex", "personality"] {
            #expect(!filter.denied.contains(allowed), "\(allowed)")
        }
    }

    @Test func personalitiesAreAllowedExactlyAsDockerAllowsThem() {
        for value in SyscallFilter.allowedPersonalities { #expect(SyscallFilter.allowsPersonality(value), "\(String(value, radix: 16))") }
        var refused: [UInt64] = [0x0040000 /* ADDR_NO_RANDOMIZE */, 0x0400000 /* READ_IMPLIES_EXEC */, 0x100000 /* MMAP_PAGE_ZERO */,
                                 0xffff_fffe, 0x1_0000_0000, 0x1_ffff_ffff, .max, 0x2_0009, 0x3_0000, 0xc, 0x7fff_ffff]
        for bit in 0..<64 where bit != 3 && bit != 17 { refused.append(1 << bit) }
        for a in 0..<32 { for b in 0..<32 where a != b { refused.append(UInt64(1) << a | UInt64(1) << b) } }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 { refused.append(UInt64.random(in: 0...0xffff_ffff, using: &generator)) }
        for value in refused where !SyscallFilter.allowedPersonalities.contains(value) {
            #expect(!SyscallFilter.allowsPersonality(value), "\(String(value, radix: 16)) is let through")
        }
    }

    @Test(.enabled(if: capabilities.bubblewrap != nil)) func theProbeLoadsTheFilterAndReportsIt() throws {
        let filter = try #require(Self.capabilities.syscallFilter, "\(Self.capabilities.syscallFilterProblem ?? "")")
        #expect(Self.capabilities.summary.contains { $0.hasPrefix("seccomp: active (libseccomp \(filter.libraryVersion)") })
        var without = Self.capabilities
        without.syscallFilter = nil
        without.syscallFilterProblem = "kernel without seccomp"
        #expect(without.summary.contains("seccomp: UNAVAILABLE (kernel without seccomp): new namespaces, io_uring, bpf and the other filtered calls are open to submissions"))
    }

    @Test(.enabled(if: capabilities.bubblewrap != nil)) func insideTheSandboxNamespacesMountsAndPersonalityFlagsAreRefused() throws {
        #expect(Self.capabilities.syscallFilter != nil, "\(Self.capabilities.syscallFilterProblem ?? "")")
        let course = TestSupport.temporaryFolder("sandbox-policy-course")
        let scratch = course.appendingPathComponent("scratch")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let script = """
            unshare -U true 2>/dev/null; echo "unshare-user=$?"
            unshare -Urm sh -c 'mount -t tmpfs none /tmp' 2>/dev/null; echo "unshare-mount=$?"
            setarch x86_64 -R true 2>/dev/null; echo "no-randomize=$?"
            setarch linux32 true; echo "linux32=$?"
            setarch x86_64 --uname-2.6 true; echo "uname26=$?"
            echo "cmdline=$(tr '\\0' ' ' < /proc/1/cmdline)"
            echo "descriptors:"; ls -1 /proc/$$/fd; echo "end"
            cat /run/sandbox/command > /dev/null 2>&1; echo "script-readable=$?"
            echo "uid=$(id -u)"
            """
        let run = try Self.sandboxed(script, readOnly: [course.path], writable: [scratch.path])
        #expect(run.status == .exited(0), "\(run.errors)")
        let output = run.output
        #expect(Self.value("unshare-user", in: output) == "1", "\(output)")
        #expect(Self.value("unshare-mount", in: output) == "1", "\(output)")
        #expect(Self.value("no-randomize", in: output) == "1", "\(output)")
        #expect(Self.value("linux32", in: output) == "0", "\(output) \(run.errors)")
        #expect(Self.value("uname26", in: output) == "0", "\(output) \(run.errors)")
        // bubblewrap's command line (pid 1) names no folder of the course and no bind.
        let cmdline = try #require(Self.value("cmdline", in: output))
        #expect(cmdline.contains("--args 3"), "\(cmdline)")
        for leak in [course.path, "--bind", "--ro-bind", "setpriv", "/tmp"] { #expect(!cmdline.contains(leak), "\(leak) in \(cmdline)") }
        // The descriptors bubblewrap read were closed: the shell has only its standard three (listed by ls
        // without any redirection, which would make the shell save a descriptor of its own).
        let lines = output.split(separator: "\n").map(String.init)
        let listed = lines.drop { $0 != "descriptors:" }.dropFirst().prefix { $0 != "end" }
        #expect(Array(listed) == ["0", "1", "2"], "\(output)")
        if Self.capabilities.isRoot && Self.capabilities.setpriv != nil {
            #expect(Self.value("script-readable", in: output) != "0", "\(output)")
            #expect(Self.value("uid", in: output) != "0", "\(output)")
        }
    }

    #if arch(x86_64)
    @Test(.enabled(if: capabilities.bubblewrap != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func rawSystemCallsAreFilteredAndThreadsStillStart() throws {
        #expect(Self.capabilities.syscallFilter != nil, "\(Self.capabilities.syscallFilterProblem ?? "")")
        // x86-64 numbers: clone 56, clone3 435, io_uring_setup 425, keyctl 250, userfaultfd 323, perf_event_open 298.
        let program = """
            import ctypes, os, threading
            libc = ctypes.CDLL(None, use_errno=True)
            libc.syscall.restype = ctypes.c_long
            def call(*args):
                ctypes.set_errno(0)
                result = libc.syscall(*[ctypes.c_long(a) for a in args])
                return result, ctypes.get_errno()
            result, error = call(56, 0x10000000 | 17, 0, 0, 0, 0)
            if result == 0:
                os._exit(0)
            print("clone-newuser=%d %d" % (result, error))
            print("clone3=%d %d" % call(435, 0, 0))
            params = ctypes.create_string_buffer(120)
            print("io_uring_setup=%d %d" % call(425, 4, ctypes.addressof(params)))
            print("keyctl=%d %d" % call(250, 0, -3, 1))
            print("userfaultfd=%d %d" % call(323, 0o2000000 | 1))
            ran = []
            thread = threading.Thread(target=lambda: ran.append(1))
            thread.start(); thread.join()
            print("thread=%d" % len(ran))
            pid = os.fork()
            if pid == 0:
                os._exit(7)
            print("fork=%d" % os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
            """
        let quoted = "exec /usr/bin/python3 -c " + SandboxCommand.shellQuoted(program)
        let result = try Self.sandboxed(quoted, readOnly: [], writable: [])
        #expect(result.status == .exited(0), "\(result.errors)")
        let output = result.output
        #expect(Self.value("clone-newuser", in: output) == "-1 \(EPERM)", "\(output)")
        #expect(Self.value("clone3", in: output) == "-1 \(ENOSYS)", "\(output)")
        #expect(Self.value("io_uring_setup", in: output) == "-1 \(EPERM)", "\(output)")
        #expect(Self.value("keyctl", in: output) == "-1 \(EPERM)", "\(output)")
        #expect(Self.value("userfaultfd", in: output) == "-1 \(EPERM)", "\(output)")
        #expect(Self.value("thread", in: output) == "1", "\(output)")
        #expect(Self.value("fork", in: output) == "7", "\(output)")
    }
    #endif
}
