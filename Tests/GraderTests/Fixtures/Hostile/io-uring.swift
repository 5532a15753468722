import CourseKit
import Foundation

/// glibc's syscall(2), which Swift does not import because it is variadic, called with the C convention.
let rawSyscall = unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), "syscall"), to: (@convention(c) (Int, Int, Int, Int, Int, Int, Int) -> Int).self)

/// io_uring_setup has the same number on every architecture.
let sysIoUringSetup = 425

func hostileAction(_ x: Vector) {
    // A ring of 4 entries: I/O submitted through it would not pass through the system-call filter.
    var parameters = [UInt8](repeating: 0, count: 120)  // struct io_uring_params
    let fd = parameters.withUnsafeMutableBytes { rawSyscall(sysIoUringSetup, 4, Int(bitPattern: $0.baseAddress), 0, 0, 0, 0) }
    if fd >= 0 {
        close(Int32(fd))
        fatalError("ESCAPE: io_uring_setup made a ring")
    }
}
