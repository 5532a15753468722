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
    /// Whether it has been graded at all (a grading run exists); if not, every student's grade is pending.
    public var isGraded: Bool
    /// Current work by student id.
    public var work: [String: Work]
    /// Students who handed work in (a submission folder, or a time from the course site), graded or not.
    public var submitted: Set<String>
    /// Students the grader failed on since their last recorded grade, with its message.
    public var faults: [String: String]
    /// Report marks by student id, then manual item id.
    public var marks: [String: [String: Double]]
    /// Extension days by student id.
    public var extensions: [String: Int]

    /// A record with the given fields.
    public init(practical: PracticalWeight, rubric: Rubric?, isGraded: Bool, work: [String: Work] = [:], submitted: Set<String> = [],
                faults: [String: String] = [:], marks: [String: [String: Double]] = [:], extensions: [String: Int] = [:]) {
        self.practical = practical
        self.rubric = rubric
        self.isGraded = isGraded
        self.work = work
        self.submitted = submitted.union(work.keys)
        self.faults = faults
        self.marks = marks
        self.extensions = extensions
    }
}

/// One student's grade for one practical.
public struct PracticalGrade: Sendable {
    /// The practical.
    public var practicalID: String
    /// Where the student stands on it.
    public var state: GradeState
    /// Whether the practical has been graded for anyone (a grading run exists).
    public var practicalWasGraded: Bool
    /// The student's deadline (extension included), as the course's time zone writes it.
    public var deadlineText: String?
    /// The grader's message, when it failed on the student's work since the last recorded grade.
    public var fault: String?
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
    /// The grade that counts: the override, else the grade after the penalty (0 while it does not count yet).
    public var grade: Double

    /// Whether the grade counts as it is: overridden, missing, or graded with every report item marked.
    public var isSettled: Bool {
        override != nil || state == .missing || (state == .graded && unmarkedItems.isEmpty)
    }
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
    /// Graded (responses recorded), missing (the class's responses are imported, none of this student's), or
    /// pending (no responses imported yet for anyone).
    public var state: GradeState
    /// Whether the grade counts as it is: overridden, graded or missing.
    public var isSettled: Bool { override != nil || state != .pending }
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

    /// Whether the final grade counts as it is: overridden, or every part's grade counts.
    public var isSettled: Bool { finalOverride != nil || unsettledParts.isEmpty }

    /// The parts whose grade does not count yet, each with why: "practical2 (submitted, not graded yet)".
    public var unsettledParts: [String] {
        var parts = practicals.compactMap { grade in PendingWork.reason(grade).map { "\(grade.practicalID) (\($0))" } }
        if let quiz, let reason = PendingWork.reason(quiz) { parts.append("quiz (\(reason))") }
        return parts
    }
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
    /// Whether some grade does not count yet: a part of some student's grade is pending, not due, or unmarked.
    public var isProvisional: Bool { students.contains { !$0.isSettled } }

    /// The students whose final grade does not count yet, each with the parts that are still to come.
    public var unsettled: [(student: String, parts: [String])] {
        students.filter { !$0.isSettled }.map { ($0.student.id, $0.unsettledParts) }
    }

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
    /// less the late penalty (see ``LatePolicy``), unless overridden. A student of a graded practical
    /// who handed nothing in by their deadline (extension and grace included) gets 0 (missing); work
    /// handed in and not graded yet, a practical never graded, work the grader failed on and work not
    /// due yet are not grades (see ``GradeState``), and count 0 only in the running sum. The quiz is its
    /// raw points (floored at 0) / points available × scale; once any responses are imported, a student
    /// without responses scores 0 (missing); before, the quiz is pending. The final grade is the weighted
    /// sum of the grades that count, rounded by the course's rule, unless overridden; it counts only when
    /// every part does (``StudentGrade/isSettled``).
    ///
    /// - Parameters:
    ///   - overrides: grade by student id, then target (a practical id, "quiz" or "final").
    ///   - now: the moment deadlines are compared with.
    public init(policy: CoursePolicy, roster: Roster, practicals: [PracticalRecord], bank: QuizBank?, sheets: [String: QuizSheet],
                overrides: [String: [String: Double]], now: Date = Date()) {
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
            let grades = practicals.map { Self.grade(student.id, in: $0, policy: policy, override: own[$0.practical.id], now: now) }
            var quiz: QuizGrade?
            if policy.quiz != nil {
                let maxPoints = bank?.maxPoints ?? 0
                let points = sheets[student.id].flatMap { sheet in bank.map { $0.score(sheet.answers) } }
                let computed = maxPoints > 0 ? (points ?? 0) / maxPoints * scale : 0
                let state: GradeState = points != nil ? .graded : sheets.isEmpty ? .pending : .missing
                quiz = QuizGrade(points: points, maxPoints: maxPoints, override: own["quiz"], computed: computed, grade: own["quiz"] ?? computed,
                                 state: state)
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

    private static func grade(_ studentID: String, in record: PracticalRecord, policy: CoursePolicy, override: Double?, now: Date) -> PracticalGrade {
        let id = record.practical.id
        let extensionDays = record.extensions[studentID] ?? 0
        let deadline = policy.deadline(of: record.practical, extensionDays: extensionDays)
        func ungraded(_ state: GradeState) -> PracticalGrade {
            PracticalGrade(practicalID: id, state: state, practicalWasGraded: record.isGraded,
                           deadlineText: SubmissionTiming.format(deadline, in: policy.timeZone), fault: record.faults[studentID],
                           automaticPoints: nil, manualPoints: nil, unmarkedItems: [], beforePenalty: 0, timing: nil, penalty: 0,
                           override: override, grade: override ?? 0)
        }
        guard record.isGraded, let rubric = record.rubric else { return ungraded(.pending) }
        // The grader failed on work newer than any recorded grade: that work is not graded, whatever an older grade says.
        if record.faults[studentID] != nil { return ungraded(.graderFault) }
        guard let work = record.work[studentID] else {
            if record.submitted.contains(studentID) { return ungraded(.pending) }
            let graceEnds = deadline.addingTimeInterval(Double(policy.late.graceMinutes) * 60)
            return ungraded(now < graceEnds ? .notDue : .missing)
        }
        let marks = record.marks[studentID] ?? [:]
        let manual = rubric.manual.reduce(0) { $0 + (marks[$1.id] ?? 0) }
        let unmarked = rubric.manual.map(\.id).filter { marks[$0] == nil }
        let raw = min(policy.scale, max(0, (work.automaticPoints + manual) / rubric.total * policy.scale))
        var timing: SubmissionTiming?
        if let time = work.submittedAt, let source = work.source {
            timing = SubmissionTiming(submittedAt: time, source: source, practical: record.practical, course: policy, extensionDays: extensionDays)
        }
        let afterPenalty = timing?.lateness.applied(to: raw, scale: policy.scale) ?? raw
        return PracticalGrade(practicalID: id, state: .graded, practicalWasGraded: true,
                              deadlineText: SubmissionTiming.format(deadline, in: policy.timeZone), fault: record.faults[studentID],
                              automaticPoints: work.automaticPoints, manualPoints: manual,
                              unmarkedItems: unmarked, beforePenalty: raw, timing: timing, penalty: raw - afterPenalty,
                              override: override, grade: override ?? afterPenalty)
    }
}
