import CourseKit
import Foundation

/// glibc's syscall(2), which Swift does not import because it is variadic, called with the C convention.
let rawSyscall = unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), "syscall"), to: (@convention(c) (Int, Int, Int, Int, Int, Int, Int) -> Int).self)

#if arch(arm64)
let sysBPF = 280
#else
let sysBPF = 321
#endif

func hostileAction(_ x: Vector) {
    // BPF_MAP_CREATE (0): an array map of one 8-byte value. union bpf_attr: map_type, key_size, value_size, max_entries.
    var mapAttributes = [UInt32](repeating: 0, count: 32)
    mapAttributes[0] = 2  // BPF_MAP_TYPE_ARRAY
    mapAttributes[1] = 4
    mapAttributes[2] = 8
    mapAttributes[3] = 1
    let map = mapAttributes.withUnsafeMutableBytes { rawSyscall(sysBPF, 0, Int(bitPattern: $0.baseAddress), $0.count, 0, 0, 0) }
    if map >= 0 {
        close(Int32(map))
        fatalError("ESCAPE: bpf(BPF_MAP_CREATE) made a map")
    }
    // BPF_PROG_LOAD (5): the socket filter "r0 = 0; exit", licensed GPL.
    let instructions: [UInt64] = [0x0000_0000_0000_00b7, 0x0000_0000_0000_0095]
    let license = strdup("GPL")
    defer { free(license) }
    let program = instructions.withUnsafeBytes { code -> Int in
        var attributes = [UInt64](repeating: 0, count: 16)
        attributes[0] = 1 | UInt64(instructions.count) << 32  // BPF_PROG_TYPE_SOCKET_FILTER, insn_cnt
        attributes[1] = UInt64(UInt(bitPattern: code.baseAddress))
        attributes[2] = UInt64(UInt(bitPattern: license))
        return attributes.withUnsafeMutableBytes { rawSyscall(sysBPF, 5, Int(bitPattern: $0.baseAddress), $0.count, 0, 0, 0) }
    }
    if program >= 0 {
        close(Int32(program))
        fatalError("ESCAPE: bpf(BPF_PROG_LOAD) loaded a program")
    }
}
