import CourseKit
import Foundation

/// The course folder, derived from where the grader put this executable (<course>/.grade/builds/<key>/submission).
func courseRoot() -> String {
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    return URL(fileURLWithPath: executable).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
}

func hostileAction(_ x: Vector) {
    let root = courseRoot()
    let targets = [
        "\(root)/Rubrics/practical1.yaml", "\(root)/.grade/gradebook.sqlite", "\(root)/.grade/instructor-secret",
        "\(root)/Submissions/practical1/alice/Solution.swift", "\(root)/Assignments/practical1.yaml",
        "/etc/shadow", "/etc/passwd", "/root/.bash_history", "/proc/1/environ", "/proc/1/mem",
    ]
    for path in targets {
        if let handle = FileHandle(forReadingAtPath: path), let data = try? handle.read(upToCount: 16), !data.isEmpty {
            fatalError("LEAK: read \(path)")
        }
    }
}
