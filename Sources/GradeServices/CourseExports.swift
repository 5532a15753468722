import Foundation
import Gradebook
import Grader

/// The CSV files `grade export` writes from the course grades.
public enum CourseExports {
    /// How the Moodle file identifies students.
    public enum MoodleIdentifier: String, CaseIterable, Sendable {
        /// The roster's email, matched to Moodle's "Email address".
        case email
        /// The roster's student id, matched to Moodle's "ID number".
        case studentID = "student-id"

        /// The column Moodle matches it to.
        public var header: String {
            switch self {
            case .email: "Email address"
            case .studentID: "ID number"
            }
        }
    }

    /// The gradebook: id, name, email, each practical after its late penalty and its penalty, the quiz,
    /// the final grade, its percentage, and notes. A pending practical's cell is empty.
    public static func gradebook(_ grades: CourseGrades, policy: CoursePolicy) -> String {
        var csv = CSVWriter()
        var header = ["student_id", "name", "email"]
        for practical in policy.practicals { header += [practical.id, "\(practical.id)_late_penalty"] }
        if policy.quiz != nil { header.append("quiz") }
        header += ["final", "final_percent", "notes"]
        csv.append(header.map(CSVWriter.Cell.text))
        for row in grades.students {
            var cells: [CSVWriter.Cell] = [.text(row.student.id), .text(row.student.name), .text(row.student.email)]
            for grade in row.practicals {
                if grade.state == .pending && grade.override == nil {
                    cells += [.empty, .empty]
                } else {
                    cells += [.number(grade.grade), .number(grade.penalty)]
                }
            }
            if let quiz = row.quiz { cells.append(.number(quiz.grade)) }
            cells += [.number(row.final), .number(row.percent), .text(notes(row).joined(separator: "; "))]
            csv.append(cells)
        }
        return csv.text
    }

    /// Moodle's grade import: an identifier column, then one column per grade item (the practicals, the
    /// quiz and the final grade, on the course scale). A pending practical's cell is empty, which Moodle skips.
    public static func moodle(_ grades: CourseGrades, policy: CoursePolicy, identifier: MoodleIdentifier) -> String {
        var csv = CSVWriter()
        csv.append(([identifier.header] + policy.practicals.map(\.id) + (policy.quiz == nil ? [] : ["quiz"]) + ["final"]).map(CSVWriter.Cell.text))
        for row in grades.students {
            var cells: [CSVWriter.Cell] = [.text(identifier == .email ? row.student.email : row.student.id)]
            cells += row.practicals.map { $0.state == .pending && $0.override == nil ? .empty : .number($0.grade) }
            if let quiz = row.quiz { cells.append(.number(quiz.grade)) }
            cells.append(.number(row.final))
            csv.append(cells)
        }
        return csv.text
    }

    /// One row per check of every roster student's current submission to each practical.
    public static func detail(_ grades: CourseGrades, policy: CoursePolicy, gradebook: Gradebook) throws -> String {
        var csv = CSVWriter()
        csv.append(["student_id", "assignment", "task", "check", "points", "max_points", "cases", "passed", "not_accepted"].map(CSVWriter.Cell.text))
        let enrolled = Set(grades.students.map(\.student.id))
        for practical in policy.practicals {
            for current in try gradebook.currentGrades(assignmentID: practical.id) where enrolled.contains(current.studentID) {
                for check in try gradebook.checkScores(submissionID: current.submissionID) {
                    csv.append([.text(current.studentID), .text(practical.id), .text(check.taskID), .text(check.checkID), .number(check.points),
                                .number(check.maxPoints), .number(Double(check.cases)), .number(Double(check.passed)), .text(check.verdicts)])
                }
            }
        }
        return csv.text
    }

    /// What an instructor should know about a row: missing work, unmarked reports, lateness, overrides.
    public static func notes(_ row: StudentGrade) -> [String] {
        var notes: [String] = []
        for grade in row.practicals {
            switch grade.state {
            case .pending: notes.append("\(grade.practicalID) not graded yet")
            case .missing: notes.append("\(grade.practicalID) missing")
            case .graded:
                if !grade.unmarkedItems.isEmpty { notes.append("\(grade.practicalID) \(grade.unmarkedItems.joined(separator: "+")) not marked") }
                if let timing = grade.timing, timing.lateness.isLate { notes.append("\(grade.practicalID) \(timing.summary)") }
                if let timing = grade.timing, timing.source == .fileTime { notes.append("\(grade.practicalID) time from file dates") }
            }
            if grade.override != nil { notes.append("\(grade.practicalID) overridden") }
        }
        if let quiz = row.quiz {
            if quiz.isMissing { notes.append("quiz missing") }
            if quiz.override != nil { notes.append("quiz overridden") }
        }
        if row.finalOverride != nil { notes.append("final overridden") }
        return notes
    }
}
