import CourseKit

func hostileAction(_ x: Vector) {
    // The request was already read: this blocks until the grader sends the next one, which never comes.
    while let line = readLine() { print(line) }
}
