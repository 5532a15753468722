import CourseKit
import Foundation

/// glibc's syscall(2), which Swift does not import because it is variadic, called with the C convention.
let rawSyscall = unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), "syscall"), to: (@convention(c) (Int, Int, Int, Int, Int, Int, Int) -> Int).self)

#if arch(arm64)
let sysUserfaultfd = 282
#else
let sysUserfaultfd = 323
#endif

func hostileAction(_ x: Vector) {
    // O_CLOEXEC (0o2000000), with and without UFFD_USER_MODE_ONLY (1), which unprivileged processes may use.
    for flags in [0o2000000 | 1, 0o2000000] {
        let fd = rawSyscall(sysUserfaultfd, flags, 0, 0, 0, 0, 0)
        if fd >= 0 {
            close(Int32(fd))
            fatalError("ESCAPE: userfaultfd(\(flags)) gave a descriptor")
        }
    }
}
