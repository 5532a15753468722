import Foundation
import Testing

/// Debian's chromium without a display: a page's DOM as the browser parsed it, its console messages,
/// and a screenshot.
struct HeadlessChromium {
    /// What the browser made of a page.
    struct Rendering {
        /// The DOM after parsing, serialised.
        var dom: String
        /// Every console message (the pages have no script, so any message is a fault: a blocked load, a policy violation).
        var consoleMessages: [String]
    }

    let executable: String
    let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")

    /// The browser on PATH; the set-up installs Debian's `chromium` when it is missing.
    static func find() throws -> HeadlessChromium {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let path = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return HeadlessChromium(executable: path) }
            }
        }
        throw BrowserMissing()
    }

    struct BrowserMissing: Error, CustomStringConvertible {
        var description: String { "chromium is not installed: run scripts/setup (apt-get install chromium)" }
    }

    private func run(_ arguments: [String]) throws -> (stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the browser runs, so that neither fills up.
        let stdout = Locked(Data()), stderr = Locked(Data())
        let group = DispatchGroup()
        for (pipe, sink) in [(out, stdout), (err, stderr)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                sink.set(data)
                group.leave()
            }
        }
        process.waitUntilExit()
        group.wait()
        return (String(decoding: stdout.get(), as: UTF8.self), String(decoding: stderr.get(), as: UTF8.self))
    }

    /// The page at `url` as the browser parsed it, with its console messages.
    func render(_ url: URL) throws -> Rendering {
        let (dom, log) = try run(["--dump-dom", url.absoluteString])
        return Rendering(dom: dom, consoleMessages: log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init))
    }

    /// A screenshot of the page at `url`, `width` × `height` pixels, written to `png`.
    func screenshot(_ url: URL, to png: URL, width: Int = 1000, height: Int = 2400) throws {
        _ = try run(["--window-size=\(width),\(height)", "--screenshot=\(png.path)", url.absoluteString])
    }

    /// A small value shared with a reading thread.
    final class Locked<Value>: @unchecked Sendable {
        private var value: Value
        private let lock = NSLock()
        init(_ value: Value) { self.value = value }
        func set(_ new: Value) { lock.lock(); value = new; lock.unlock() }
        func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    }
}
