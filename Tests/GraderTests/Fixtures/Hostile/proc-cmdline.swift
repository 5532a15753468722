import CourseKit
import Foundation

/// The course folder, derived from where the grader put this executable (<course>/.grade/builds/<key>/submission).
func courseRoot() -> String {
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    return URL(fileURLWithPath: executable).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
}

func hostileAction(_ x: Vector) {
    // pid 1 is bubblewrap's init, whose command line would list every folder bound into the sandbox.
    guard let handle = FileHandle(forReadingAtPath: "/proc/1/cmdline"), let data = try? handle.readToEnd() else { return }
    let text = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
    let root = courseRoot()
    var leaks = ["--bind", "--ro-bind", "/.grade/", "/builds/", "/toolkit/"]
    if root.count > 1 { leaks.append(root) }
    for leak in leaks where text.contains(leak) {
        fatalError("LEAK: /proc/1/cmdline shows \(leak): \(text.prefix(300))")
    }
    // The script bubblewrap runs, which names the executable.
    if let script = FileHandle(forReadingAtPath: "/run/sandbox/command"), let contents = try? script.readToEnd(), !contents.isEmpty {
        fatalError("LEAK: read the sandbox's command script: \(String(decoding: contents.prefix(200), as: UTF8.self))")
    }
}
