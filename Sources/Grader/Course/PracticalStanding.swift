import Foundation
import SafeText

/// A student's whole grade for one practical as their feedback shows it: the automatic points, each
/// report mark with its marker's comment, the late penalty with its deadline and time source, an
/// override with its reason, and the practical grade that counts, on the course's scale.
public struct PracticalStanding: Sendable {
    /// One manual item of the rubric and its mark.
    public struct Mark: Sendable {
        /// The item's title.
        public var title: String
        /// The points given; nil until marked.
        public var points: Double?
        /// The points available.
        public var maxPoints: Double
        /// The marker's comment, when there is one.
        public var comment: String?

        /// A mark.
        public init(title: String, points: Double?, maxPoints: Double, comment: String?) {
            self.title = title
            self.points = points
            self.maxPoints = maxPoints
            self.comment = comment
        }
    }

    /// The grade as the course computes it (`CourseGrades`).
    public var grade: PracticalGrade
    /// The report marks, in the rubric's order.
    public var marks: [Mark]
    /// Why the grade was overridden, when it was.
    public var overrideReason: String?
    /// The course's scale (20).
    public var scale: Double
    /// The rubric's automatic points.
    public var automaticMaxPoints: Double

    /// A standing.
    public init(grade: PracticalGrade, marks: [Mark], overrideReason: String?, scale: Double, automaticMaxPoints: Double) {
        self.grade = grade
        self.marks = marks
        self.overrideReason = overrideReason
        self.scale = scale
        self.automaticMaxPoints = automaticMaxPoints
    }

    /// The rows of the grade's breakdown: what, and its points.
    public var rows: [(what: String, points: String)] {
        var rows: [(String, String)] = []
        if let automatic = grade.automaticPoints {
            rows.append(("Automatic checks", "\(Points.text(automatic)) / \(Points.text(automaticMaxPoints))"))
        }
        for mark in marks {
            rows.append((mark.title, mark.points.map { "\(Points.text($0)) / \(Points.text(mark.maxPoints))" } ?? "not marked yet (0 until it is)"))
        }
        rows.append(("On the course's scale, before any penalty", "\(Points.text(grade.beforePenalty)) / \(Points.text(scale))"))
        if grade.penalty > 0 { rows.append(("Late penalty", "−\(Points.text(grade.penalty))")) }
        if let override = grade.override { rows.append(("Set by hand", "\(Points.text(override)) / \(Points.text(scale))")) }
        rows.append(("Practical grade", "\(Points.text(grade.grade)) / \(Points.text(scale))"))
        return rows
    }

    /// The section of the text feedback.
    public var textLines: [String] {
        var lines = ["Your grade for this practical"]
        let width = rows.map(\.what.count).max() ?? 0
        for row in rows { lines.append("  " + row.what + String(repeating: " ", count: width - row.what.count) + "  " + row.points) }
        for mark in marks { if let comment = mark.comment, !comment.isEmpty { lines.append("\(mark.title), the marker's comment: \(comment)") } }
        if let timing = grade.timing { lines.append(contentsOf: timing.feedbackLines) }
        if grade.override != nil { lines.append("The grade was set by hand: \(overrideReason ?? "no reason recorded").") }
        return lines
    }
}
