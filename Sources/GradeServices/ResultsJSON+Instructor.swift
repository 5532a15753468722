import Foundation
import Grader
import Outcomes
import StudentServices

/// The instructor's documents: `grade <practical> --json` and `grade final --json`.
extension ResultsJSON {
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
}
