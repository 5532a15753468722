import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    sleep(3600)
}
