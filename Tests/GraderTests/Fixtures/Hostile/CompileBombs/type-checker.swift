import CourseKit

// A closure-heavy arithmetic expression the type checker gives up on.
let blowUp = [1.0, 2.0, 3.0].map { $0 * 2 + 1 - 3 * $0 + 4 / ($0 + 1) - 5 * $0 * $0 + 6 }.reduce(0) { $0 + $1 * 2 - 1 + 3 * $1 - 4 }
