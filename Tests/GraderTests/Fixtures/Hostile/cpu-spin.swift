import CourseKit

func hostileAction(_ x: Vector) {
    var counter = 0
    while true {
        counter &+= 1
        if counter == -1 { print(counter) }
    }
}
