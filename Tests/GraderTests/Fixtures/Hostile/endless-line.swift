import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    // One huge line without a newline, written straight to the descriptor.
    let chunk = [UInt8](repeating: UInt8(ascii: "y"), count: 1 << 16)
    while true { _ = chunk.withUnsafeBytes { write(1, $0.baseAddress, $0.count) } }
}
