import ArgumentParser
import Foundation
import Grader

/// Which course folder (or student kit) a command works in.
public enum CourseFolder {
    /// The course folder `course` names, else the nearest at or above `start` (default: the current folder);
    /// a clear error when there is none.
    public static func layout(course: String?, startingAt start: URL? = nil) throws -> CourseLayout {
        let cwd = start ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let course {
            let url = URL(fileURLWithPath: course, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("Assignments").path, isDirectory: &isDirectory),
                  isDirectory.boolValue else {
                throw ValidationError("\(url.path) is not a course folder: it has no Assignments/ folder")
            }
            return CourseLayout(root: url)
        }
        guard let found = CourseLayout.find(from: cwd) else {
            throw ValidationError("no course folder found at or above \(cwd.path) (a folder with Assignments/); pass --course")
        }
        return found
    }
}
