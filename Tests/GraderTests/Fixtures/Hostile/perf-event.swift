import CourseKit
import Foundation

/// glibc's syscall(2), which Swift does not import because it is variadic, called with the C convention.
let rawSyscall = unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), "syscall"), to: (@convention(c) (Int, Int, Int, Int, Int, Int, Int) -> Int).self)

#if arch(arm64)
let sysPerfEventOpen = 241
#else
let sysPerfEventOpen = 298
#endif

func hostileAction(_ x: Vector) {
    // struct perf_event_attr (first version, 64 bytes): a software task-clock counter on this process,
    // user space only, which perf_event_paranoid 2 lets any process open.
    var attributes = [UInt64](repeating: 0, count: 8)
    attributes[0] = 1 | 64 << 32  // type PERF_TYPE_SOFTWARE, size 64
    attributes[1] = 1  // config PERF_COUNT_SW_TASK_CLOCK
    attributes[5] = 1 | 1 << 5 | 1 << 6  // disabled, exclude_kernel, exclude_hv
    // pid 0 (this process), cpu -1 (any), no group, PERF_FLAG_FD_CLOEXEC (8)
    let fd = attributes.withUnsafeMutableBytes { rawSyscall(sysPerfEventOpen, Int(bitPattern: $0.baseAddress), 0, -1, -1, 8, 0) }
    if fd >= 0 {
        close(Int32(fd))
        fatalError("ESCAPE: perf_event_open gave a counter")
    }
}
