// swift-tools-version:6.0
import PackageDescription

/// Whole-module optimisation for the numerical targets, in debug builds too.
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "grade",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "grade", targets: ["grade"]),
        // The `grade` of a student's kit: the self-check on stored public cases, without the reference engine.
        .executable(name: "grade-student", targets: ["grade-student"]),
        .executable(name: "grade-bench", targets: ["grade-bench"]),
        // What a compiled submission links against: CourseKit and the wire protocol, nothing else.
        .library(name: "SubmissionKit", type: .dynamic, targets: ["CourseKit", "SubmissionRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    ],
    targets: [
        // OpenBLAS's cblas.h (Debian's libopenblas-dev).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", providers: [.apt(["libopenblas-dev"])]),
        // The API students import: vectors, matrices, objectives, a seeded RNG and one protocol per practical.
        // Optimised in every configuration: the grader computes reference answers and scores networks with
        // them, and a debug build's unoptimised loops would make a CNN case take minutes.
        .target(name: "CourseKit", dependencies: ["CBLAS"], swiftSettings: optimised),
        // The instructor's implementation of every task, organised by course topic.
        .target(name: "ReferenceEngine", dependencies: ["CourseKit"], swiftSettings: optimised),
        // The wire protocol between grader and submission, and `serve` that answers it with student code.
        .target(name: "SubmissionRuntime", dependencies: ["CourseKit"]),
        // zlib's zlib.h (Debian's zlib1g-dev), to read gzip'd data sets.
        .systemLibrary(name: "CZlibShim", path: "Sources/CZlibShim", providers: [.apt(["zlib1g-dev"])]),
        // The one rule for showing text a submission produced (control and bidirectional characters escaped), and
        // the one way a failed file operation is told to a person (FileErrorText).
        .target(name: "SafeText"),
        // What a grading produces, as the grader reports it and the gradebook stores it: verdicts, statuses, run modes.
        .target(name: "Outcomes"),
        // posix_spawn and pipe helpers that Glibc's Swift overlay does not expose.
        .target(name: "CProcessSupport"),
        // libseccomp's seccomp.h (Debian's libseccomp-dev), to build the sandbox's system-call filter.
        .systemLibrary(name: "CSeccomp", path: "Sources/CSeccomp", providers: [.apt(["libseccomp-dev"])]),
        // How fast the CPU is now against the course's reference machine, for training budgets (optimised in every build).
        .target(name: "MachineSpeed", swiftSettings: optimised),
        // Figures of graded cases as data (charts, heat maps, image grids) and their drawing as inline SVG.
        .target(name: "Figures", dependencies: [.product(name: "Plot", package: "Plot")]),
        // Specs, rubrics, each practical's rules, building and running submissions, checks and scoring, and
        // judging stored public cases: everything but the reference engine, so a student's kit can hold it.
        .target(
            name: "Grader",
            dependencies: [
                "CourseKit", "SubmissionRuntime", "MachineSpeed", "CProcessSupport", "CSeccomp", "CZlibShim", "SafeText", "Outcomes", "Figures",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        // The course's drivers: each practical's cases drawn and answered by the reference engine, and the
        // registry of them (`PracticalRegistry.course`), for the instructor's grader only.
        .target(name: "CourseDrivers", dependencies: ["Grader", "CourseKit", "ReferenceEngine", "SubmissionRuntime"]),
        // The SQLite gradebook: records, migrations, queries and CSV export.
        .target(name: "Gradebook", dependencies: ["SafeText", "Outcomes", .product(name: "GRDB", package: "GRDB.swift")]),
        // What a student's self-check calls: the check of a folder on the public cases, its JSON document and a
        // saved case's replay. No gradebook, archive or parser: a student kit links it.
        .target(
            name: "StudentServices",
            dependencies: ["Grader", "Outcomes", "SafeText", .product(name: "Logging", package: "swift-log")]
        ),
        // What the instructor's commands call: a grading run recorded in the gradebook, the
        // course's records (grades, marks, extensions) read from and written to the gradebook, Moodle's archives and worksheets,
        // and what students are handed (a practical's starter, made from CourseKit's source).
        .target(
            name: "GradeServices",
            dependencies: [
                "Grader", "Gradebook", "Outcomes", "SafeText", "Figures", "StudentServices",
                .product(name: "Plot", package: "Plot"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
            ]
        ),
        // The student's command (`grade --local` in a kit) and what every command shares: where diagnostics
        // go, which course folder, which registry.
        .target(
            name: "StudentCLI",
            dependencies: [
                "Grader", "SafeText", "StudentServices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The `grade` commands, one file per subcommand: they parse, call a service and print.
        .target(
            name: "GradeCLI",
            dependencies: [
                "Grader", "Gradebook", "GradeServices", "Outcomes", "SafeText", "StudentServices", "StudentCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The `grade` executable: hands the command line to GradeCLI, with the course's drivers.
        .executableTarget(name: "grade", dependencies: ["GradeCLI", "StudentCLI", "CourseDrivers", "Grader"]),
        // The `grade` of a student's kit: the self-check on the kit's stored public cases. It links neither the
        // gradebook (GRDB), nor archives (ZIPFoundation), nor swift-syntax, nor anything that depends on ReferenceEngine.
        .executableTarget(name: "grade-student", dependencies: ["StudentCLI"], path: "Sources/grade-student"),
        // Single-change mutants of a Swift source (flipped signs, swapped operands, dropped factors, off-by-one
        // bounds, reversed conditions), made on SwiftParser's tree, and the benchmark that grades them.
        .target(
            name: "Mutation",
            dependencies: [
                "Grader",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftOperators", package: "swift-syntax"),
            ]
        ),
        // Benchmarks that print figures: the sandbox's overhead, MNIST training, and the mutation benchmark.
        .executableTarget(
            name: "grade-bench",
            dependencies: ["Grader", "CourseDrivers", "ReferenceEngine", "CourseKit", "Mutation", "MachineSpeed"],
            path: "Sources/GradeBench"
        ),

        .testTarget(name: "CourseKitTests", dependencies: ["CourseKit"]),
        .testTarget(
            name: "ReferenceEngineTests",
            dependencies: ["ReferenceEngine", .product(name: "Numerics", package: "swift-numerics")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SubmissionRuntimeTests", dependencies: ["SubmissionRuntime"]),
        .testTarget(name: "SafeTextTests", dependencies: ["SafeText"]),
        // Reading drawings back in tests: elements, attributes, and the data a series plots.
        .target(name: "FiguresTestSupport", path: "Tests/FiguresTestSupport"),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "FiguresTestSupport"]),
        // The suite's tiers (unit, integration, timing) and how each shares the machine.
        .target(name: "TestTiers", path: "Tests/TestTiers"),
        .testTarget(name: "MutationTests", dependencies: ["Mutation", "Grader", "CourseDrivers", "TestTiers"]),
        .testTarget(name: "GraderTests", dependencies: ["Grader", "CourseDrivers", "Outcomes", "ReferenceEngine", "SubmissionRuntime", "MachineSpeed", "TestTiers"], exclude: ["Fixtures"]),
        .testTarget(name: "GradebookTests", dependencies: ["Gradebook", "Outcomes", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "GradeServicesTests", dependencies: [
            "GradeServices", "Grader", "CourseDrivers", "Gradebook", "Outcomes", "SubmissionRuntime", "TestTiers", "StudentServices",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "GradeCLITests", dependencies: ["GradeCLI", "CourseDrivers", "Grader", "CourseKit", "Outcomes", "Figures", "FiguresTestSupport",
                                                          "GradeServices", "Gradebook", "SubmissionRuntime", "TestTiers", "StudentServices", "StudentCLI"]),
    ]
)
