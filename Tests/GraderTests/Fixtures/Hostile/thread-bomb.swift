import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    while true {
        let thread = Thread { sleep(3600) }
        thread.start()
    }
}
