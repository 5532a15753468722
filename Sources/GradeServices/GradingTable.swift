import Foundation
import Gradebook
import Grader
import Outcomes
import SafeText

/// What a grading run shows its instructor, one row per submission it graded or found unchanged, and a
/// summary of what needs attention: what did not build, what hit a limit, what the grader failed on, and
/// the spread of the grades.
public struct GradingTable: Sendable {
    /// One submission's row.
    public struct Row: Sendable {
        /// The student.
        public var studentID: String
        /// Points by task id.
        public var taskPoints: [String: Double]
        /// Automatic points, nil when the grader failed (nothing recorded).
        public var automaticPoints: Double?
        /// The practical grade on the course's scale, late penalty and override included, when the course lists the practical.
        public var grade: Double?
        /// Report marks and automatic points on the rubric's scale, when the course does not compute a grade.
        public var rubricTotal: Double?
        /// The recorded status; nil when the grader failed.
        public var status: SubmissionStatus?
        /// Whether the submission was left as recorded, unchanged since it was graded.
        public var isUnchanged: Bool
        /// Cases that hit a resource limit, by verdict.
        public var limitsHit: [Verdict: Int]
        /// Short notes: report not marked, lateness, override.
        public var notes: [String]

        /// A row.
        public init(studentID: String, taskPoints: [String: Double], automaticPoints: Double?, grade: Double?, rubricTotal: Double?,
                    status: SubmissionStatus?, isUnchanged: Bool, limitsHit: [Verdict: Int], notes: [String]) {
            self.studentID = studentID
            self.taskPoints = taskPoints
            self.automaticPoints = automaticPoints
            self.grade = grade
            self.rubricTotal = rubricTotal
            self.status = status
            self.isUnchanged = isUnchanged
            self.limitsHit = limitsHit
            self.notes = notes
        }

        /// The note of a submission whose report is not marked yet.
        public static let unmarked = "unmarked"

        /// Whether the submission hit any limit.
        public var hitLimits: Bool { !limitsHit.isEmpty }
        /// Whether the submission did not build.
        public var failedToBuild: Bool { status?.didNotBuild ?? false }
        /// Whether the folder held no Swift source to build (work handed in as an archive or another format, say).
        public var hasNoSources: Bool { status == .noSources }
    }

    /// The figure a row is summarised and sorted by, on the table's one scale: the practical grade when the
    /// course computes it, else the rubric total, else the automatic points; nil when the row has none on that scale.
    public func total(_ row: Row) -> Double? {
        if gradeScale != nil { return row.grade }
        if rubricMaxPoints != nil { return row.rubricTotal }
        return row.automaticPoints
    }

    /// How rows are ordered.
    public enum Order: String, Sendable, CaseIterable {
        /// By student id.
        case id
        /// By total, highest first (ties by id).
        case total
    }

    /// The assignment's task ids, in order.
    public var tasks: [String]
    /// The automatic points available.
    public var automaticMaxPoints: Double
    /// The scale of `Row.grade` (the course's), when grades are computed.
    public var gradeScale: Double?
    /// The rubric's total, when there are report marks and no course grade.
    public var rubricMaxPoints: Double?
    /// The rows.
    public var rows: [Row]

    /// A table.
    public init(tasks: [String], automaticMaxPoints: Double, gradeScale: Double?, rubricMaxPoints: Double?, rows: [Row]) {
        self.tasks = tasks
        self.automaticMaxPoints = automaticMaxPoints
        self.gradeScale = gradeScale
        self.rubricMaxPoints = rubricMaxPoints
        self.rows = rows
    }

    /// The rows in `order`.
    public func rows(in order: Order) -> [Row] {
        switch order {
        case .id: return rows.sorted { $0.studentID < $1.studentID }
        case .total:
            return rows.sorted { a, b in
                let (x, y) = (total(a) ?? -.infinity, total(b) ?? -.infinity)
                return x != y ? x > y : a.studentID < b.studentID
            }
        }
    }

    /// What the summary line says.
    public struct Summary: Sendable, Equatable {
        /// Submissions graded in this run and recorded.
        public var graded: Int
        /// Submissions left as recorded.
        public var unchanged: Int
        /// Submissions that do not build.
        public var failedToBuild: Int
        /// Submissions without a Swift source.
        public var noSources: Int
        /// Submissions with a case over a limit.
        public var hitLimits: Int
        /// Submissions the grader failed on (not recorded).
        public var graderErrors: Int
        /// Submissions whose report is not marked yet.
        public var unmarked: Int
        /// The mean and median of the rows' totals.
        public var mean: Double?
        /// The median of the rows' totals.
        public var median: Double?
    }

    /// The summary of every row.
    public var summary: Summary {
        let totals = rows.compactMap(total)
        let median = Self.median(totals)
        return Summary(graded: rows.filter { !$0.isUnchanged && $0.status != nil }.count, unchanged: rows.filter(\.isUnchanged).count,
                       failedToBuild: rows.filter(\.failedToBuild).count, noSources: rows.filter(\.hasNoSources).count, hitLimits: rows.filter(\.hitLimits).count,
                       graderErrors: rows.filter { $0.status == nil }.count, unmarked: rows.filter { $0.notes.contains(Row.unmarked) }.count,
                       mean: totals.isEmpty ? nil : totals.reduce(0, +) / Double(totals.count), median: median)
    }

    /// The median of `values` (the mean of the middle two of an even count), nil when there are none.
    static func median(_ values: [Double]) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The name of the column the summary's mean and median are of.
    public var totalName: String {
        if let gradeScale { return "grade /\(Points.text(gradeScale))" }
        if let rubricMaxPoints { return "total /\(Points.text(rubricMaxPoints))" }
        return "auto /\(Points.text(automaticMaxPoints))"
    }

    /// The summary in short lines: "10 submissions: 8 graded, 2 unchanged, 0 grader errors (not recorded)",
    /// "Needs attention: 1 did not build, 2 hit a limit, 3 reports not marked", what to do about folders
    /// without Swift sources when there are any, and "grade /20 of 10: mean 13.2, median 14.5".
    public var summaryLines: [String] {
        let s = summary
        let counts = "\(Feedback.count(rows.count, "submission")): \(s.graded) graded, \(s.unchanged) unchanged, "
            + "\(Feedback.count(s.graderErrors, "grader error")) (not recorded)"
        var attention = "Needs attention: \(s.failedToBuild) did not build, "
        if s.noSources > 0 { attention += "\(s.noSources) with no .swift file, " }
        attention += "\(s.hitLimits) hit a limit (a training budget too)"
        if s.unmarked > 0 { attention += ", \(s.unmarked) report\(s.unmarked == 1 ? "" : "s") not marked" }
        var lines = [counts, attention]
        let empty = rows.filter(\.hasNoSources).map(\.studentID).sorted()
        if !empty.isEmpty {
            lines.append("No .swift file from \(empty.prefix(5).joined(separator: ", "))\(empty.count > 5 ? " and \(empty.count - 5) more" : "")")
            lines.append("  (an archive or another format?) put the .swift files in the student's folder, then grade it with --student <id>")
        }
        guard let mean = s.mean, let median = s.median else { return lines }
        lines.append("\(totalName) of \(rows.compactMap(total).count): mean \(Points.text((mean * 100).rounded() / 100)), median \(Points.text((median * 100).rounded() / 100))")
        return lines
    }
}

extension GradingTable {
    /// The table of a grading run: its reports, and the submissions it left unchanged with their recorded
    /// task scores and verdicts from `gradebook` (left blank where they cannot be read: the table never fails a run).
    /// `scale` is the course's when it computes practical grades; a row without one then shows none.
    static func make(reports: [SubmissionReport], skipped: [StoredSubmission], gradebook: Gradebook, spec: AssignmentSpec, rubric: Rubric?,
                     standings: [String: PracticalStanding], timings: [String: SubmissionTiming], marks: [String: [String: Double]],
                     scale: Double?) -> GradingTable {
        let manual = rubric?.manual ?? []
        let gradeScale = standings.isEmpty ? nil : scale
        func notes(_ student: String, recorded: Bool) -> [String] {
            guard recorded else { return [] }
            var notes: [String] = []
            if manual.contains(where: { marks[student]?[$0.id] == nil }) { notes.append(Row.unmarked) }
            if gradeScale != nil, standings[student] == nil { notes.append("no course grade (not on the roster?)") }
            if let standing = standings[student] {
                if let timing = standing.grade.timing, timing.lateness.isLate || timing.lateness.withinGrace { notes.append(timing.summary) }
                if let override = standing.grade.override {
                    let computed = standing.grade.beforePenalty - standing.grade.penalty
                    notes.append("override \(Points.text(override)) (computed \(Points.text((computed * 100).rounded() / 100)))")
                }
            } else if let timing = timings[student], timing.lateness.isLate {
                notes.append(timing.summary)
            }
            return notes
        }
        func rubricTotal(_ student: String, automatic: Double) -> Double? {
            guard gradeScale == nil, !manual.isEmpty else { return nil }
            return automatic + manual.reduce(0) { $0 + (marks[student]?[$1.id] ?? 0) }
        }
        var rows: [Row] = []
        for report in reports {
            let id = report.folder.studentID
            guard report.status.isGrade else {
                rows.append(Row(studentID: id, taskPoints: [:], automaticPoints: nil, grade: nil, rubricTotal: nil, status: nil, isUnchanged: false,
                                limitsHit: [:], notes: ["grader error: not recorded, the previous grade stands"]))
                continue
            }
            var hit: [Verdict: Int] = [:]
            for item in report.checks.flatMap(\.cases) where item.verdict.isResourceLimit { hit[item.verdict, default: 0] += 1 }
            rows.append(Row(studentID: id, taskPoints: Dictionary(report.tasks.map { ($0.taskID, $0.points) }, uniquingKeysWith: { $1 }),
                            automaticPoints: report.points, grade: standings[id]?.grade.grade, rubricTotal: rubricTotal(id, automatic: report.points),
                            status: report.status, isUnchanged: false, limitsHit: hit, notes: notes(id, recorded: true)))
        }
        for stored in skipped {
            let id = stored.studentID
            var hit: [Verdict: Int] = [:]
            for item in (try? gradebook.caseResults(submissionID: stored.submissionID)) ?? [] where item.verdict.isResourceLimit { hit[item.verdict, default: 0] += 1 }
            let tasks = (try? gradebook.taskScores(submissionID: stored.submissionID)) ?? []
            rows.append(Row(studentID: id, taskPoints: Dictionary(tasks.map { ($0.taskID, $0.points) }, uniquingKeysWith: { $1 }),
                            automaticPoints: stored.points, grade: standings[id]?.grade.grade, rubricTotal: rubricTotal(id, automatic: stored.points),
                            status: stored.status, isUnchanged: true, limitsHit: hit, notes: notes(id, recorded: true)))
        }
        let automaticMax = rubric?.automaticPoints ?? Double(spec.allChecks.count)
        return GradingTable(tasks: spec.tasks.map(\.id),
                            automaticMaxPoints: automaticMax, gradeScale: gradeScale,
                            rubricMaxPoints: gradeScale == nil && !manual.isEmpty ? rubric?.total : nil, rows: rows)
    }
}
