import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    let me = getpid()
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for entry in entries {
        guard let pid = Int32(entry), pid != me else { continue }
        for file in ["environ", "cmdline", "mem", "maps"] {
            let path = "/proc/\(pid)/\(file)"
            if let handle = FileHandle(forReadingAtPath: path), let data = try? handle.read(upToCount: 64),
               let text = String(data: data, encoding: .utf8), text.contains("grade") || file == "mem" && !data.isEmpty {
                fatalError("LEAK: \(path): \(text.prefix(40))")
            }
        }
    }
}
