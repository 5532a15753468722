import Foundation

/// The program that replays a case saved by `grade --local --case <check>/public-<n> --save FILE` on the
/// student's solution, as that command prints it.
///
/// In a student's kit it is a whole `Solution/Sources/Experiments/main.swift`: the kit's manifest lets
/// Experiments import CourseKit, SubmissionRuntime and (with `@testable`) the solution. Elsewhere it is
/// what to add to a program that has CourseKit, SubmissionRuntime and the solution.
public enum SavedCaseReplay {
    /// The program replaying the case in `file` (an absolute path, so that it runs from any folder or
    /// debugger), whose call is a `callType` (`Practical1Call`).
    public static func program(callType: String, file: String, inKit: Bool) -> String {
        """
        import CourseKit
        import SubmissionRuntime
        \(inKit ? "@testable import Solution\n" : "")
        let saved = try SavedCase<\(callType)>.load(from: \(literal(file)))
        print(saved.check, saved.label, saved.inputs)
        let answer = saved.call.perform(on: Solution())   // exactly what the grader received from you
        print(answer)

        """
    }

    /// How to run the program: where it goes and the command.
    public static func instructions(inKit: Bool) -> String {
        inKit
            ? "Replay it on your solution: put this program in Solution/Sources/Experiments/main.swift (in place of what is there), "
                + "then run `swift run Experiments` in Solution/ (or run Experiments under a debugger, with a breakpoint in your code):"
            : "Replay it on your solution (under a debugger, if you like) in a program that depends on CourseKit and SubmissionRuntime:"
    }

    /// `text` as a Swift string literal.
    private static func literal(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
