import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    // Fill the only writable place with files just under the file-size limit until it refuses.
    let block = Data(repeating: 0, count: 1 << 20)
    var index = 0
    outer: while index < 10_000 {
        let path = "/tmp/fill-\(index)"
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else { break }
        for _ in 0..<8 {
            do { try handle.write(contentsOf: block) } catch { break outer }
        }
        try? handle.close()
        index += 1
    }
    if index >= 10_000 { fatalError("ESCAPE: wrote 80 GB without hitting a limit") }
    for i in 0...index { try? FileManager.default.removeItem(atPath: "/tmp/fill-\(i)") }
}
