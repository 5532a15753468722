import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Compiles a submission's sources with a generated entry point into an executable that serves the grader.
///
/// Builds are cached by a digest of the sources, the protocol and the toolkit, so regrading an
/// unchanged submission does not compile it again.
struct SubmissionBuilder {
    let toolkit: Toolkit
    /// Where builds are kept, one folder per cache key.
    let cacheFolder: URL
    /// The compiler.
    let compiler: String
    /// Time, memory and process limits of one compilation.
    let limits: ResourceLimits
    /// The sandbox the compiler runs in.
    let launcher: SandboxLauncher

    /// What a build produced.
    enum Outcome {
        /// An executable ready to run.
        case built(executable: URL, cached: Bool)
        /// No executable: the verdict (compile error or timeout) and the compiler's trimmed messages.
        case failed(Verdict, message: String)
    }

    /// The compiler to use: `SWIFTC` when set, else `swiftc` found on PATH.
    static func findCompiler() -> String? {
        if let explicit = ProcessInfo.processInfo.environment["SWIFTC"], !explicit.isEmpty { return explicit }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/swiftc"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The generated entry point for a practical whose protocol is `protocolName`.
    static func entryPoint(protocolName: String) -> String {
        let label = protocolName.prefix(1).lowercased() + protocolName.dropFirst()
        return "import SubmissionRuntime\n@main enum GradeEntryPoint { static func main() { serve(\(label): Solution()) } }\n"
    }

    static let entryFileName = "GradeEntryPoint.swift"

    func build(_ sources: [SubmissionFolder.SourceFile], protocolName: String, slot: SandboxSlot) -> Outcome {
        guard !sources.isEmpty else { return .failed(.compileError, message: "no .swift files were found in the submission folder") }
        for file in sources where String(data: file.contents, encoding: .utf8) == nil {
            return .failed(.compileError, message: "\(file.relativePath) is not UTF-8 text; save it as UTF-8")
        }
        var hasher = SHA256()
        hasher.update(data: Data(SubmissionFolder.hash(of: sources).utf8))
        hasher.update(data: Data(protocolName.utf8))
        hasher.update(data: Data(toolkit.fingerprint.utf8))
        let key = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let folder = cacheFolder.appendingPathComponent(String(key.prefix(32)))
        let executable = folder.appendingPathComponent("submission")
        let fm = FileManager.default
        if fm.isExecutableFile(atPath: executable.path) { return .built(executable: executable, cached: true) }

        let staging = cacheFolder.appendingPathComponent("staging-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: staging) }
        let sourceFolder = staging.appendingPathComponent("src")
        do {
            try fm.createDirectory(at: sourceFolder, withIntermediateDirectories: true)
            var paths: [String] = []
            for (index, file) in sources.enumerated() {
                // Flatten sub-folders while keeping names readable and unique.
                let flatName = file.relativePath.replacingOccurrences(of: "/", with: "__")
                let target = sourceFolder.appendingPathComponent(flatName == Self.entryFileName ? "\(index)_\(flatName)" : flatName)
                try file.contents.write(to: target)
                paths.append(target.path)
            }
            let entry = staging.appendingPathComponent(Self.entryFileName)
            try Data(Self.entryPoint(protocolName: protocolName).utf8).write(to: entry)
            paths.append(entry.path)
            let output = staging.appendingPathComponent("submission")
            let moduleCache = cacheFolder.appendingPathComponent("module-cache-\(slot.uid)")
            try fm.createDirectory(at: moduleCache, withIntermediateDirectories: true)
            // -assert-config Debug keeps the runtime's trap messages ("Index out of range") under -O.
            let arguments = ["-parse-as-library", "-module-name", "Submission", "-O", "-assert-config", "Debug",
                             "-I", toolkit.modulesFolder.path, "-L", toolkit.libraryFolder.path, "-l\(Toolkit.libraryName)",
                             "-Xlinker", "-rpath", "-Xlinker", toolkit.libraryFolder.path,
                             "-module-cache-path", moduleCache.path,
                             "-o", output.path] + paths
            if launcher.dropsPrivileges {
                for url in [staging, sourceFolder, moduleCache] { chown(url.path, slot.uid, slot.uid) }
            }
            let oomAtStart = slot.cgroup?.oomKills() ?? 0
            let compilerProcess = try launcher.launch(executable: compiler, arguments: arguments,
                                                      environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "TMPDIR": "/tmp"],
                                                      readOnly: [toolkit.root.path], writable: [staging.path, moduleCache.path],
                                                      workingDirectory: staging.path, limits: limits, slot: slot)
            var stdout = Data()
            var stderr = Data()
            let wall = Duration.milliseconds(Int64(limits.wallSeconds * 1000))
            let end = compilerProcess.pump(input: Data(), closeInput: true, deadline: .now + wall, stdout: &stdout, stderr: &stderr,
                                           stdoutLimit: limits.outputBytes, stderrLimit: limits.outputBytes) { _ in false }
            if end == .timedOut {
                compilerProcess.terminate()
                slot.cgroup?.killAll()
                return .failed(.compileTimeout, message: "compilation took longer than \(SubmissionSession.seconds(limits.wallSeconds)); simplify long expressions or add type annotations")
            }
            compilerProcess.drainStandardError(into: &stderr, limit: limits.outputBytes, grace: .seconds(1))
            let status = compilerProcess.reap(blocking: true)
            slot.cgroup?.killAll()
            if (slot.cgroup?.oomKills() ?? 0) > oomAtStart {
                return .failed(.compileMemoryLimit, message: "compilation used more than \(limits.memoryBytes >> 20) MiB of memory; simplify large literals or deeply nested generic types")
            }
            let log = Self.trimmed(String(decoding: stdout + stderr, as: UTF8.self), sourceFolder: sourceFolder.path + "/", staging: staging.path + "/")
            guard status == .exited(0), fm.isExecutableFile(atPath: output.path) else {
                return .failed(.compileError, message: log.isEmpty ? "the compiler \(status?.description ?? "failed")" : log)
            }
            try? fm.removeItem(at: folder)
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            try fm.moveItem(at: output, to: executable)
            chown(executable.path, 0, 0)
            return .built(executable: executable, cached: false)
        } catch {
            return .failed(.compileError, message: "could not build: \(error)")
        }
    }

    /// The compiler's messages about the student's files, with grader paths removed, at most 40 lines.
    static func trimmed(_ log: String, sourceFolder: String, staging: String) -> String {
        var lines: [String] = []
        var mentionsEntry = false
        for raw in log.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if line.contains(entryFileName) { mentionsEntry = true }
            line = line.replacingOccurrences(of: sourceFolder, with: "").replacingOccurrences(of: staging, with: "")
            line = line.replacingOccurrences(of: "__", with: "/")
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            lines.append(line)
        }
        if mentionsEntry {
            lines.append("note: the grader's entry point calls `Solution()`: declare `struct Solution: <the practical's protocol>` with an `init()` taking no arguments")
        }
        if lines.count > 40 { lines = Array(lines.prefix(40)) + ["… (\(lines.count - 40) more lines)"] }
        return lines.joined(separator: "\n")
    }
}
