import CourseKit
import Foundation

func courseRoot() -> String {
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    return URL(fileURLWithPath: executable).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
}

func hostileAction(_ x: Vector) {
    let root = courseRoot()
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    let targets = ["\(root)/pwned.txt", "\(root)/.grade/pwned.txt", "\(root)/Rubrics/practical1.yaml",
                   "\(executable).pwned", "/usr/pwned.txt", "/pwned.txt", "/etc/pwned.txt"]
    for path in targets where FileManager.default.createFile(atPath: path, contents: Data("pwned".utf8)) {
        fatalError("ESCAPE: wrote \(path)")
    }
}
