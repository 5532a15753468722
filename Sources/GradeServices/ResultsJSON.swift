import Foundation
import Grader
import Outcomes

/// The documents `--json` prints, for scripts: `grade --local`, `grade <practical>` and `grade final`.
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

    /// A submission the grading run left alone because nothing changed since it was recorded.
    public struct Unchanged: Encodable, Equatable {
        public var student: String
        public var status: String
        public var points: Double
        public var maxPoints: Double
    }

    /// `grade <practical> --json`: what the run graded, what it left unchanged, and what went wrong.
    public struct GradingDocument: Encodable {
        public var assignment: String
        public var graded: [Submission]
        public var unchanged: [Unchanged]
        public var notOnRoster: [String]
        public var failures: [String]
        public var seconds: Double

        /// The document of `outcome`.
        public init(_ outcome: GradingOutcome) {
            assignment = outcome.spec.id
            graded = outcome.reports.map(Submission.init)
            unchanged = outcome.skipped.map { Unchanged(student: $0.studentID, status: $0.status.rawValue, points: $0.points, maxPoints: $0.maxPoints) }
            notOnRoster = outcome.notOnRoster
            failures = outcome.failures
            seconds = outcome.elapsedSeconds
        }
    }

    /// One practical's part of a course grade.
    public struct PracticalPart: Encodable, Equatable {
        public var id: String
        public var state: String
        public var automaticPoints: Double?
        public var reportPoints: Double?
        public var unmarkedItems: [String]
        public var beforePenalty: Double
        public var penalty: Double
        /// When the submission counts as handed in, and what says so.
        public var submittedAt: Date?
        public var timeSource: String?
        public var override: Double?
        /// The grade that counts; absent while it does not count (`settled` false, `pending` says why).
        public var grade: Double?
        /// Whether the grade counts as it is; when not, `pending` says why.
        public var settled: Bool
        public var pending: String?
    }

    /// The quiz's part of a course grade.
    public struct QuizPart: Encodable, Equatable {
        public var state: String
        public var settled: Bool
        public var points: Double?
        public var maxPoints: Double
        public var override: Double?
        /// The grade that counts; absent while no responses are imported (`settled` false).
        public var grade: Double?
    }

    /// One student's course grade.
    public struct Student: Encodable, Equatable {
        public var id: String
        public var name: String
        public var practicals: [PracticalPart]
        public var quiz: QuizPart?
        public var override: Double?
        /// The final grade and its percentage; absent while `settled` is false.
        public var final: Double?
        public var percent: Double?
        /// The weighted sum of the parts that count so far (pending parts as 0): the final grade once settled, a lower bound before.
        public var finalSoFar: Double
        public var settled: Bool
        /// The parts still to come, each with why.
        public var pending: [String]
    }

    /// `grade final --json`.
    public struct FinalDocument: Encodable {
        public var scale: Double
        public var provisional: Bool
        public var pendingPracticals: [String]
        public var students: [Student]
        public var warnings: [String]

        /// The document of `grades`, with the warnings `grade final` prints.
        public init(_ grades: CourseGrades, scale: Double, warnings: [String]) {
            self.scale = scale
            provisional = grades.isProvisional
            pendingPracticals = grades.pendingPracticals
            self.warnings = warnings
            students = grades.students.map { row in
                Student(id: row.student.id, name: row.student.name,
                        practicals: row.practicals.map { part in
                            PracticalPart(id: part.practicalID, state: part.state.rawValue, automaticPoints: part.automaticPoints, reportPoints: part.manualPoints,
                                          unmarkedItems: part.unmarkedItems, beforePenalty: part.beforePenalty, penalty: part.penalty,
                                          submittedAt: part.timing?.submittedAt, timeSource: part.timing?.source.rawValue,
                                          override: part.override, grade: part.isSettled ? part.grade : nil, settled: part.isSettled,
                                          pending: PendingWork.reason(part))
                        },
                        quiz: row.quiz.map { QuizPart(state: $0.state.rawValue, settled: $0.isSettled, points: $0.points, maxPoints: $0.maxPoints,
                                                      override: $0.override, grade: $0.isSettled ? $0.grade : nil) },
                        override: row.finalOverride, final: row.isSettled ? row.final : nil, percent: row.isSettled ? row.percent : nil,
                        finalSoFar: row.final, settled: row.isSettled, pending: row.unsettledParts)
            }
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
