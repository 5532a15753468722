import Foundation
@testable import Gradebook
import Outcomes

/// Runs, submissions and paths shared by the gradebook tests.
enum Fixtures {
    /// A fresh path in a folder that does not exist yet.
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gradebook-\(UUID().uuidString)/gradebook.sqlite").path
    }

    /// Removes the folder `temporaryPath()` made for `path`.
    static func removeFolder(of path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    static let startedAt = Date(timeIntervalSince1970: 1_790_000_000)

    static func run(_ assignment: String = "practical1", spec: String = "spec-1", version: String = "1.0.0") -> GradingRunInfo {
        GradingRunInfo(assignmentID: assignment, assignmentTitle: "Practical \(assignment.last!)", graderVersion: version,
                       specHash: spec, startedAt: startedAt, mode: .full)
    }

    static let cases = [
        CaseResult(checkID: "newton-trajectory", caseLabel: "public 1", isHidden: false, verdict: .accepted,
                   points: 1, maxPoints: 1, message: "", durationSeconds: 0.01),
        CaseResult(checkID: "newton-trajectory", caseLabel: "hidden 1", isHidden: true, verdict: .wrongAnswer,
                   points: 0, maxPoints: 1, message: "x_1 differs: expected 0.5, got 0.25", durationSeconds: 0.02),
    ]

    static func submission(_ student: String, points: Double, name: String? = "Alice Martin", hash: String = "abc",
                           assignment: String = "practical1", tasks: [TaskScore]? = nil) -> GradedSubmission {
        GradedSubmission(studentID: student, studentName: name, studentEmail: name == nil ? nil : "\(student)@example.edu",
                         assignmentID: assignment, sourceHash: hash, submittedAt: Date(timeIntervalSince1970: 1_789_000_000),
                         status: .graded, points: points, maxPoints: 16,
                         tasks: tasks ?? [TaskScore(taskID: "newton", points: points / 4, maxPoints: 4),
                                          TaskScore(taskID: "gradient-descent", points: 1, maxPoints: 4)],
                         cases: cases, feedback: "feedback text")
    }
}
