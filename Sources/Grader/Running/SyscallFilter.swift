import CProcessSupport
import CSeccomp
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The system calls a sandboxed process may not make: a seccomp filter built with libseccomp, which
/// bubblewrap loads just before it starts the sandboxed command (`--seccomp`).
///
/// Like Docker's default profile it is a deny-list: every call is allowed except the kernel interfaces
/// neither a submission nor the compiler needs, which would either undo another layer (new namespaces,
/// mounts, tracing other processes) or expose a large part of the kernel to untrusted code (io_uring,
/// BPF, userfaultfd, perf events, keyrings). Denied calls fail with EPERM, except `clone3`, which fails
/// with ENOSYS: its flags live in memory a filter cannot read, and on ENOSYS glibc falls back to
/// `clone`, whose flags the filter checks, so threads and `posix_spawn` keep working.
/// A system call of another ABI (32-bit `int 0x80`, x32) kills the process.
public struct SyscallFilter: Sendable {
    /// The classic BPF program (an array of `struct sock_filter`), in the form bubblewrap's `--seccomp` reads.
    public let program: Data
    /// The calls denied whatever their arguments, by name (those this architecture has).
    public let denied: [String]
    /// The version of libseccomp that built the program.
    public let libraryVersion: String

    /// Calls denied whatever their arguments, grouped by why.
    static let deniedGroups: [(reason: String, calls: [String])] = [
        ("new namespaces, which would give the process root in a user namespace of its own", ["unshare", "setns"]),
        ("mounts and root changes, the old and the new mount API",
         ["mount", "umount2", "pivot_root", "chroot", "fsopen", "fsmount", "fsconfig", "fspick", "move_mount", "open_tree", "mount_setattr"]),
        ("io_uring, which performs I/O outside the filter's sight", ["io_uring_setup", "io_uring_enter", "io_uring_register"]),
        ("kernel interfaces with a long record of exploits", ["bpf", "userfaultfd", "perf_event_open"]),
        ("the kernel keyrings, which are not namespaced", ["keyctl", "add_key", "request_key"]),
        ("reading, writing or comparing other processes",
         ["ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", "process_madvise"]),
        ("administering the machine",
         ["kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff",
          "acct", "syslog", "lookup_dcookie", "quotactl", "quotactl_fd"]),
        ("opening files by handle, which bypasses path lookup", ["open_by_handle_at"]),
    ]

    /// The `clone` flags that create namespaces (CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
    /// CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET): Docker's mask 0x7E020000, one rule per flag.
    static let namespaceCloneFlags: [UInt64] = [0x0002_0000, 0x0200_0000, 0x0400_0000, 0x0800_0000, 0x1000_0000, 0x2000_0000, 0x4000_0000]

    /// The personalities a process may set, as Docker allows: PER_LINUX, PER_LINUX32, UNAME26,
    /// UNAME26 | PER_LINUX32, and 0xffffffff, which only queries. Flags such as ADDR_NO_RANDOMIZE
    /// or READ_IMPLIES_EXEC are refused.
    static let allowedPersonalities: Set<UInt64> = [0, 0x0008, 0x2_0000, 0x2_0008, 0xffff_ffff]

    /// Why the filter could not be built.
    public struct BuildError: Error, CustomStringConvertible {
        /// What failed.
        public let description: String
    }

    /// Builds the filter for the running architecture.
    public static func build() throws -> SyscallFilter {
        guard let context = seccomp_init(SCMP_ACT_ALLOW) else { throw BuildError(description: "seccomp_init failed") }
        defer { seccomp_release(context) }
        // Kill the whole process (not one thread) when the kernel can; API level 3 is Linux 4.14.
        let badArchitecture = seccomp_api_get() >= 3 ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_KILL
        try check(seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, badArchitecture), "setting the action for other ABIs")

        let permissionDenied = grade_scmp_act_errno(UInt16(EPERM))
        var denied: [String] = []
        for (_, calls) in deniedGroups {
            for name in calls {
                // Negative: unknown to this libseccomp, or not a system call on this architecture.
                let number = seccomp_syscall_resolve_name(name)
                guard number >= 0 else { continue }
                try add(context, permissionDenied, number, [], name)
                denied.append(name)
            }
        }

        // clone3: ENOSYS, so that glibc retries with clone.
        let clone3 = seccomp_syscall_resolve_name("clone3")
        if clone3 >= 0 { try add(context, grade_scmp_act_errno(UInt16(ENOSYS)), clone3, [], "clone3") }

        // clone: refused when any namespace flag is set. Its flags are the first argument on x86-64 and arm64.
        #if arch(x86_64) || arch(arm64)
        let clone = seccomp_syscall_resolve_name("clone")
        for flag in namespaceCloneFlags {
            try add(context, permissionDenied, clone, [scmp_arg_cmp(arg: 0, op: SCMP_CMP_MASKED_EQ, datum_a: flag, datum_b: flag)], "clone")
        }
        #endif

        let personality = seccomp_syscall_resolve_name("personality")
        for comparison in personalityDenials() {
            try add(context, permissionDenied, personality, [comparison], "personality")
        }

        let program = try export(context)
        let version = seccomp_version().map { "\($0.pointee.major).\($0.pointee.minor).\($0.pointee.micro)" } ?? "unknown"
        return SyscallFilter(program: program, denied: denied, libraryVersion: version)
    }

    /// Comparisons on `personality`'s argument, any of which refuses the call, that together match exactly
    /// the values outside `allowedPersonalities`.
    ///
    /// A libseccomp rule compares an argument at most once, so "none of these five values" cannot be one
    /// rule. The refused values are: anything above 32 bits; and, within 32 bits, any value with a bit other
    /// than 3 (PER_LINUX32) and 17 (UNAME26) set that is not 0xffffffff. Such a value has, going round the 32
    /// bits, a run of ones containing one of those bits and ending before a zero: the run ends at a bit b
    /// other than 3 and 17 (caught by "bit b set, bit b+1 clear"), or at bit 3 or 17 having started
    /// lower (caught by "bits 2 and 3 set, bit 4 clear", and the same around 17). None of these match an
    /// allowed value: 0, 8, 0x20000 and 0x20008 have no other bit set, and 0xffffffff has no clear bit.
    static func personalityDenials() -> [scmp_arg_cmp] {
        func masked(_ mask: UInt64, equals value: UInt64) -> scmp_arg_cmp {
            scmp_arg_cmp(arg: 0, op: SCMP_CMP_MASKED_EQ, datum_a: mask, datum_b: value)
        }
        var comparisons = [scmp_arg_cmp(arg: 0, op: SCMP_CMP_GT, datum_a: 0xffff_ffff, datum_b: 0)]
        for bit in 0..<32 where bit != 3 && bit != 17 {
            let set: UInt64 = 1 << bit, next: UInt64 = 1 << ((bit + 1) % 32)
            comparisons.append(masked(set | next, equals: set))
        }
        comparisons.append(masked(0b1_1100, equals: 0b0_1100))
        comparisons.append(masked(0x7_0000, equals: 0x3_0000))
        return comparisons
    }

    /// Whether the filter lets `personality(value)` through: the model that `personalityDenials` implements.
    static func allowsPersonality(_ value: UInt64) -> Bool {
        !personalityDenials().contains { comparison in
            switch comparison.op {
            case SCMP_CMP_GT: return value > comparison.datum_a
            case SCMP_CMP_MASKED_EQ: return value & comparison.datum_a == comparison.datum_b
            default: return true
            }
        }
    }

    private static func add(_ context: scmp_filter_ctx, _ action: UInt32, _ number: Int32, _ comparisons: [scmp_arg_cmp], _ name: String) throws {
        let result = comparisons.withUnsafeBufferPointer {
            seccomp_rule_add_array(context, action, number, UInt32($0.count), $0.baseAddress)
        }
        try check(result, "adding the rule for \(name)")
    }

    private static func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else { throw BuildError(description: "libseccomp failed \(what): \(String(cString: strerror(-result)))") }
    }

    /// The BPF program, through a memory file (libseccomp 2.5 exports to a descriptor only).
    private static func export(_ context: scmp_filter_ctx) throws -> Data {
        let fd = grade_memory_file("seccomp", nil, 0, 0)
        guard fd >= 0 else { throw BuildError(description: "no memory file for the program: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try check(seccomp_export_bpf(context, fd), "exporting the program")
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw BuildError(description: "cannot rewind the exported program") }
        var program = Data()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw BuildError(description: "cannot read the exported program") }
            if count == 0 { break }
            program.append(contentsOf: chunk[0..<count])
        }
        guard !program.isEmpty, program.count % 8 == 0 else { throw BuildError(description: "libseccomp exported \(program.count) bytes, not a BPF program") }
        return program
    }
}
