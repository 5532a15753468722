import CourseKit
import Foundation

/// glibc's syscall(2), which Swift does not import because it is variadic, called with the C convention.
let rawSyscall = unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), "syscall"), to: (@convention(c) (Int, Int, Int, Int, Int, Int, Int) -> Int).self)

#if arch(arm64)
let sysPtrace = 117, sysProcessVMReadv = 270
#else
let sysPtrace = 101, sysProcessVMReadv = 310
#endif

func hostileAction(_ x: Vector) {
    // A sibling process to attach to and read from: the forked copy of this one, same uid.
    let call = rawSyscall
    let marker = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    marker.pointee = 0x5eed
    let child = fork()
    if child == 0 { while true { pause() } }
    // Kills the child first: after a successful attach it would stay stopped, outliving this process.
    func stopChild() {
        kill(child, SIGKILL)
        var status: Int32 = 0
        waitpid(child, &status, 0)
    }
    // PTRACE_ATTACH (16)
    if call(sysPtrace, 16, Int(child), 0, 0, 0, 0) == 0 {
        stopChild()
        fatalError("ESCAPE: ptrace attached to pid \(child)")
    }
    // process_vm_readv: the child's copy of the marker, at the same address.
    var copy = 0
    let read = withUnsafeMutablePointer(to: &copy) { target -> Int in
        var local = iovec(iov_base: UnsafeMutableRawPointer(target), iov_len: 8)
        var remote = iovec(iov_base: UnsafeMutableRawPointer(marker), iov_len: 8)
        return withUnsafeMutablePointer(to: &local) { localVector in
            withUnsafeMutablePointer(to: &remote) { remoteVector in
                call(sysProcessVMReadv, Int(child), Int(bitPattern: localVector), 1, Int(bitPattern: remoteVector), 1, 0)
            }
        }
    }
    stopChild()
    marker.deallocate()
    if read > 0 { fatalError("ESCAPE: process_vm_readv read \(read) bytes of pid \(child)") }
}
