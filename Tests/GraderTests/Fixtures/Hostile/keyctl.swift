import CourseKit
import Foundation

/// glibc's syscall(2), which Swift does not import because it is variadic, called with the C convention.
let rawSyscall = unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), "syscall"), to: (@convention(c) (Int, Int, Int, Int, Int, Int, Int) -> Int).self)

#if arch(arm64)
let sysAddKey = 217, sysKeyctl = 219
#else
let sysAddKey = 248, sysKeyctl = 250
#endif

func hostileAction(_ x: Vector) {
    // KEYCTL_GET_KEYRING_ID (0) of the session keyring (-3), creating it (1): the keyrings are not namespaced.
    let keyring = rawSyscall(sysKeyctl, 0, -3, 1, 0, 0, 0)
    if keyring >= 0 { fatalError("ESCAPE: keyctl gave the session keyring \(keyring)") }
    // add_key("user", description, payload, length, KEY_SPEC_PROCESS_KEYRING = -2)
    let type = strdup("user"), description = strdup("hostile"), payload = strdup("x")
    let key = rawSyscall(sysAddKey, Int(bitPattern: type), Int(bitPattern: description), Int(bitPattern: payload), 1, -2, 0)
    if key >= 0 { fatalError("ESCAPE: add_key added key \(key)") }
}
