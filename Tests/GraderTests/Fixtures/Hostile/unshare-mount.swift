import CourseKit
import Foundation

/// glibc's syscall(2), which Swift does not import because it is variadic, called with the C convention.
let rawSyscall = unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), "syscall"), to: (@convention(c) (Int, Int, Int, Int, Int, Int, Int) -> Int).self)

#if arch(arm64)
let sysUnshare = 97, sysClone = 220
#else
let sysUnshare = 272, sysClone = 56
#endif
let cloneNewUser = 0x1000_0000, cloneNewNS = 0x0002_0000

func hostileAction(_ x: Vector) {
    // In a forked child (single-threaded, as unshare(CLONE_NEWUSER) requires): a user and a mount namespace
    // of its own, where it is root, then a tmpfs over /tmp. Exit 0: mounted; 1: unshare succeeded; 2: refused.
    let call = rawSyscall
    let source = strdup("none"), target = strdup("/tmp"), type = strdup("tmpfs")
    let child = fork()
    if child == 0 {
        guard call(sysUnshare, cloneNewUser | cloneNewNS, 0, 0, 0, 0, 0) == 0 else { _exit(2) }
        _exit(mount(source, target, type, 0, nil) == 0 ? 0 : 1)
    }
    var status: Int32 = 0
    waitpid(child, &status, 0)
    if status == 0 { fatalError("ESCAPE: unshare(CLONE_NEWUSER | CLONE_NEWNS), then mounted a tmpfs over /tmp") }
    if status == 1 << 8 { fatalError("ESCAPE: unshare(CLONE_NEWUSER | CLONE_NEWNS) succeeded") }
    // The same through clone with namespace flags.
    let cloned = call(sysClone, cloneNewUser | cloneNewNS | Int(SIGCHLD), 0, 0, 0, 0, 0)
    if cloned == 0 { _exit(0) }
    if cloned > 0 {
        waitpid(pid_t(cloned), &status, 0)
        fatalError("ESCAPE: clone(CLONE_NEWUSER | CLONE_NEWNS) started a process in new namespaces")
    }
}
