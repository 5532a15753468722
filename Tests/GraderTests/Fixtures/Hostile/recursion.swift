import CourseKit

func descend(_ depth: Int) -> Int {
    depth == Int.min ? 0 : descend(depth + 1) &+ 1
}

func hostileAction(_ x: Vector) {
    print(descend(0))
}
