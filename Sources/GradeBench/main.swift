import Foundation
import Grader

// grade-bench: prints what the sandbox costs against an unsandboxed baseline, measured in the same run.
//   swift run -c release grade-bench [--cases N] [--starts N] [--compiles N]

func option(_ name: String, default fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]), value > 0 else {
        return fallback
    }
    return value
}

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let sample = SubmissionFolder(url: repository.appendingPathComponent("Submissions/practical1/alice"))
let state = FileManager.default.temporaryDirectory.appendingPathComponent("grade-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: state) }
let capabilities = SandboxCapabilities.probe()
print("Sandbox layers on this machine:")
for line in capabilities.summary { print("  \(line)") }
let cases = option("--cases", default: 200), starts = option("--starts", default: 30), compiles = option("--compiles", default: 5)
print("Medians over \(cases) cases, \(starts) process starts, \(compiles) compilations of Submissions/practical1/alice; baseline: the same calls in a plain child process.")
do {
    let results = try SandboxBenchmark.run(sources: try sample.sources(), state: state, cases: cases, starts: starts, compiles: compiles)
    func ms(_ seconds: Double) -> String { String(format: "%8.2f ms", seconds * 1000) }
    print("measure                                                  unsandboxed   sandboxed    overhead")
    for result in results {
        print("\(result.name.padding(toLength: 55, withPad: " ", startingAt: 0))  \(ms(result.plain))  \(ms(result.sandboxed))  \(ms(result.overhead))")
    }
} catch {
    FileHandle.standardError.write(Data("grade-bench: \(error)\n".utf8))
    exit(1)
}
