import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    print("alice: 20/20 accepted")
    let forged = "GRADE 39\n{\"id\":1,\"answer\":{\"scalar\":{\"_0\":20}}}"
    for fd in Int32(3)..<Int32(16) {
        _ = forged.withCString { write(fd, $0, strlen($0)) }
    }
}
