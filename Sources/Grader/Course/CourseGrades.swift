import Foundation
import Outcomes

/// What the gradebook knows about one practical, as the course grade needs it.
public struct PracticalRecord: Sendable {
    /// One student's current graded submission.
    public struct Work: Sendable, Hashable {
        /// Automatic points earned.
        public var automaticPoints: Double
        /// The submission's status.
        public var status: SubmissionStatus
        /// When it was submitted, when known.
        public var submittedAt: Date?
        /// Where that time came from.
        public var source: SubmissionTimeSource?

        /// Work with the given fields.
        public init(automaticPoints: Double, status: SubmissionStatus, submittedAt: Date?, source: SubmissionTimeSource?) {
            self.automaticPoints = automaticPoints
            self.status = status
            self.submittedAt = submittedAt
            self.source = source
        }
    }

    /// The practical's entry in the course policy.
    public var practical: PracticalWeight
    /// Its rubric, nil when the practical has no spec or rubric yet.
    public var rubric: Rubric?
    /// Whether it has been graded at all (a grading run exists); if not, it is pending.
    public var isGraded: Bool
    /// Current work by student id.
    public var work: [String: Work]
    /// Report marks by student id, then manual item id.
    public var marks: [String: [String: Double]]
    /// Extension days by student id.
    public var extensions: [String: Int]

    /// A record with the given fields.
    public init(practical: PracticalWeight, rubric: Rubric?, isGraded: Bool, work: [String: Work] = [:],
                marks: [String: [String: Double]] = [:], extensions: [String: Int] = [:]) {
        self.practical = practical
        self.rubric = rubric
        self.isGraded = isGraded
        self.work = work
        self.marks = marks
        self.extensions = extensions
    }
}

/// One student's grade for one practical.
public struct PracticalGrade: Sendable {
    /// How the grade came about.
    public enum State: String, Sendable {
        /// Graded from a submission.
        case graded
        /// The practical was graded but the student submitted nothing: 0.
        case missing
        /// The practical has not been graded yet: counted as 0 for now.
        case pending
    }

    /// The practical.
    public var practicalID: String
    /// Graded, missing or pending.
    public var state: State
    /// Automatic points, when graded.
    public var automaticPoints: Double?
    /// Report marks summed, when graded.
    public var manualPoints: Double?
    /// The manual items without a mark (counted as 0).
    public var unmarkedItems: [String]
    /// The grade on the course scale before any late penalty.
    public var beforePenalty: Double
    /// The timing of the submission, when known.
    public var timing: SubmissionTiming?
    /// Points of the scale lost to lateness.
    public var penalty: Double
    /// The override, when one is set.
    public var override: Double?
    /// The grade that counts: the override, else the grade after the penalty.
    public var grade: Double
}

/// One student's quiz grade.
public struct QuizGrade: Sendable {
    /// Raw points (floored at 0), nil when the student has no responses.
    public var points: Double?
    /// Points available.
    public var maxPoints: Double
    /// The override, when one is set.
    public var override: Double?
    /// The grade the responses earn, on the course scale: points / points available × scale (0 without responses).
    public var computed: Double
    /// The grade that counts, on the course scale: the override, else the computed grade.
    public var grade: Double
    /// Whether the student has no responses.
    public var isMissing: Bool { points == nil }
}

/// One student's course grade.
public struct StudentGrade: Sendable {
    /// The student, as the roster lists them.
    public var student: Roster.Student
    /// One grade per practical of the course policy, in its order.
    public var practicals: [PracticalGrade]
    /// The quiz, when the course has one.
    public var quiz: QuizGrade?
    /// The weighted grade, rounded by the course's rule.
    public var computedFinal: Double
    /// The override of the final grade, when one is set.
    public var finalOverride: Double?
    /// The final grade that counts.
    public var final: Double
    /// The final grade as a percentage of the scale.
    public var percent: Double
}

/// The course grades of every enrolled student, with what an instructor must look at.
public struct CourseGrades: Sendable {
    /// One row per roster student, in roster order.
    public var students: [StudentGrade]
    /// Practicals that have not been graded yet.
    public var pendingPracticals: [String]
    /// Submissions from ids the roster does not list, by practical.
    public var unknownSubmissions: [String: [String]]
    /// Recorded quiz answers that cannot be read as option letters (scored as blanks), question ids by student.
    public var unreadableQuizAnswers: [String: [String]] = [:]
    /// Whether every grade is final: nothing pending.
    public var isProvisional: Bool { !pendingPracticals.isEmpty }

    /// Students whose graded work has no trusted submission time (its lateness rests on `submission.yaml`
    /// or file times, which a student can change), by practical.
    public var untrustedTimes: [String: [String]] {
        var found: [String: [String]] = [:]
        for row in students {
            for part in row.practicals where part.state == .graded && part.timing?.source.isTrusted != true {
                found[part.practicalID, default: []].append(row.student.id)
            }
        }
        return found
    }

    /// The warning for `students` of `practical` whose lateness rests on times they can write, or nil when there are none.
    public static func untrustedTimesWarning(practical: String, students: [String]) -> String? {
        guard !students.isEmpty else { return nil }
        let shown = students.prefix(10).joined(separator: ", ") + (students.count > 10 ? " and \(students.count - 10) more" : "")
        return "WARNING: \(practical): the lateness of \(students.count) submission\(students.count == 1 ? "" : "s") (\(shown)) rests on times students can write "
            + "(submission.yaml or file times); import the course site's times with `grade collect \(practical) --moodle-zip … --worksheet …`"
    }

    /// The course grades under `policy` for `roster`.
    ///
    /// For each practical: (automatic + report marks) / rubric total × scale, clamped to [0, scale],
    /// less the late penalty (see ``LatePolicy``), unless overridden. A student with no submission to
    /// a graded practical gets 0 (missing); a practical never graded counts 0 (pending). The quiz is
    /// its raw points (floored at 0) / points available × scale; no responses score 0. The final grade
    /// is the weighted sum of the grades that count, rounded by the course's rule, unless overridden.
    ///
    /// - Parameters:
    ///   - overrides: grade by student id, then target (a practical id, "quiz" or "final").
    public init(policy: CoursePolicy, roster: Roster, practicals: [PracticalRecord], bank: QuizBank?, sheets: [String: QuizSheet],
                overrides: [String: [String: Double]]) {
        let scale = policy.scale
        pendingPracticals = practicals.filter { !$0.isGraded || $0.rubric == nil }.map(\.practical.id)
        var unknown: [String: [String]] = [:]
        for record in practicals {
            let ids = record.work.keys.filter { !roster.contains($0) }.sorted()
            if !ids.isEmpty { unknown[record.practical.id] = ids }
        }
        unknownSubmissions = unknown
        students = roster.students.map { student in
            let own = overrides[student.id] ?? [:]
            let grades = practicals.map { Self.grade(student.id, in: $0, policy: policy, override: own[$0.practical.id]) }
            var quiz: QuizGrade?
            if policy.quiz != nil {
                let maxPoints = bank?.maxPoints ?? 0
                let points = sheets[student.id].flatMap { sheet in bank.map { $0.score(sheet.answers) } }
                let computed = maxPoints > 0 ? (points ?? 0) / maxPoints * scale : 0
                quiz = QuizGrade(points: points, maxPoints: maxPoints, override: own["quiz"], computed: computed, grade: own["quiz"] ?? computed)
            }
            var weighted = 0.0
            for (record, grade) in zip(practicals, grades) { weighted += record.practical.weight / 100 * grade.grade }
            if let quiz, let weight = policy.quiz?.weight { weighted += weight / 100 * quiz.grade }
            let computed = policy.rounding.apply(weighted)
            let final = own["final"] ?? computed
            return StudentGrade(student: student, practicals: grades, quiz: quiz, computedFinal: computed, finalOverride: own["final"],
                                final: final, percent: (final / scale * 100 * 100).rounded() / 100)
        }
    }

    private static func grade(_ studentID: String, in record: PracticalRecord, policy: CoursePolicy, override: Double?) -> PracticalGrade {
        let id = record.practical.id
        guard record.isGraded, let rubric = record.rubric else {
            return PracticalGrade(practicalID: id, state: .pending, automaticPoints: nil, manualPoints: nil, unmarkedItems: [],
                                  beforePenalty: 0, timing: nil, penalty: 0, override: override, grade: override ?? 0)
        }
        guard let work = record.work[studentID] else {
            return PracticalGrade(practicalID: id, state: .missing, automaticPoints: nil, manualPoints: nil, unmarkedItems: [],
                                  beforePenalty: 0, timing: nil, penalty: 0, override: override, grade: override ?? 0)
        }
        let marks = record.marks[studentID] ?? [:]
        let manual = rubric.manual.reduce(0) { $0 + (marks[$1.id] ?? 0) }
        let unmarked = rubric.manual.map(\.id).filter { marks[$0] == nil }
        let raw = min(policy.scale, max(0, (work.automaticPoints + manual) / rubric.total * policy.scale))
        var timing: SubmissionTiming?
        if let time = work.submittedAt, let source = work.source {
            timing = SubmissionTiming(submittedAt: time, source: source, practical: record.practical, course: policy,
                                      extensionDays: record.extensions[studentID] ?? 0)
        }
        let afterPenalty = timing?.lateness.applied(to: raw, scale: policy.scale) ?? raw
        return PracticalGrade(practicalID: id, state: .graded, automaticPoints: work.automaticPoints, manualPoints: manual,
                              unmarkedItems: unmarked, beforePenalty: raw, timing: timing, penalty: raw - afterPenalty,
                              override: override, grade: override ?? afterPenalty)
    }
}
