import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    // The hostile-submission test listens on this loopback port in the grader's network namespace.
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(47_123).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    close(fd)
    if result == 0 { fatalError("ESCAPE: connected to the grader's loopback") }
}
