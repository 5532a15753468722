import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    let chunk = Data(String(repeating: "E", count: 4096).utf8)
    while true { FileHandle.standardError.write(chunk) }
}
