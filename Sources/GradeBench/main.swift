import CourseKit
import Foundation
import CourseDrivers
import Grader
import MachineSpeed
import ReferenceEngine

// grade-bench: benchmarks that print figures.
//   grade-bench sandbox [--cases N] [--starts N] [--compiles N]   the sandbox's cost against an unsandboxed baseline
//   grade-bench mnist [--runs N]                                  one epoch of the reference MLP on MNIST
//   grade-bench cnn [--seconds S] [--samples N] [--runs N]        the reference CNN against the reference MLP in one CPU budget
//   grade-bench training [--practical P] [--ids N] [--load N] [--hidden-only] [--submission DIR]…  a practical's training checks under N student ids
//   grade-bench reference-training [--ids N] [--check ID]… [--slowdown X]      the reference's own CNN and GAN training in practical 3's checks,
//                                                                 against the best of work prepared in advance on the same cases
//   grade-bench speed [--rounds N] [--load N]                     the speed probe that scales training budgets, against the MNIST epoch
//   grade-bench mutants [--practical P]… [--sample P=DIR]… [--jobs N] [--no-training] [--only TEXT]… [--only-file FILE]
//                                                                 single-change mutants of the correct samples, graded: the kill rate
//   grade-bench styles [--ids N]                                  the correct styles and samples under N student ids, training left out
//   grade-bench fair-cases [--seeds N]                            the reference on every case, N seeds per hidden family
// Build with `swift build -c release` for figures worth quoting.

/// Writes a line to standard output at once (unbuffered), so figures appear as they are measured, also in a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func option(_ name: String, default fallback: Int, allowZero: Bool = false) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]), value > 0 || (allowZero && value == 0) else {
        return fallback
    }
    return value
}

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func sandboxBenchmark() throws {
    let sample = SubmissionFolder(url: repository.appendingPathComponent("Submissions/practical1/alice"))
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("grade-bench-\(getpid())")
    defer { try? FileManager.default.removeItem(at: state) }
    say("Sandbox layers on this machine:")
    for line in SandboxCapabilities.probe().summary { say("  \(line)") }
    let cases = option("--cases", default: 200), starts = option("--starts", default: 30), compiles = option("--compiles", default: 5)
    say("Medians over \(cases) cases, \(starts) process starts, \(compiles) compilations of Submissions/practical1/alice; baseline: the same calls in a plain child process.")
    let results = try SandboxBenchmark.run(sources: try sample.sources(), state: state, cases: cases, starts: starts, compiles: compiles)
    func ms(_ seconds: Double) -> String { String(format: "%8.2f ms", seconds * 1000) }
    say("measure                                                  unsandboxed   sandboxed    overhead")
    for result in results {
        say("\(result.name.padding(toLength: 55, withPad: " ", startingAt: 0))  \(ms(result.plain))  \(ms(result.sandboxed))  \(ms(result.overhead))")
    }
}

/// Busy processes beside a benchmark (`--load N`): shell loops that each keep a CPU busy until the benchmark ends.
func busyProcesses() -> [Process] {
    (0..<option("--load", default: 0, allowZero: true)).map { _ in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "while :; do :; done"]
        try? process.run()
        return process
    }
}

func stop(_ processes: [Process]) {
    for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
}

/// The speed probe (`SpeedProbe`) against the reference MLP's MNIST epoch, alternated: if the probe tracks
/// the machine's speed, their ratio stays put while both move. (The epoch uses OpenBLAS's two threads and
/// the probe one, so the ratio is a check, not a calibration: `SpeedProbe.referenceSeconds` is calibrated
/// with `grade-bench reference-training --slowdown X`.) With `--series`, the probe alone, five runs a line.
func speedBenchmark() throws {
    let load = busyProcesses()
    defer { stop(load) }
    say("Speed probe: reference \(String(format: "%.4f", SpeedProbe.referenceSeconds)) s of CPU time per run; \(load.count) busy processes beside it.")
    if CommandLine.arguments.contains("--series") {
        // The probe's own steadiness: --rounds lines of five runs each.
        for _ in 0..<option("--rounds", default: 20) { say(SpeedProbe.workloadSeconds(runs: 5).map { String(format: "%.4f", $0) }.joined(separator: " ")) }
        return
    }
    let mnist = CourseLayout(root: repository).dataURL("mnist")
    let train = try TrainingData.load(images: mnist.appendingPathComponent("train-images-idx3-ubyte.gz"), labels: mnist.appendingPathComponent("train-labels-idx1-ubyte.gz"))
    var ratios: [Double] = [], slowdowns: [Double] = []
    for round in 1...option("--rounds", default: 3) {
        let probe = SpeedProbe.workloadSeconds(runs: 5)
        var plan = ReferencePractical2.TrainingPlan()
        plan.epochs = 1
        let started = SpeedProbe.threadCPUSeconds(), wall = ContinuousClock.now
        _ = ReferencePractical2().train(train, hints: ArchitectureHints(inputs: 784, classes: 10, hiddenSizes: [128], seed: UInt64(round)), seconds: 3600, plan: plan)
        let epochCPU = SpeedProbe.threadCPUSeconds() - started, epochWall = wall.duration(to: .now).inSeconds
        let median = SandboxBenchmark.median(probe)
        ratios.append(median / epochWall)
        slowdowns.append(median / SpeedProbe.referenceSeconds)
        say(String(format: "  round %d: probe runs %@ s (median %.4f, slowdown %.2f); MNIST epoch %.3f s wall, %.3f s CPU of this thread; probe/epoch %.4f",
                   round, probe.map { String(format: "%.4f", $0) }.joined(separator: " "), median, median / SpeedProbe.referenceSeconds,
                   epochWall, epochCPU, median / epochWall))
    }
    say(String(format: "median slowdown %.2f; probe/epoch ratio median %.4f, from %.4f to %.4f",
               SandboxBenchmark.median(slowdowns), SandboxBenchmark.median(ratios), ratios.min() ?? .nan, ratios.max() ?? .nan))
}

func mnistBenchmark() throws {
    let mnist = CourseLayout(root: repository).dataURL("mnist")
    let loadStart = ContinuousClock.now
    let train = try TrainingData.load(images: mnist.appendingPathComponent("train-images-idx3-ubyte.gz"), labels: mnist.appendingPathComponent("train-labels-idx1-ubyte.gz"))
    let test = try TrainingData.load(images: mnist.appendingPathComponent("t10k-images-idx3-ubyte.gz"), labels: mnist.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
    say(String(format: "Loaded MNIST (%d training, %d test images) in %.2f s.", train.inputs.rows, test.inputs.rows, loadStart.duration(to: .now).inSeconds))
    say("Reference MLP 784-128-10, ReLU, softmax cross-entropy, Adam 1e-3, batch 64, one epoch over all training images, Double, OpenBLAS.")
    var plan = ReferencePractical2.TrainingPlan()
    plan.epochs = 1
    let data = train
    var times: [Double] = [], accuracies: [Double] = []
    for run in 0..<option("--runs", default: 3) {
        let hints = ArchitectureHints(inputs: 784, classes: 10, hiddenSizes: [128], seed: UInt64(run + 1))
        let started = ContinuousClock.now
        let layers = ReferencePractical2().train(data, hints: hints, seconds: 3600, plan: plan)
        times.append(started.duration(to: .now).inSeconds)
        accuracies.append(ReferencePractical2.accuracy(layers, inputs: test.inputs, labels: test.labels))
        say(String(format: "  run %d: %.3f s per epoch, test accuracy %.2f%%", run + 1, times.last!, 100 * accuracies.last!))
    }
    say(String(format: "median: %.3f s per epoch, test accuracy %.2f%%", SandboxBenchmark.median(times), 100 * SandboxBenchmark.median(accuracies)))
}

/// Practical 3's lesson in figures: the reference CNN and the reference MLP of practical 2, each trained on the
/// same MNIST subset within the same budget, scored on the 10,000 test images.
func cnnBenchmark() throws {
    let mnist = CourseLayout(root: repository).dataURL("mnist")
    let train = try TrainingData.load(images: mnist.appendingPathComponent("train-images-idx3-ubyte.gz"), labels: mnist.appendingPathComponent("train-labels-idx1-ubyte.gz"))
    let test = try TrainingData.load(images: mnist.appendingPathComponent("t10k-images-idx3-ubyte.gz"), labels: mnist.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
    let seconds = Double(option("--seconds", default: 10)), samples = min(option("--samples", default: 20_000), train.inputs.rows)
    let data = train.subset(Array(0..<samples))
    let reference = ReferencePractical3()
    var rng = SeededGenerator(seed: 1)
    say("Convolution of the reference (im2col and one GEMM, Double, OpenBLAS), medians of --runs runs; compare with bench/torch_cnn.py:")
    for (shape, filters) in [([32, 1, 28, 28], 8), ([32, 8, 14, 14], 16)] {
        let x = ImageBatch(count: shape[0], channels: shape[1], height: shape[2], width: shape[3],
                           storage: (0..<shape.reduce(1, *)).map { _ in rng.nextUniform() })
        let layer = ConvolutionLayer.random(filters: filters, channels: shape[1], kernelSize: 3, padding: 1, using: &rng)
        let g = reference.convolutionForward(x, layer: layer).map { _ in rng.nextGaussian() }
        func timed(_ repeats: Int, _ body: () -> Void) -> Double {
            let started = ContinuousClock.now
            for _ in 0..<repeats { body() }
            return started.duration(to: .now).inSeconds / Double(repeats)
        }
        let runs = option("--runs", default: 3)
        let forward = SandboxBenchmark.median((0..<runs).map { _ in timed(50) { _ = reference.convolutionForward(x, layer: layer) } })
        let both = SandboxBenchmark.median((0..<runs).map { _ in timed(20) {
            _ = reference.convolutionForward(x, layer: layer)
            _ = reference.convolutionBackward(x, layer: layer, outputGradient: g)
        } })
        say(String(format: "  conv %@ * %d×%d×3×3: forward %.3f ms, forward + backward %.3f ms", Tensor.describe(shape), filters, shape[1], 1000 * forward, 1000 * both))
    }
    let epochStart = ContinuousClock.now
    _ = reference.train(data, hints: ImageHints(channels: 1, height: 28, width: 28, classes: 10, seed: 1), seconds: 3600, epochs: 1)
    say(String(format: "  one epoch of the reference CNN over %d images: %.2f s", samples, epochStart.duration(to: .now).inSeconds))
    say("Reference CNN (8 and 16 filters of 3×3, max pooling, softmax) against the reference MLP 784-128-10, \(samples) training images, \(Int(seconds)) s budget each; test accuracy on 10,000 images.")
    var cnn: [Double] = [], mlp: [Double] = []
    for run in 0..<option("--runs", default: 3) {
        let seed = UInt64(run + 1)
        let timer = CPUTimer()
        let network = ReferencePractical3().train(data, hints: ImageHints(channels: 1, height: 28, width: 28, classes: 10, seed: seed), seconds: seconds)
        let cnnSeconds = timer.elapsedSeconds
        let images = ImageBatch(rows: test.inputs, channels: 1, height: 28, width: 28)
        var correct = 0
        for start in stride(from: 0, to: images.count, by: 500) {
            let rows = min(500, images.count - start)
            let slice = ImageBatch(count: rows, channels: 1, height: 28, width: 28, storage: Array(images.storage[(start * 784)..<((start + rows) * 784)]))
            let predictions = ReferencePractical3().predict(network, input: slice)
            for row in 0..<rows where predictions.row(row).storage.indices.max(by: { predictions[row, $0] < predictions[row, $1] }) == test.labels[start + row] { correct += 1 }
        }
        cnn.append(Double(correct) / Double(images.count))
        let mlpTimer = CPUTimer()
        let layers = ReferencePractical2().train(data, hints: ArchitectureHints(inputs: 784, classes: 10, hiddenSizes: [128], seed: seed), seconds: seconds)
        let mlpSeconds = mlpTimer.elapsedSeconds
        mlp.append(ReferencePractical2.accuracy(layers, inputs: test.inputs, labels: test.labels))
        say(String(format: "  run %d: CNN %.2f%% (%.1f s CPU), MLP %.2f%% (%.1f s CPU)", run + 1, 100 * cnn.last!, cnnSeconds, 100 * mlp.last!, mlpSeconds))
    }
    say(String(format: "median: CNN %.2f%%, MLP %.2f%%", 100 * SandboxBenchmark.median(cnn), 100 * SandboxBenchmark.median(mlp)))
}

/// Every value following `name` on the command line.
func options(_ name: String) -> [String] {
    let arguments = CommandLine.arguments
    return arguments.indices.dropLast().filter { arguments[$0] == name }.map { arguments[$0 + 1] }
}

/// `assignment` opened for a bench, or nil with a line saying why it is skipped (the quiz bank, a spec with problems).
func openOrSay(_ assignment: String, in layout: CourseLayout) -> OpenedAssignment? {
    do { return try PracticalRegistry.course.open(assignment, in: layout, requireRubric: true) } catch {
        say("\(assignment): skipped, it cannot be opened as a practical: \(error)")
        return nil
    }
}

/// The `.swift` files of `source` as the submission of student `id`, in a fresh folder under `scratch`.
func submission(_ source: URL, as id: String, under scratch: URL) throws -> SubmissionFolder {
    let folder = scratch.appendingPathComponent("submissions/\(id)")
    try? FileManager.default.removeItem(at: folder)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for file in try FileManager.default.contentsOfDirectory(atPath: source.path) where file.hasSuffix(".swift") {
        try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
    }
    return SubmissionFolder(url: folder)
}

/// A practical's training checks (`--practical`, practical 2 by default) graded as they are for real
/// (sandbox, CPU-time budget, per-student data) for each submission under `--ids` student ids,
/// optionally with `--load` busy processes beside it: each score's spread across ids, and each case's
/// verdict and points.
func trainingBenchmark() throws {
    let assignment = options("--practical").first ?? "practical2"
    let opened = try PracticalRegistry.course.open(assignment, in: CourseLayout(root: repository), requireRubric: true)
    try trainingBenchmark(opened.driver, loaded: opened.loaded, assignment: assignment)
}

func trainingBenchmark<Driver: PracticalDriver>(_: Driver.Type, loaded: LoadedAssignment, assignment: String) throws {
    let layout = CourseLayout(root: repository)
    let hiddenOnly = CommandLine.arguments.contains("--hidden-only")
    // `--hidden-only` grades each student's hidden cases alone: half the time, and the cases that carry the points.
    var spec = loaded.spec.keepingChecks { $0.kind == .training }
    if hiddenOnly {
        for t in spec.tasks.indices { for c in spec.tasks[t].checks.indices { spec.tasks[t].checks[c].publicCases = [] } }
    }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("grade-bench-training-\(getpid())")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let secret = try InstructorSecret(hex: "5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee0001", origin: "the benchmark's fixed secret")
    let grader = try AssignmentGrader(spec: spec, rubric: loaded.rubric, secret: secret,
                                      driver: Driver(context: DriverContext(course: layout, dataFolder: scratch.appendingPathComponent("data"))),
                                      stateFolder: scratch.appendingPathComponent("state"))
    try grader.preflight()
    let submissions = options("--submission").map { URL(fileURLWithPath: $0) }
    let folders = submissions.isEmpty ? [repository.appendingPathComponent("Submissions/\(assignment)/alice")] : submissions
    let ids = (1...option("--ids", default: 20)).map { "student-\($0)" }
    let load = busyProcesses()
    defer { stop(load) }
    say("\(assignment)'s training checks (\(spec.allChecks.map(\.1.id).joined(separator: ", "))) under \(ids.count) student ids, \(load.count) busy processes beside it.")
    for source in folders {
        var accuracies: [String: [Double]] = [:], verdicts: [String: [String: Int]] = [:], points: [Double] = [], perStudent: [Double] = []
        for id in ids {
            let report = grader.grade(try submission(source, as: id, under: scratch))
            points.append(report.points)
            let measured = report.checks.flatMap(\.cases).compactMap(\.measurement)
            if !measured.isEmpty { perStudent.append(measured.reduce(0, +) / Double(measured.count)) }
            for check in report.checks {
                for result in check.cases {
                    let label = "\(check.checkID) \(result.label)"
                    if let accuracy = result.measurement { accuracies[label, default: []].append(accuracy) }
                    verdicts[label, default: [:]][result.verdict.rawValue, default: 0] += 1
                    say("  \(source.lastPathComponent) as \(id), \(label): \(result.verdict.rawValue), \(result.message.isEmpty ? "-" : result.message)")
                }
            }
        }
        say("\(source.lastPathComponent): points \(Feedback.number(points.min() ?? .nan))–\(Feedback.number(points.max() ?? .nan))")
        func spread(_ values: [Double]) -> String {
            let mean = values.reduce(0, +) / Double(values.count)
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(values.count - 1, 1))).squareRoot()
            return String(format: "score min %.2f%%, median %.2f%%, max %.2f%%, range %.2f points, sd %.2f points",
                          100 * (values.min() ?? .nan), 100 * SandboxBenchmark.median(values), 100 * (values.max() ?? .nan),
                          100 * ((values.max() ?? .nan) - (values.min() ?? .nan)), 100 * deviation)
        }
        for (label, values) in accuracies.sorted(by: { $0.key < $1.key }) {
            say("  \(label): \(spread(values)); verdicts "
                  + (verdicts[label] ?? [:]).sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        // The credit follows each case's score linearly and a check's points are their mean: what a student's points follow.
        if !perStudent.isEmpty { say("  per student (mean over the cases scored): \(spread(perStudent))") }
    }
}

/// The reference's own `train` and `trainGAN` in practical 3's training checks, in process (no sandbox),
/// under `--ids` hidden seeds: each case's score and credit, and the share of seeds with full credit
/// (the fairness rate of a check whose answer takes its whole budget, which the fairness sweep skips).
func referenceTrainingBenchmark() throws {
    let layout = CourseLayout(root: repository)
    let loaded = try Practical3Driver.load("practical3", from: layout, requireRubric: true)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("grade-bench-reference-\(getpid())")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let driver = Practical3Driver(context: DriverContext(course: layout, dataFolder: scratch))
    try driver.preflight(loaded.spec)
    let only = options("--check")
    let checks = loaded.spec.allChecks.map(\.1).filter { $0.kind == .training && (only.isEmpty || only.contains($0.id)) }
    let ids = option("--ids", default: 20)
    let fixedSlowdown = options("--slowdown").first.flatMap(Double.init)
    for check in checks {
        guard let recipe = check.hidden?.recipes.first ?? check.publicCases.first else { continue }
        var scores: [Double] = [], preparedScores: [Double] = [], full = 0
        for id in 1...ids {
            let prepared = try driver.prepareCase(for: check, recipe: recipe, seed: UInt64(id), privateSeed: UInt64(id) &* 0x9E37_79B9_7F4A_7C15)
            defer { driver.release(prepared) }
            // The budget stretched as the grader stretches it, or by a fixed --slowdown (to calibrate SpeedProbe.referenceSeconds).
            let referenceSeconds = prepared.evidence.first(TrainingCheck.Evidence.self)?.seconds ?? 10
            let budget = fixedSlowdown.map { MachineBudget(referenceSeconds: referenceSeconds, slowdown: $0) } ?? MachineBudget.measure(referenceSeconds: referenceSeconds)
            let timer = CPUTimer()
            let answer = driver.withBudget(prepared.call, seconds: budget.seconds).perform(on: ReferencePractical3())
            let seconds = timer.elapsedSeconds
            let judgement = driver.judge(answer, reference: driver.referenceAnswer(for: prepared), for: prepared, check: check,
                                         tolerance: check.effectiveTolerance(loaded.spec.defaults), disclosure: .full, cpuSeconds: seconds,
                                         slowdown: budget.slowdown)
            scores.append(judgement.measurement ?? .nan)
            if judgement.credit >= 1 { full += 1 }
            // The best that work prepared in advance can do on the same case (`PreparedInAdvance.swift`).
            let advance = try driver.preparedNetworkScore(prepared) ?? driver.ringFitScore(prepared)
            if let advance { preparedScores.append(advance) }
            say("  \(check.id) seed \(id): credit \(Feedback.number((judgement.credit * 1000).rounded() / 1000)), \(judgement.message)"
                + (advance.map { String(format: "; prepared in advance: %.3f", $0) } ?? ""))
        }
        say(String(format: "%@: full credit on %d of %d seeds (%.1f%%); score min %.3f, median %.3f, max %.3f", check.id, full, ids,
                   100 * Double(full) / Double(ids), scores.min() ?? .nan, SandboxBenchmark.median(scores), scores.max() ?? .nan))
        if !preparedScores.isEmpty {
            say(String(format: "%@: prepared in advance, score min %.3f, median %.3f, max %.3f", check.id,
                       preparedScores.min() ?? .nan, SandboxBenchmark.median(preparedScores), preparedScores.max() ?? .nan))
        }
    }
}

/// Every case each practical can give, answered by the reference (`FairnessSweep`), under `--seeds` seeds per
/// hidden family (200 by default; `FairCasesTests` sweeps 50): how many cases were judged and every unfair one.
/// Exits 1 when one is unfair.
func fairCasesBenchmark() throws -> Bool {
    let layout = CourseLayout(root: repository)
    let seeds = UInt64(option("--seeds", default: 200))
    var fair = true
    for assignment in layout.assignmentIDs() {
        guard let opened = openOrSay(assignment, in: layout) else { continue }
        let started = ContinuousClock.now
        let outcome = try FairnessSweep.run(opened, course: layout, seeds: seeds)
        say(String(format: "%@: %d cases judged (%d seeds per hidden family), %d unfair, %.1f s", assignment, outcome.judged, Int(seeds),
                   outcome.unfair.count, started.duration(to: .now).inSeconds))
        for line in outcome.unfair.prefix(20) { say("  unfair: \(line)") }
        fair = fair && outcome.unfair.isEmpty
    }
    return fair
}

/// The correct styles of `Tests/GraderTests/Fixtures/Styles` and each practical's correct sample (alice), graded
/// without the training checks under `--ids` student ids (20 by default; `StyleSweepTests` grades four):
/// how many ids give full marks, and every case lost. Exits 1 when a style loses a point.
func stylesBenchmark() throws -> Bool {
    let layout = CourseLayout(root: repository)
    let ids = (1...option("--ids", default: 20)).map { "student-\($0)" }
    let fixtures = repository.appendingPathComponent("Tests/GraderTests/Fixtures/Styles")
    var full = true
    for assignment in layout.assignmentIDs() {
        guard let opened = openOrSay(assignment, in: layout) else { continue }
        let styles = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent(assignment).path)) ?? [])
            .filter { $0.hasPrefix("correct-") }.sorted().map { fixtures.appendingPathComponent("\(assignment)/\($0)") }
            + [layout.submissionsURL(assignment).appendingPathComponent("alice")]
        full = try stylesBenchmark(opened.driver, loaded: opened.loaded, styles: styles, ids: ids) && full
    }
    return full
}

func stylesBenchmark<Driver: PracticalDriver>(_: Driver.Type, loaded: LoadedAssignment, styles: [URL], ids: [String]) throws -> Bool {
    let layout = CourseLayout(root: repository)
    let assignment = loaded.spec.id
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("grade-bench-styles-\(getpid())")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let grader = try AssignmentGrader(spec: loaded.spec.keepingChecks { $0.kind != .training }, rubric: loaded.rubric,
                                      secret: try InstructorSecret(hex: "5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee5eed0fc0ffee0001",
                                                                   origin: "the benchmark's fixed secret"),
                                      driver: Driver(context: DriverContext(course: layout, dataFolder: scratch.appendingPathComponent("data"))),
                                      stateFolder: scratch.appendingPathComponent("state"))
    try grader.preflight()
    var full = true
    for style in styles {
        var fullMarks = 0
        let started = ContinuousClock.now
        for id in ids {
            let report = grader.grade(try submission(style, as: id, under: scratch))
            if report.status == .graded && report.points == report.maxPoints { fullMarks += 1; continue }
            for check in report.checks { for lost in check.cases where !lost.verdict.isAccepted { say("  \(style.lastPathComponent) as \(id), \(check.checkID) \(lost.label): \(lost.message)") } }
        }
        say(String(format: "%@ %@: full marks under %d of %d ids (training checks left out), %.1f s", assignment, style.lastPathComponent,
                   fullMarks, ids.count, started.duration(to: .now).inSeconds))
        full = full && fullMarks == ids.count
    }
    return full
}

do {
    switch CommandLine.arguments.dropFirst().first {
    case "fair-cases": if try !fairCasesBenchmark() { exit(1) }
    case "styles": if try !stylesBenchmark() { exit(1) }
    case "training": try trainingBenchmark()
    case "reference-training": try referenceTrainingBenchmark()
    case "mutants":
        var samples: [String: [String]] = [:]
        for pair in options("--sample") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw CommandFailure("--sample takes PRACTICAL=FOLDER, not '\(pair)'") }
            samples[parts[0], default: []].append(parts[1])
        }
        let practicals = options("--practical")
        let met = try MutationReport.run(repository: repository, practicals: practicals.isEmpty ? CourseLayout(root: repository).assignmentIDs() : practicals,
                                         samples: samples, jobs: option("--jobs", default: 1),
                                         skipTraining: CommandLine.arguments.contains("--no-training"), only: options("--only") + (try options("--only-file").flatMap { file in
                                             try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
                                         }))
        if !met { exit(1) }
    case "sandbox": try sandboxBenchmark()
    case "mnist": try mnistBenchmark()
    case "cnn": try cnnBenchmark()
    case "speed": try speedBenchmark()
    default:
        FileHandle.standardError.write(Data("usage: grade-bench sandbox|mnist|cnn|speed|training|reference-training|mutants|styles|fair-cases [options]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("grade-bench: \(error)\n".utf8))
    exit(1)
}
