import ArgumentParser
import Foundation
import GradeServices
import Grader
import SafeText

/// `grade final`: computes and prints every enrolled student's course grade.
struct FinalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "final",
        abstract: "Compute the final grades from the practicals, report marks, late policy, quiz and overrides, and print them.",
        discussion: """
            Each practical is (automatic + report marks) / rubric total on the course scale, less its late penalty; the \
            quiz is its points over the points available; the final grade is their weighted sum under Rubrics/course.yaml, \
            rounded by its rule. Overrides replace computed grades. Missing work scores 0; a practical not graded yet \
            counts 0 and makes the grades provisional. Nothing is written: use grade export for the files.
            """
    )

    @Option(help: ArgumentHelp("Show how one student's grade is made up.", valueName: "id")) var student: String?
    @Flag(help: "Print the grades, with every part of them, as JSON (for scripts).") var json = false
    @OptionGroup var courseOptions: CourseOptions

    func run() throws {
        let context = try courseOptions.records()
        var grades = try context.grades()
        if let student {
            _ = try context.enrolled(student)
            grades.students = grades.students.filter { $0.student.id == student }
        }
        let warnings = FinalReport.warnings(grades, policy: context.policy)
        if json {
            print(try ResultsJSON.encode(ResultsJSON.FinalDocument(grades, scale: context.policy.scale, warnings: warnings)))
            return
        }
        if student != nil {
            if let row = grades.students.first { print(FinalReport.breakdown(row, policy: context.policy)) }
            return
        }
        print(FinalReport.table(grades, policy: context.policy))
        if !warnings.isEmpty { print("\n" + warnings.joined(separator: "\n")) }
    }
}

/// The text `grade final` prints.
enum FinalReport {
    static func table(_ grades: CourseGrades, policy: CoursePolicy) -> String {
        let scale = Points.text(policy.scale)
        var header = ["student", "name"] + policy.practicals.map { "\($0.id) (\(Points.text($0.weight))%)" }
        if let quiz = policy.quiz { header.append("quiz (\(Points.text(quiz.weight))%)") }
        header += ["final /\(scale)", "%"]
        let rows = grades.students.map { row in
            var cells = [row.student.id, row.student.name]
            cells += row.practicals.map(cell)
            if let quiz = row.quiz {
                cells.append(quiz.override != nil ? "\(Points.text(quiz.grade))*" : quiz.isMissing ? "0 missing" : Points.text(quiz.grade))
            }
            cells += [Points.text(row.final) + (row.finalOverride != nil ? "*" : ""), Points.text(row.percent)]
            return cells
        }
        var text = TextTable.render(header: header, rows: rows, rightAligned: Set(2..<header.count))
        text += "\n\nGrades out of \(scale); −n: late penalty already applied; * overridden; final rounded to \(Points.text(policy.rounding.step)) (\(policy.rounding.mode.rawValue))."
        if grades.isProvisional {
            text += "\nProvisional: \(grades.pendingPracticals.joined(separator: ", ")) not graded yet, counted as 0."
        }
        return text
    }

    static func cell(_ grade: PracticalGrade) -> String {
        if grade.override != nil { return Points.text(grade.grade) + "*" }
        switch grade.state {
        case .pending: return "pending"
        case .missing: return "0 missing"
        case .graded:
            var text = Points.text(grade.grade)
            if grade.penalty > 0 { text += " (−\(Points.text(grade.penalty)))" }
            if !grade.unmarkedItems.isEmpty { text += " unmarked" }
            return text
        }
    }

    static func warnings(_ grades: CourseGrades, policy: CoursePolicy) -> [String] {
        var lines: [String] = []
        for (practical, ids) in grades.unknownSubmissions.sorted(by: { $0.key < $1.key }) {
            lines.append("warning: \(practical) has submissions from students not on the roster (\(policy.rosterPath)): \(ids.joined(separator: ", ")); they are left out")
        }
        for practical in policy.practicals {
            let missing = grades.students.filter { $0.practicals.first { $0.practicalID == practical.id }?.state == .missing }.map(\.student.id)
            if !missing.isEmpty { lines.append("missing: no \(practical.id) submission from \(missing.joined(separator: ", ")) (0)") }
            let unmarked = grades.students.filter { !($0.practicals.first { $0.practicalID == practical.id }?.unmarkedItems.isEmpty ?? true) }.map(\.student.id)
            if !unmarked.isEmpty { lines.append("unmarked: \(practical.id) report marks missing for \(unmarked.joined(separator: ", ")) (counted as 0; grade marks import \(practical.id) <file>)") }
        }
        for (practical, ids) in grades.untrustedTimes.sorted(by: { $0.key < $1.key }) {
            if let warning = CourseGrades.untrustedTimesWarning(practical: practical, students: ids) { lines.append(warning) }
        }
        for (student, questions) in grades.unreadableQuizAnswers.sorted(by: { $0.key < $1.key }) {
            lines.append("warning: \(student)'s recorded quiz answers to \(questions.joined(separator: ", ")) are not option letters and count as blanks; import the responses again")
        }
        let noQuiz = grades.students.filter { $0.quiz?.isMissing == true && $0.quiz?.override == nil }.map(\.student.id)
        if !noQuiz.isEmpty { lines.append("missing: no quiz responses from \(noQuiz.joined(separator: ", ")) (0)") }
        return lines
    }

    static func breakdown(_ row: StudentGrade, policy: CoursePolicy) -> String {
        let scale = Points.text(policy.scale)
        var lines = ["\(row.student.name) (\(row.student.id), \(row.student.email))"]
        for (grade, practical) in zip(row.practicals, policy.practicals) {
            var line = "  \(grade.practicalID) (\(Points.text(practical.weight))%): "
            switch grade.state {
            case .pending: line += "not graded yet, counted as 0"
            case .missing: line += "no submission, 0"
            case .graded:
                line += "automatic \(Points.text(grade.automaticPoints ?? 0)) + report \(Points.text(grade.manualPoints ?? 0))"
                if !grade.unmarkedItems.isEmpty { line += " (\(grade.unmarkedItems.joined(separator: ", ")) not marked)" }
                line += " → \(Points.text(grade.beforePenalty)) / \(scale)"
                if grade.penalty > 0 { line += ", late −\(Points.text(grade.penalty)) → \(Points.text(grade.beforePenalty - grade.penalty))" }
            }
            if let override = grade.override { line += "; overridden to \(Points.text(override))" }
            lines.append(line)
            if let timing = grade.timing { lines += timing.feedbackLines.map { "      \($0)" } }
        }
        if let quiz = row.quiz, let weight = policy.quiz?.weight {
            var line = "  quiz (\(Points.text(weight))%): "
            line += quiz.points.map { "\(Points.text($0)) / \(Points.text(quiz.maxPoints)) points" } ?? "no responses"
            line += " → \(Points.text(quiz.computed)) / \(scale)"
            if let override = quiz.override { line += "; overridden to \(Points.text(override))" }
            lines.append(line)
        }
        var final = "  final: \(Points.text(row.computedFinal)) / \(scale)"
        if let override = row.finalOverride { final += "; overridden to \(Points.text(override))" }
        lines.append(final + " (\(Points.text(row.percent))%)")
        return lines.joined(separator: "\n")
    }
}
