import Foundation
import Grader
import SafeText
import StudentServices
import Yams

/// A practical's student kit: a folder an instructor can publish as it is, with which a student needs
/// nothing but the Swift toolchain to write, run and self-check a solution.
///
/// ```
/// <kit>/README.md                      for students: set-up, grade --local, hidden cases, the sandbox
/// <kit>/Solution/                      the starter package: Sources/Solution (stubs), Sources/Experiments
/// <kit>/CourseKit/                     CourseKit's sources as a package the starter builds against, with
///                                      SubmissionRuntime's (`SavedCase`), which Experiments imports to replay a case
/// <kit>/Docs/CourseKit.md              CourseKit's reference, from its doc comments
/// <kit>/Assignments/<id>.yaml          the spec without its hidden cases
/// <kit>/Rubrics/<id>.yaml, course.yaml the rubric (points, manual items) and the course policy
/// <kit>/Cases/<id>/cases.json, data/   the public cases stored whole, and the data their calls read
/// <kit>/bin/grade                      the self-check (`grade-student`), with the submission toolkit
/// ```
///
/// The kit holds no reference engine (its `grade` is built without it and judges stored cases), no
/// instructor secret, no submission and no held-out data: a training case's held-out images stay with
/// the grader, and only the images its call trains on are stored.
public struct Handout {
    /// The course.
    public let layout: CourseLayout
    /// The course's drivers, which draw the public cases and answer them.
    public let registry: PracticalRegistry

    /// The handouts of the course at `layout`, drawn with `registry`.
    public init(layout: CourseLayout, registry: PracticalRegistry) {
        self.layout = layout
        self.registry = registry
    }

    /// What was written: every file of the kit with its size, relative to the kit's folder.
    public struct Summary: Sendable {
        /// The kit's folder.
        public let folder: URL
        /// Every file, sorted, with its size in bytes.
        public let files: [(path: String, bytes: Int)]
    }

    /// Where the built artifacts the kit ships are.
    public struct Artifacts: Sendable {
        /// The student's `grade` (the `grade-student` product).
        public var studentGrader: URL
        /// The folder with `libSubmissionKit.so` and `Modules/` (`Toolkit.buildProductsFolder()`).
        public var toolkit: URL

        /// The artifacts at `studentGrader` and in `toolkit`.
        public init(studentGrader: URL, toolkit: URL) {
            self.studentGrader = studentGrader
            self.toolkit = toolkit
        }

        /// The `grade-student` beside the running executable, and the toolkit it finds.
        public static func besideThisProgram() -> Artifacts {
            let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            return Artifacts(studentGrader: own.appendingPathComponent("grade-student"), toolkit: Toolkit.buildProductsFolder())
        }
    }

    /// Writes the kit of `assignment` into `folder`, which must not exist or be empty.
    public func write(_ assignment: String, to folder: URL, artifacts: Artifacts) throws -> Summary {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, (try? fm.contentsOfDirectory(atPath: folder.path))?.isEmpty == true else {
                throw ServiceFailure("\(folder.path) exists and is not an empty folder: a kit is written into a new folder, never over files")
            }
        }
        for (file, what, product) in [(artifacts.studentGrader, "the student grader", "grade-student"),
                                      (artifacts.toolkit.appendingPathComponent("libSubmissionKit.so"), "the submission toolkit", "SubmissionKit")]
        where !fm.fileExists(atPath: file.path) {
            throw ServiceFailure("\(what) is not built: there is no \(file.path); build it with `\(SwiftBuildCommand.building(product, into: file.deletingLastPathComponent()))` and run grade handout again")
        }
        let opened: OpenedAssignment
        do { opened = try registry.open(assignment, in: layout, requireRubric: true) } catch let error as SpecError {
            throw ServiceFailure("the assignment cannot be handed out; no kit was written. Fix the spec or rubric at each place listed, then run grade handout again:\n\(error)")
        }
        let staging = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent)-staging-\(UUID().uuidString)")
        do { try fm.createDirectory(at: staging, withIntermediateDirectories: true) } catch {
            throw ServiceFailure(FileErrorText.sentence(error, .creatingFolder, path: folder.path))
        }
        defer { try? fm.removeItem(at: staging) }
        let policy: CoursePolicy
        do { policy = try CoursePolicy.load(from: layout) } catch let error as SpecError {
            throw ServiceFailure("the course policy has problems:\n\(error)")
        }
        let kit = CourseLayout(root: staging)
        let spec = try writeKit(assignment, driver: opened.driver, loaded: opened.loaded, policy: policy, into: kit, artifacts: artifacts)
        try write(Self.readme(spec: spec, policy: policy, toolchain: Self.toolchainVersion()), to: staging.appendingPathComponent("README.md"))
        // The empty folder given (never one that gained files meanwhile) makes way for the kit.
        if fm.fileExists(atPath: folder.path), rmdir(folder.path) != 0 {
            throw ServiceFailure("\(folder.path) is no longer an empty folder: the kit was not written")
        }
        try fm.moveItem(at: staging, to: folder)
        return Summary(folder: folder, files: Self.listing(of: folder))
    }

    private func writeKit<Driver: PracticalDriver>(_ assignment: String, driver: Driver.Type, loaded: LoadedAssignment, policy: CoursePolicy,
                                                   into kit: CourseLayout, artifacts: Artifacts) throws -> AssignmentSpec {
        let fm = FileManager.default
        if let check = loaded.spec.allChecks.map(\.1).first(where: { $0.publicCases.isEmpty }) {
            throw ServiceFailure("check '\(check.id)' of \(assignment) has hidden cases only: a kit holds public cases, so give it at least one public case to hand out")
        }
        // The spec without hidden cases, which the kit's grade reads; the stored cases name its digest.
        let publicSpec = try Self.publicSpec(Data(contentsOf: layout.specURL(assignment)), file: layout.specURL(assignment).path)
        try write(publicSpec, to: kit.specURL(assignment))
        do { _ = try SpecLoader.loadAssignment(at: kit.specURL(assignment), kinds: registry.checkKinds) } catch let error as SpecError {
            throw ServiceFailure("the spec without its hidden cases does not load:\n\(error)")
        }
        try fm.createDirectory(at: kit.rubricURL(assignment).deletingLastPathComponent(), withIntermediateDirectories: true)
        try fm.copyItem(at: layout.rubricURL(assignment), to: kit.rubricURL(assignment))
        try fm.copyItem(at: layout.coursePolicyURL, to: kit.coursePolicyURL)

        // The public cases, drawn and answered here, stored with the data their calls read.
        let scratch = fm.temporaryDirectory.appendingPathComponent("grade-handout-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: scratch) }
        let grader = try AssignmentGrader(spec: loaded.spec, rubric: loaded.rubric, secret: nil,
                                          driver: Driver(context: DriverContext(course: layout, dataFolder: scratch.appendingPathComponent("data"), assignment: assignment)),
                                          stateFolder: scratch, caseLimits: policy.caseLimits, compileLimits: policy.compileLimits)
        let bundle: PublicCaseBundle<Driver.Call>
        do {
            bundle = try grader.publicCaseBundle(specDigest: PublicCaseBundle<Driver.Call>.specDigest(of: publicSpec), dataFolder: kit.publicCaseDataURL(assignment))
        } catch let fault as GraderFault {
            throw ServiceFailure("the public cases cannot be stored: \(fault)")
        }
        try write(bundle.encoded(), to: kit.publicCasesURL(assignment))

        // The self-check and the toolkit it compiles submissions against.
        let bin = kit.root.appendingPathComponent("bin")
        try fm.createDirectory(at: bin.appendingPathComponent("Modules"), withIntermediateDirectories: true)
        try fm.copyItem(at: artifacts.studentGrader, to: bin.appendingPathComponent("grade"))
        try fm.copyItem(at: artifacts.toolkit.appendingPathComponent("libSubmissionKit.so"), to: bin.appendingPathComponent("libSubmissionKit.so"))
        for module in ["CourseKit", "SubmissionRuntime"] {
            let candidates = [artifacts.toolkit.appendingPathComponent("Modules/\(module).swiftmodule"), artifacts.toolkit.appendingPathComponent("\(module).swiftmodule")]
            guard let found = candidates.first(where: { fm.fileExists(atPath: $0.path) }) else {
                throw ServiceFailure("the \(module) module is not built in \(artifacts.toolkit.path); build it with `\(SwiftBuildCommand.building("SubmissionKit", into: artifacts.toolkit))`")
            }
            try fm.copyItem(at: found, to: bin.appendingPathComponent("Modules/\(module).swiftmodule"))
        }

        // CourseKit as a package (with SubmissionRuntime, to replay saved cases), the starter package built
        // against it, and CourseKit's reference.
        let sources = try swiftSources(in: layout.courseKitSourcesURL)
        let courseKit = kit.root.appendingPathComponent("CourseKit")
        for (name, text) in sources { try write(Data(text.utf8), to: courseKit.appendingPathComponent("Sources/CourseKit/\(name)")) }
        for (name, text) in try swiftSources(in: layout.submissionRuntimeSourcesURL) {
            try write(Data(text.utf8), to: courseKit.appendingPathComponent("Sources/SubmissionRuntime/\(name)"))
        }
        for name in ["module.modulemap", "shim.h"] {
            try write(Data(contentsOf: layout.root.appendingPathComponent("Sources/CBLAS/\(name)")), to: courseKit.appendingPathComponent("Sources/CBLAS/\(name)"))
        }
        try write(Self.courseKitManifest, to: courseKit.appendingPathComponent("Package.swift"))
        let solution = kit.kitSolutionURL
        try write(Data(try Starter(layout: layout).source(for: assignment).utf8), to: solution.appendingPathComponent("Sources/Solution/Solution.swift"))
        try write(Self.solutionManifest, to: solution.appendingPathComponent("Package.swift"))
        try write(Self.experiments(protocolName: loaded.spec.protocolName), to: solution.appendingPathComponent("Sources/Experiments/main.swift"))
        try write(CourseKitReference.markdown(files: sources.map { (name: $0.0, source: $0.1) }), to: kit.root.appendingPathComponent("Docs/CourseKit.md"))
        return loaded.spec
    }

    /// The Swift source files of `folder` (CourseKit's, SubmissionRuntime's), sorted by name.
    private func swiftSources(in folder: URL) throws -> [(String, String)] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted().map { name in
                (name, try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
            }
        } catch {
            throw ServiceFailure("the kit ships \(folder.lastPathComponent)'s sources: \(FileErrorText.sentence(for: error) ?? FileErrorText.sentence(error, .listing, path: folder.path))")
        }
    }

    /// `spec` (the YAML text of an assignment spec at `file`) without the `hidden` part of any check.
    static func publicSpec(_ spec: Data, file: String) throws -> Data {
        guard var root = try Yams.compose(yaml: String(decoding: spec, as: UTF8.self)), var top = root.mapping,
              var tasks = top["tasks"]?.sequence else {
            throw ServiceFailure("\(file): not an assignment spec with tasks")
        }
        for t in tasks.indices {
            guard var task = tasks[t].mapping, var checks = task["checks"]?.sequence else { continue }
            for c in checks.indices {
                guard var check = checks[c].mapping else { continue }
                check["hidden"] = nil
                checks[c] = .mapping(check)
            }
            task["checks"] = .sequence(checks)
            tasks[t] = .mapping(task)
        }
        top["tasks"] = .sequence(tasks)
        root = .mapping(top)
        let text = "# The assignment spec as handed out: the public cases only. Hidden cases are drawn when the instructor grades.\n"
            + (try Yams.serialize(node: root, allowUnicode: true))
        return Data(text.utf8)
    }

    /// CourseKit's manifest in the kit: the library, on OpenBLAS as in the course, and SubmissionRuntime.
    static let courseKitManifest = """
        // swift-tools-version:6.0
        import PackageDescription

        // CourseKit, the module your solution imports, as the grader builds it; and SubmissionRuntime, the calls
        // the grader makes, with which Experiments replays a case saved by `grade --local --case … --save FILE`.
        let package = Package(
            name: "CourseKit",
            products: [
                .library(name: "CourseKit", targets: ["CourseKit"]),
                .library(name: "SubmissionRuntime", targets: ["SubmissionRuntime"]),
            ],
            targets: [
                // OpenBLAS's cblas.h (Debian's libopenblas-dev).
                .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", providers: [.apt(["libopenblas-dev"])]),
                .target(name: "CourseKit", dependencies: ["CBLAS"], swiftSettings: [.unsafeFlags(["-O"])]),
                .target(name: "SubmissionRuntime", dependencies: ["CourseKit"]),
            ]
        )

        """

    /// The starter's manifest: the solution, and an executable for experiments and plots that uses it.
    static let solutionManifest = """
        // swift-tools-version:6.0
        import PackageDescription

        // Your solution (Sources/Solution) and a program to try it (Sources/Experiments: `swift run -c release Experiments`),
        // which can also replay a case saved by `../bin/grade --local --case <check>/public-<n> --save case.json`.
        // `grade --local`, run in this folder, checks the .swift files of Sources/Solution: it skips this file,
        // Sources/Experiments and any Tests folder.
        let package = Package(
            name: "Solution",
            dependencies: [.package(path: "../CourseKit")],
            targets: [
                // -enable-testing lets Experiments see the internal `Solution` with `@testable import`.
                .target(name: "Solution", dependencies: [.product(name: "CourseKit", package: "CourseKit")],
                        swiftSettings: [.unsafeFlags(["-enable-testing"])]),
                .executableTarget(name: "Experiments", dependencies: ["Solution", .product(name: "CourseKit", package: "CourseKit"),
                                                                      .product(name: "SubmissionRuntime", package: "CourseKit")]),
            ]
        )

        """

    /// A first experiment: the solution, ready to call.
    static func experiments(protocolName: String) -> String {
        """
        // Experiments with your solution: call it on your own inputs, time it, print curves for your report.
        // Run with `swift run -c release Experiments` in the Solution folder. `grade --local` does not read this folder.
        import CourseKit
        @testable import Solution

        // Typed as the protocol the grader calls: this line builds only while Solution conforms to \(protocolName).
        let solution: any \(protocolName) = Solution()
        print("\\(type(of: solution)) is ready to call")
        // For example (practical 1): print(solution.numericalGradient(of: { $0.dot($0) }, at: [1, 2], step: 1e-5))
        // To replay a public case here, save it with `../bin/grade --local --case <check>/public-<n> --save case.json`:
        // it prints the program to put in this file.

        """
    }

    /// The student's README.
    static func readme(spec: AssignmentSpec, policy: CoursePolicy, toolchain: String) -> String {
        let checks = spec.allChecks.map(\.1)
        let publicCount = checks.reduce(0) { $0 + $1.publicCases.count }
        let hasTraining = checks.contains { $0.kind == .training }
        return """
            # \(spec.title): the student kit

            Everything you need to write and check your solution of \(spec.id) (protocol `\(spec.protocolName)`), \
            besides the Swift toolchain. Due \(spec.due) (\(policy.timeZone)); see `Rubrics/course.yaml` for the late policy.

            ## Set up

            - Linux on x86-64 with Swift \(toolchain) (the version the kit's `bin/grade` and modules were built with; \
            another version cannot load them) and OpenBLAS (`apt-get install libopenblas-dev`). With bubblewrap \
            (`apt-get install bubblewrap`) the check runs your code in the grader's sandbox; without it, unsandboxed.
            - Your code goes in `Solution/Sources/Solution/` (start from `Solution.swift`: every requirement is stubbed \
            with its documentation). Any number of `.swift` files; every one must `import CourseKit`.
            - `Docs/CourseKit.md` documents every type and function of CourseKit; its sources are in `CourseKit/`.

            ## Run and experiment

            In `Solution/`, `swift build` builds your code against CourseKit, and `swift run -c release Experiments` runs \
            `Sources/Experiments/main.swift`, where you can call your solution, time it and print what your report plots.

            ## Self-check

            In `Solution/`, run `../bin/grade --local`. Your `.swift` files (not `Package.swift`, not `Sources/Experiments`, \
            not `Tests`) are built and run on the \(publicCount) public cases in `Cases/`, exactly as the instructor's grader \
            runs them, and nothing is recorded. It exits with 0 when every public case passes, 1 when some fail, 2 when \
            the code does not build and 3 when the check cannot run (a problem of the machine or the kit). `--json` prints \
            the results for scripts. `../bin/grade --local --case <check>/public-<n> --save case.json` writes one case's \
            inputs in full and prints a `Sources/Experiments/main.swift` that replays it on your solution (`SavedCase` in \
            SubmissionRuntime, whose sources are in `CourseKit/`), to run under a debugger.

            ## What counts

            The instructor's grader runs the same public cases and, for each check, hidden cases drawn for you alone: \
            passing every public case does not guarantee full marks. \
            \(hasTraining ? "A model you train is scored on held-out data this kit does not hold: here the check says it trained within its budget, and its score is measured when the instructor grades. " : "")\
            The automatic points are in `Rubrics/\(spec.id).yaml`; the rest of the grade is the written report.

            ## The sandbox

            Your code runs in a sandbox: no network, no file outside the case's data (read-only) and a private `/tmp`, \
            limits on CPU time, memory, processes, output and file size (`limits` in `Rubrics/course.yaml`, a check's \
            `timeout` in `Assignments/\(spec.id).yaml`). A training call has a budget of CPU time, scaled to the speed of \
            the machine that runs it; a run over budget earns nothing. Work done before the call (weights trained \
            elsewhere) cannot help: the hidden data is transformed for each student.

            """
    }

    /// `swift --version`'s version number, or "of this kit" when it cannot be read.
    static func toolchainVersion() -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "of this kit" }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let range = output.range(of: #"Swift version [0-9.]+"#, options: .regularExpression) else { return "of this kit" }
        return String(output[range].dropFirst("Swift version ".count))
    }

    private func write(_ text: String, to url: URL) throws { try write(Data(text.utf8), to: url) }

    private func write(_ data: Data, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .withoutOverwriting)
        } catch {
            throw ServiceFailure(FileErrorText.sentence(error, .writing, path: url.path))
        }
    }

    /// Every regular file below `folder`, relative, sorted, with its size.
    static func listing(of folder: URL) -> [(path: String, bytes: Int)] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey]) else { return [] }
        var files: [(path: String, bytes: Int)] = []
        for case let url as URL in enumerator {
            guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]), values.isRegularFile == true else { continue }
            files.append((String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1)), values.fileSize ?? 0))
        }
        return files.sorted { $0.path < $1.path }
    }
}
