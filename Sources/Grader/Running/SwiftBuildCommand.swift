import Foundation

/// The `swift build` command that puts a product where it is looked for: a release build's folder
/// (`.build/release`) is filled by `swift build -c release`, any other by the default debug build.
public enum SwiftBuildCommand {
    /// "swift build -c release --product grade-student" when `folder` is a release build's, else
    /// "swift build --product grade-student".
    public static func building(_ product: String, into folder: URL) -> String {
        let configuration = folder.resolvingSymlinksInPath().lastPathComponent == "release" ? "-c release " : ""
        return "swift build \(configuration)--product \(product)"
    }
}
