import CourseKit

func hostileAction(_ x: Vector) {
    let line = String(repeating: "flood ", count: 200)
    while true { print(line) }
}
