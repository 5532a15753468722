import CourseKit
import Foundation
import Grader
import ReferenceEngine

// grade-bench: benchmarks that print figures.
//   grade-bench sandbox [--cases N] [--starts N] [--compiles N]   the sandbox's cost against an unsandboxed baseline
//   grade-bench mnist [--runs N]                                  one epoch of the reference MLP on MNIST
// Build with `swift build -c release` for figures worth quoting.

func option(_ name: String, default fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]), value > 0 else {
        return fallback
    }
    return value
}

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func sandboxBenchmark() throws {
    let sample = SubmissionFolder(url: repository.appendingPathComponent("Submissions/practical1/alice"))
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("grade-bench-\(getpid())")
    defer { try? FileManager.default.removeItem(at: state) }
    print("Sandbox layers on this machine:")
    for line in SandboxCapabilities.probe().summary { print("  \(line)") }
    let cases = option("--cases", default: 200), starts = option("--starts", default: 30), compiles = option("--compiles", default: 5)
    print("Medians over \(cases) cases, \(starts) process starts, \(compiles) compilations of Submissions/practical1/alice; baseline: the same calls in a plain child process.")
    let results = try SandboxBenchmark.run(sources: try sample.sources(), state: state, cases: cases, starts: starts, compiles: compiles)
    func ms(_ seconds: Double) -> String { String(format: "%8.2f ms", seconds * 1000) }
    print("measure                                                  unsandboxed   sandboxed    overhead")
    for result in results {
        print("\(result.name.padding(toLength: 55, withPad: " ", startingAt: 0))  \(ms(result.plain))  \(ms(result.sandboxed))  \(ms(result.overhead))")
    }
}

func mnistBenchmark() throws {
    let mnist = CourseLayout(root: repository).mnistURL
    let loadStart = ContinuousClock.now
    let train = try DigitSet.load(images: mnist.appendingPathComponent("train-images-idx3-ubyte.gz"), labels: mnist.appendingPathComponent("train-labels-idx1-ubyte.gz"))
    let test = try DigitSet.load(images: mnist.appendingPathComponent("t10k-images-idx3-ubyte.gz"), labels: mnist.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
    print(String(format: "Loaded MNIST (%d training, %d test images) in %.2f s.", train.images.rows, test.images.rows, loadStart.duration(to: .now).inSeconds))
    print("Reference MLP 784-128-10, ReLU, softmax cross-entropy, Adam 1e-3, batch 64, one epoch over all training images, Double, OpenBLAS.")
    var plan = ReferencePractical2.TrainingPlan()
    plan.epochs = 1
    let data = TrainingData(inputs: train.images, labels: train.labels)
    var times: [Double] = [], accuracies: [Double] = []
    for run in 0..<option("--runs", default: 3) {
        let hints = ArchitectureHints(inputs: 784, classes: 10, hiddenSizes: [128], seed: UInt64(run + 1))
        let started = ContinuousClock.now
        let layers = ReferencePractical2().train(data, hints: hints, seconds: 3600, plan: plan)
        times.append(started.duration(to: .now).inSeconds)
        accuracies.append(ReferencePractical2.accuracy(layers, inputs: test.images, labels: test.labels))
        print(String(format: "  run %d: %.3f s per epoch, test accuracy %.2f%%", run + 1, times.last!, 100 * accuracies.last!))
    }
    print(String(format: "median: %.3f s per epoch, test accuracy %.2f%%", SandboxBenchmark.median(times), 100 * SandboxBenchmark.median(accuracies)))
}

do {
    switch CommandLine.arguments.dropFirst().first {
    case "sandbox": try sandboxBenchmark()
    case "mnist": try mnistBenchmark()
    default:
        FileHandle.standardError.write(Data("usage: grade-bench sandbox|mnist [options]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("grade-bench: \(error)\n".utf8))
    exit(1)
}
