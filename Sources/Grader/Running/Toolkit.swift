import Crypto
import Foundation

/// The prebuilt pieces a submission compiles against: CourseKit and SubmissionRuntime, nothing else.
///
/// The package builds them as the dynamic library `libSubmissionKit.so` with their `.swiftmodule`
/// interfaces beside the `grade` executable. `prepare(in:)` copies exactly those files into a
/// folder of their own, so the compiler's search paths cannot reach ReferenceEngine or any other
/// grader module: `import ReferenceEngine` in a submission fails with "no such module".
public struct Toolkit: Sendable {
    /// The folder holding `Modules/` and `lib/`.
    public let root: URL
    /// A digest of the toolkit's files, part of every build-cache key.
    public let fingerprint: String

    /// The modules a submission may import.
    static let moduleNames = ["CourseKit", "SubmissionRuntime"]
    /// The library a submission links.
    static let libraryName = "SubmissionKit"

    /// Why no toolkit could be found or prepared.
    public struct Unavailable: Error, CustomStringConvertible {
        /// What is missing, and how to get it.
        public let description: String
    }

    /// The folder the built artifacts are in: `GRADE_TOOLKIT_DIR` when set; else the release build beside the
    /// running executable's (debug) build when that has an up-to-date `libSubmissionKit.so`, since students'
    /// code calls CourseKit in its inner loops and a training budget is only fair against optimised CourseKit;
    /// else the running executable's folder.
    public static func buildProductsFolder() -> URL {
        if let override = ProcessInfo.processInfo.environment["GRADE_TOOLKIT_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let release = own.deletingLastPathComponent().appendingPathComponent("release")
        let library = "lib\(libraryName).so"
        func modified(_ folder: URL) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(library).path))?[.modificationDate] as? Date
        }
        if own.lastPathComponent == "debug", let optimised = modified(release), optimised >= (modified(own) ?? .distantPast) {
            return release
        }
        return own
    }

    /// Copies the submission toolkit from `products` into a folder below `destination` named by its fingerprint.
    ///
    /// An existing copy with the same fingerprint is reused when its files are intact, and a new one is
    /// moved into place whole, so concurrent graders never see a half-copied toolkit.
    public static func prepare(from products: URL = buildProductsFolder(), in destination: URL) throws -> Toolkit {
        let fm = FileManager.default
        var sources = [(products.appendingPathComponent("lib\(libraryName).so"), "lib/lib\(libraryName).so")]
        guard fm.fileExists(atPath: sources[0].0.path) else {
            throw Unavailable(description: "lib\(libraryName).so is not built in \(products.path); run `\(SwiftBuildCommand.building("SubmissionKit", into: products))` first")
        }
        for module in moduleNames {
            let candidates = [products.appendingPathComponent("Modules/\(module).swiftmodule"),
                              products.appendingPathComponent("\(module).swiftmodule")]
            guard let found = candidates.first(where: { fm.fileExists(atPath: $0.path) }) else {
                throw Unavailable(description: "the \(module) module is not built in \(products.path); run `\(SwiftBuildCommand.building("SubmissionKit", into: products))` first")
            }
            sources.append((found, "Modules/\(module).swiftmodule"))
        }
        var hasher = SHA256()
        var files: [(String, Data)] = Self.systemModuleFiles.map { ($0.key, Data($0.value.utf8)) }.sorted { $0.0 < $1.0 }
        for (source, relative) in sources { files.append((relative, try Data(contentsOf: source))) }
        for (relative, data) in files {
            hasher.update(data: Data(relative.utf8))
            hasher.update(data: data)
        }
        let fingerprint = hasher.finalize().hexadecimal
        let root = destination.appendingPathComponent(String(fingerprint.prefix(16)))
        // A copy that no longer matches (damaged, or edited by hand) is moved aside and made again.
        if fm.fileExists(atPath: root.path), !files.allSatisfy({ relative, data in (try? Data(contentsOf: root.appendingPathComponent(relative))) == data }) {
            try fm.moveItem(at: root, to: destination.appendingPathComponent("damaged-\(UUID().uuidString)"))
        }
        if !fm.fileExists(atPath: root.path) {
            let staging = destination.appendingPathComponent("staging-\(UUID().uuidString)")
            for (relative, data) in files {
                let target = staging.appendingPathComponent(relative)
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: target)
            }
            do { try fm.moveItem(at: staging, to: root) } catch {
                try? fm.removeItem(at: staging)
                guard fm.fileExists(atPath: root.path) else { throw error }
            }
        }
        return Toolkit(root: root, fingerprint: fingerprint)
    }

    /// The C modules CourseKit is built on, which the compiler must find to load CourseKit's interface:
    /// OpenBLAS's cblas.h (from the system's libopenblas-dev).
    static let systemModuleFiles = [
        "Modules/module.modulemap": "module CBLAS [system] {\n    header \"cblas_shim.h\"\n    link \"openblas\"\n    export *\n}\n",
        "Modules/cblas_shim.h": "#include <cblas.h>\n",
    ]

    /// The folder given to the compiler with `-I`.
    var modulesFolder: URL { root.appendingPathComponent("Modules") }
    /// The folder given to the compiler with `-L` and to the loader as rpath.
    var libraryFolder: URL { root.appendingPathComponent("lib") }
}
