import Crypto
import Foundation
import Glibc
import Outcomes
import SafeText

#if canImport(Glibc)
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

    static let entryFileName = "GradeEntryPoint.swift"

    /// Builds `sources` with `entryPoint` as the program's `@main` (its support files beside it), or
    /// returns the cached build of the same sources.
    ///
    ///
    /// Builds are published whole: the compiler writes into a staging folder, which is renamed to the
    /// cache key's folder only when the executable is complete, under a lock on the key shared by every
    /// thread and grader process, so two identical submissions built at once compile once and both run.
    /// Executables carry no path of the course: the loader finds the toolkit through the environment the
    /// session sets, so a course folder moved or copied with its state keeps every build.
    func build(_ sources: [SubmissionFolder.SourceFile], entryPoint: SubmissionEntryPoint, slot: SandboxSlot) -> Outcome {
        guard !sources.isEmpty else { return .failed(.compileError, message: "no .swift files were found in the submission folder") }
        for file in sources where String(data: file.contents, encoding: .utf8) == nil {
            return .failed(.compileError, message: "\(SafeText.escapedLine(file.relativePath)) is not UTF-8 text; save it as UTF-8")
        }
        var hasher = SHA256()
        hasher.update(data: Data(SubmissionFolder.hash(of: sources).utf8))
        hasher.update(data: Data(entryPoint.source.utf8))
        for (name, text) in entryPoint.supportFiles.sorted(by: { $0.key < $1.key }) {
            hasher.update(data: Data("\0\(name)\0\(text)".utf8))
        }
        hasher.update(data: Data(toolkit.fingerprint.utf8))
        hasher.update(data: Data(Self.layoutVersion.utf8))
        let key = String(hasher.finalize().hexadecimal.prefix(32))
        let folder = cacheFolder.appendingPathComponent(key)
        let executable = folder.appendingPathComponent("submission")
        let fm = FileManager.default
        let lock: FileLock
        do { lock = try FileLock(cacheFolder.appendingPathComponent("\(key).lock")) } catch {
            return .failed(.graderError, message: "the build cache cannot be locked: \(error)")
        }
        let digestFile = folder.appendingPathComponent("submission.sha256")
        return lock.withLock { () -> Outcome in
            // A cached build is used only if its executable is the one that was built (a damaged one is built again).
            if fm.isExecutableFile(atPath: executable.path), let recorded = try? String(contentsOf: digestFile, encoding: .utf8),
               let built = try? Data(contentsOf: executable), recorded == SHA256.hash(data: built).hexadecimal {
                return .built(executable: executable, cached: true)
            }
            let staging = cacheFolder.appendingPathComponent("staging-\(UUID().uuidString)")
            defer { try? fm.removeItem(at: staging) }
            let sourceFolder = staging.appendingPathComponent("src")
            do {
                try fm.createDirectory(at: sourceFolder, withIntermediateDirectories: true)
                var paths: [String] = []
                for (file, flatName) in zip(sources, Self.flatNames(sources)) {
                    let target = sourceFolder.appendingPathComponent(flatName)
                    try file.contents.write(to: target)
                    paths.append(target.path)
                }
                let entry = staging.appendingPathComponent(Self.entryFileName)
                try Data(entryPoint.source.utf8).write(to: entry)
                paths.append(entry.path)
                let support = staging.appendingPathComponent("support")
                try fm.createDirectory(at: support, withIntermediateDirectories: true)
                for (name, text) in entryPoint.supportFiles.sorted(by: { $0.key < $1.key }) {
                    let file = support.appendingPathComponent((name as NSString).lastPathComponent)
                    try Data(text.utf8).write(to: file)
                    paths.append(file.path)
                }
                let product = staging.appendingPathComponent("product")
                try fm.createDirectory(at: product, withIntermediateDirectories: true)
                let output = product.appendingPathComponent("submission")
                let moduleCache = cacheFolder.appendingPathComponent("module-cache-\(slot.uid)")
                try fm.createDirectory(at: moduleCache, withIntermediateDirectories: true)
                // -assert-config Debug keeps the runtime's trap messages ("Index out of range") under -O.
                let arguments = ["-parse-as-library", "-module-name", "Submission", "-O", "-assert-config", "Debug",
                                 "-I", toolkit.modulesFolder.path, "-L", toolkit.libraryFolder.path, "-l\(Toolkit.libraryName)",
                                 "-module-cache-path", moduleCache.path,
                                 "-o", output.path] + paths
                if launcher.dropsPrivileges {
                    for url in [staging, sourceFolder, product, moduleCache] { chown(url.path, slot.uid, slot.uid) }
                }
                let oomAtStart = slot.cgroup?.oomKills() ?? 0
                let compilerProcess: ChildProcess
                do {
                    compilerProcess = try launcher.launch(executable: compiler, arguments: arguments,
                                                          environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "TMPDIR": "/tmp"],
                                                          readOnly: [toolkit.root.path], writable: [staging.path, moduleCache.path],
                                                          workingDirectory: staging.path, limits: limits, slot: slot)
                } catch {
                    return .failed(.graderError, message: "the sandbox could not start the compiler: \(error)")
                }
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
                if case .outputLimit = end {
                    // The compiler would block on a full pipe: stop it before waiting for it.
                    compilerProcess.terminate()
                    slot.cgroup?.killAll()
                    _ = compilerProcess.reap(blocking: true)
                    let log = Self.trimmed(String(decoding: stdout + stderr, as: UTF8.self), sources: sources, sourceFolder: sourceFolder.path + "/", staging: staging.path + "/")
                    return .failed(.compileError, message: log + "\n… (the compiler's messages exceed \(limits.outputBytes >> 10) KiB; fix the first ones)")
                }
                compilerProcess.drainStandardError(into: &stderr, limit: limits.outputBytes, grace: .seconds(1))
                let status = compilerProcess.reap(blocking: true)
                slot.cgroup?.killAll()
                if (slot.cgroup?.oomKills() ?? 0) > oomAtStart {
                    return .failed(.compileMemoryLimit, message: "compilation used more than \(limits.memoryBytes >> 20) MiB of memory; simplify large literals or deeply nested generic types")
                }
                let log = Self.trimmed(String(decoding: stdout + stderr, as: UTF8.self), sources: sources, sourceFolder: sourceFolder.path + "/", staging: staging.path + "/")
                guard status == .exited(0), fm.isExecutableFile(atPath: output.path) else {
                    return .failed(.compileError, message: log.isEmpty ? "the compiler \(status?.description ?? "failed")" : log)
                }
                try Data(SHA256.hash(data: try Data(contentsOf: output)).hexadecimal.utf8).write(to: product.appendingPathComponent("submission.sha256"))
                chown(product.path, 0, 0)
                chown(output.path, 0, 0)
                chmod(product.path, 0o755)
                // A folder already there failed verification above (damaged, or left by an older layout): replace it.
                if fm.fileExists(atPath: folder.path) { try fm.removeItem(at: folder) }
                try fm.moveItem(at: product, to: folder)
                return .built(executable: executable, cached: false)
            } catch {
                return .failed(.graderError, message: "the build cache could not be written: \(FileErrorText.describing(error))")
            }
        }
    }

    /// Part of every cache key: bumped when the way executables are built changes (1: no run path, the
    /// loader finding the toolkit through the environment; a digest of the executable beside it).
    static let layoutVersion = "1"

    /// The names the sources are compiled under, in one flat folder: each file's own name (so that trap
    /// messages such as "Submission/Solution.swift:25" read naturally), prefixed with its index when two
    /// files share a name or one is named like the generated entry point (always distinct from the entry point).
    /// A name with a line break, a tab or another control character is compiled as `source.swift` (prefixed
    /// likewise), so that no diagnostic the compiler prints is broken into lines by a file's name.
    static func flatNames(_ sources: [SubmissionFolder.SourceFile]) -> [String] {
        let names = sources.map { source -> String in
            let name = (source.relativePath as NSString).lastPathComponent
            return SafeText.escapedLine(name) == name ? name : "source.swift"
        }
        let counts = Dictionary(names.map { ($0, 1) }, uniquingKeysWith: +)
        let flat = names.enumerated().map { index, name in counts[name] == 1 && name != entryFileName ? name : "\(index)_\(name)" }
        // A prefixed name could still meet a file really named so: then every name is prefixed, which is unique.
        return Set(flat).count == flat.count ? flat : names.enumerated().map { "\($0)_\($1)" }
    }

    /// The compiler's messages about the student's files, with grader paths replaced by the students' own
    /// file names, at most 40 lines.
    static func trimmed(_ log: String, sources: [SubmissionFolder.SourceFile], sourceFolder: String, staging: String) -> String {
        var lines: [String] = []
        var mentionsEntry = false
        for raw in log.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if line.contains(entryFileName) { mentionsEntry = true }
            for (file, flatName) in zip(sources, Self.flatNames(sources)) {
                line = line.replacingOccurrences(of: sourceFolder + flatName + ":", with: SafeText.escapedLine(file.relativePath) + ":")
            }
            line = line.replacingOccurrences(of: sourceFolder, with: "").replacingOccurrences(of: staging, with: "")
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
