import Foundation
import Grader
import Outcomes

/// The documents `--json` prints, for scripts: `grade --local` here, `grade <practical>` and `grade final`
/// in GradeServices.
///
/// Keys are stable and sorted; numbers are plain JSON numbers (points unrounded); every string a
/// submission produced (messages, compiler output) is escaped by the JSON encoder, control characters included.
public enum ResultsJSON {
    /// One case's result.
    public struct Case: Encodable, Equatable {
        public var label: String
        public var hidden: Bool
        public var verdict: String
        public var accepted: Bool
        public var message: String
        /// The inputs in words (public cases only).
        public var inputs: String?
        public var credit: Double
        public var points: Double
        public var maxPoints: Double
        /// The figure the check measured, where it has one (a training case's held-out accuracy).
        public var measurement: Double?
    }

    /// One check's results.
    public struct Check: Encodable, Equatable {
        public var id: String
        public var task: String
        public var title: String
        public var kind: String
        public var points: Double
        public var maxPoints: Double
        public var passed: Int
        public var cases: [Case]
    }

    /// One task's points.
    public struct Task: Encodable, Equatable {
        public var id: String
        public var title: String
        public var points: Double
        public var maxPoints: Double
    }

    /// One submission's whole result.
    public struct Submission: Encodable, Equatable {
        public var student: String
        public var status: String
        public var points: Double
        public var maxPoints: Double
        /// Whether hidden cases ran (false for a self-check).
        public var hiddenCasesRun: Bool
        /// Whether every case that ran was accepted.
        public var allAccepted: Bool
        /// The compiler's messages, when the build failed.
        public var buildMessage: String?
        /// What the grader could not do, when the status is `grader-error`.
        public var graderFault: String?
        public var seconds: Double
        public var tasks: [Task]
        public var checks: [Check]

        /// The document of `report`.
        public init(_ report: SubmissionReport) {
            student = report.folder.studentID
            status = report.status.rawValue
            points = report.points
            maxPoints = report.maxPoints
            hiddenCasesRun = report.includesHidden
            allAccepted = report.status == .graded && report.checks.allSatisfy { $0.passedCount == $0.cases.count }
            buildMessage = report.buildMessage
            graderFault = report.graderFault
            seconds = report.durationSeconds
            tasks = report.tasks.map { Task(id: $0.taskID, title: $0.title, points: $0.points, maxPoints: $0.maxPoints) }
            checks = report.checks.map { check in
                Check(id: check.checkID, task: check.taskID, title: check.title, kind: check.kind.rawValue, points: check.points, maxPoints: check.maxPoints,
                      passed: check.passedCount, cases: check.cases.map { item in
                          Case(label: item.label, hidden: item.isHidden, verdict: item.verdict.rawValue, accepted: item.verdict.isAccepted, message: item.message,
                               inputs: item.isHidden ? nil : item.inputs, credit: item.credit, points: item.points, maxPoints: item.maxPoints, measurement: item.measurement)
                      })
            }
        }
    }

    /// `grade --local --json`: the self-check, with the exit code it ends with.
    public struct SelfCheckDocument: Encodable, Equatable {
        public var assignment: String
        public var exitCode: Int32
        public var outcome: String
        public var submission: Submission

        /// The document of a self-check of `assignment` that ended with `outcome`.
        public init(assignment: String, outcome: SelfCheckOutcome, report: SubmissionReport) {
            self.assignment = assignment
            exitCode = outcome.exitCode
            self.outcome = outcome.rawValue
            submission = Submission(report)
        }
    }

    /// `document` as indented JSON with sorted keys and ISO 8601 dates.
    public static func encode<Document: Encodable>(_ document: Document) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}
