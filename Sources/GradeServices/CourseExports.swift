import Foundation
import Gradebook
import Grader
import StudentServices

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

    /// Refuses to export grades some of which do not count yet (see ``GradeState``): the failure names
    /// each student and part still to come, and says how to write them blank instead (never 0).
    ///
    /// - Parameters:
    ///   - practical: only this practical's grades, when given (a Moodle assignment's worksheet).
    ///   - students: only these students, when given (those a worksheet has a row for).
    public static func requireSettled(_ grades: CourseGrades, practical: String? = nil, students: Set<String>? = nil) throws {
        var waiting: [(student: String, parts: [String])]
        if let practical {
            waiting = grades.students.compactMap { row in
                row.practicals.first { $0.practicalID == practical }.flatMap { grade in
                    PendingWork.reason(grade).map { (row.student.id, ["\(practical) (\($0))"]) }
                }
            }
        } else {
            waiting = grades.unsettled
        }
        if let students { waiting = waiting.filter { students.contains($0.student) } }
        guard !waiting.isEmpty else { return }
        let shown = waiting.prefix(20).map { "  \($0.student): \($0.parts.joined(separator: ", "))" }
        let more = waiting.count > 20 ? ["  and \(waiting.count - 20) more students (grade final lists them all)"] : []
        throw ServiceFailure("""
            nothing was written: \(waiting.count) student\(waiting.count == 1 ? " has" : "s have") grades that do not count yet, and an upload would give them numbers they have not earned:
            \((shown + more).joined(separator: "\n"))
            Grade, mark or import what is pending first (grade final says what), or pass --partial to leave them out (blank cells, worksheet rows as Moodle wrote them; never 0) for a partial upload.
            """)
    }

    /// The gradebook: id, name, email, each practical after its late penalty and its penalty, the quiz,
    /// the final grade, its percentage, and notes. A cell whose grade does not count yet is empty.
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
                cells += grade.isSettled ? [.number(grade.grade), .number(grade.penalty)] : [.empty, .empty]
            }
            if let quiz = row.quiz { cells.append(quiz.isSettled ? .number(quiz.grade) : .empty) }
            cells += row.isSettled ? [.number(row.final), .number(row.percent)] : [.empty, .empty]
            cells.append(.text(notes(row).joined(separator: "; ")))
            csv.append(cells)
        }
        return csv.text
    }

    /// Moodle's grade import: an identifier column, then one column per grade item (the practicals, the
    /// quiz and the final grade, on the course scale). A cell whose grade does not count yet is empty, which Moodle skips.
    public static func moodle(_ grades: CourseGrades, policy: CoursePolicy, identifier: MoodleIdentifier) -> String {
        var csv = CSVWriter()
        csv.append(([identifier.header] + policy.practicals.map(\.id) + (policy.quiz == nil ? [] : ["quiz"]) + ["final"]).map(CSVWriter.Cell.text))
        for row in grades.students {
            var cells: [CSVWriter.Cell] = [.text(identifier == .email ? row.student.email : row.student.id)]
            cells += row.practicals.map { $0.isSettled ? .number($0.grade) : .empty }
            if let quiz = row.quiz { cells.append(quiz.isSettled ? .number(quiz.grade) : .empty) }
            cells.append(row.isSettled ? .number(row.final) : .empty)
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

    /// What an instructor should know about a row: parts still to come, missing work, lateness, overrides.
    public static func notes(_ row: StudentGrade) -> [String] {
        var notes: [String] = []
        for grade in row.practicals {
            if grade.override == nil, let reason = PendingWork.reason(grade) { notes.append("\(grade.practicalID) pending: \(reason)") }
            if grade.state == .missing { notes.append("\(grade.practicalID) missing") }
            if let timing = grade.timing, timing.lateness.isLate { notes.append("\(grade.practicalID) \(timing.summary)") }
            if let timing = grade.timing, timing.source == .fileTime { notes.append("\(grade.practicalID) time from file dates") }
            if grade.override != nil { notes.append("\(grade.practicalID) overridden") }
        }
        if let quiz = row.quiz {
            if quiz.override == nil, let reason = PendingWork.reason(quiz) { notes.append("quiz pending: \(reason)") }
            if quiz.state == .missing { notes.append("quiz missing") }
            if quiz.override != nil { notes.append("quiz overridden") }
        }
        if row.finalOverride != nil { notes.append("final overridden") }
        return notes
    }
}
