import ArgumentParser
import Foundation
import GradeServices
import Grader
import SafeText
import StudentServices

/// `grade final`: computes and prints every enrolled student's course grade.
struct FinalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "final",
        abstract: "Compute the final grades from the practicals, report marks, late policy, quiz and overrides, and print them.",
        discussion: """
            Each practical is (automatic + report marks) / rubric total on the course scale, less its late penalty; the \
            quiz is its points over the points available; the final grade is their weighted sum under Rubrics/course.yaml, \
            rounded by its rule. Overrides replace computed grades. Work not handed in by its deadline scores 0 \
            (missing); work handed in and not graded yet, a practical or quiz not graded or imported yet, work not due \
            yet and unmarked reports are pending: their cells say so, and a final grade with a pending part shows as \
            pending. Nothing is written: use grade export for the files.
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
            cells += row.practicals.map(\.cell)
            if let quiz = row.quiz { cells.append(quiz.cell) }
            cells += [row.finalCell, row.isSettled ? Points.text(row.percent) : ""]
            return cells
        }
        var text = TextTable.render(header: header, rows: rows, rightAligned: Set(2..<header.count))
        text += "\n\nGrades out of \(scale); −n: late penalty already applied; * overridden; final rounded to \(Points.text(policy.rounding.step)) (\(policy.rounding.mode.rawValue))."
        if grades.isProvisional {
            let count = grades.unsettled.count
            text += "\nPending: \(count) student\(count == 1 ? "'s" : "s'") final grade\(count == 1 ? " does" : "s do") not count yet (the parts below); "
                + "grade export refuses to write them (with --partial, it leaves them blank)."
        }
        return text
    }

    static func warnings(_ grades: CourseGrades, policy: CoursePolicy) -> [String] {
        var lines: [String] = []
        for (practical, ids) in grades.unknownSubmissions.sorted(by: { $0.key < $1.key }) {
            lines.append("warning: \(practical) has submissions from students not on the roster (\(policy.rosterPath)): \(ids.joined(separator: ", ")); they are left out")
        }
        for practical in policy.practicals {
            let parts = grades.students.compactMap { row in row.practicals.first { $0.practicalID == practical.id }.map { (row.student.id, $0) } }
            func students(_ include: (PracticalGrade) -> Bool) -> [String] { parts.filter { include($0.1) }.map(\.0) }
            if grades.pendingPracticals.contains(practical.id) {
                lines.append("pending: \(practical.id) has not been graded yet (run grade \(practical.id))")
                continue
            }
            let open: (PracticalGrade) -> Bool = { $0.override == nil }
            let handedIn = students { open($0) && $0.state == .pending }
            if !handedIn.isEmpty { lines.append("pending: \(practical.id) handed in, not graded yet: \(handedIn.joined(separator: ", ")) (run grade \(practical.id))") }
            for (id, grade) in parts where open(grade) && grade.state == .graderFault {
                lines.append("grader fault: \(practical.id) of \(id) was not graded (\(grade.fault ?? "the grader failed")); "
                             + "once the fault is fixed, run grade \(practical.id) --student \(id)")
            }
            let notDue = parts.filter { open($0.1) && $0.1.state == .notDue }
            if !notDue.isEmpty {
                lines.append("not due: nothing handed in yet for \(practical.id) by \(notDue.map { "\($0.0) (due \($0.1.deadlineText ?? "later"))" }.joined(separator: ", "))")
            }
            let missing = students { open($0) && $0.state == .missing }
            if !missing.isEmpty { lines.append("missing: no \(practical.id) submission by the deadline from \(missing.joined(separator: ", ")) (0)") }
            let unmarked = students { open($0) && $0.state == .graded && !$0.unmarkedItems.isEmpty }
            if !unmarked.isEmpty { lines.append("unmarked: \(practical.id) report marks missing for \(unmarked.joined(separator: ", ")) (pending; grade marks import \(practical.id) <file>)") }
        }
        for (practical, ids) in grades.untrustedTimes.sorted(by: { $0.key < $1.key }) {
            if let warning = CourseGrades.untrustedTimesWarning(practical: practical, students: ids) { lines.append(warning) }
        }
        for (student, questions) in grades.unreadableQuizAnswers.sorted(by: { $0.key < $1.key }) {
            lines.append("warning: \(student)'s recorded quiz answers to \(questions.joined(separator: ", ")) are not option letters and count as blanks; import the responses again")
        }
        let quizzes = grades.students.compactMap { row in row.quiz.map { (row.student.id, $0) } }.filter { $0.1.override == nil }
        if quizzes.contains(where: { $0.1.state == .pending }) {
            lines.append("pending: no quiz responses imported yet (run grade mcq import <responses.csv>)")
        }
        let noQuiz = quizzes.filter { $0.1.state == .missing }.map(\.0)
        if !noQuiz.isEmpty { lines.append("missing: no quiz responses from \(noQuiz.joined(separator: ", ")) (0)") }
        return lines
    }

    static func breakdown(_ row: StudentGrade, policy: CoursePolicy) -> String {
        let scale = Points.text(policy.scale)
        var lines = ["\(row.student.name) (\(row.student.id), \(row.student.email))"]
        for (grade, practical) in zip(row.practicals, policy.practicals) {
            var line = "  \(grade.practicalID) (\(Points.text(practical.weight))%): "
            switch grade.state {
            case .pending, .notDue, .graderFault:
                line += grade.override == nil ? "pending: \(PendingWork.reason(grade) ?? grade.state.word); \(PendingWork.nextStep(grade))"
                                              : "\(grade.state.word), set by hand"
            case .missing: line += "nothing handed in by the deadline (\(grade.deadlineText ?? "passed")), 0"
            case .graded:
                line += "automatic \(Points.text(grade.automaticPoints ?? 0)) + report \(Points.text(grade.manualPoints ?? 0))"
                if !grade.unmarkedItems.isEmpty { line += " (\(grade.unmarkedItems.joined(separator: ", ")) not marked)" }
                line += " → \(Points.text(grade.beforePenalty)) / \(scale)"
                if grade.penalty > 0 { line += ", late −\(Points.text(grade.penalty)) → \(Points.text(grade.beforePenalty - grade.penalty))" }
                if !grade.unmarkedItems.isEmpty && grade.override == nil { line += "; pending until marked (\(PendingWork.nextStep(grade)))" }
            }
            if let override = grade.override { line += "; overridden to \(Points.text(override))" }
            lines.append(line)
            if let timing = grade.timing { lines += timing.feedbackLines.map { "      \($0)" } }
        }
        if let quiz = row.quiz, let weight = policy.quiz?.weight {
            var line = "  quiz (\(Points.text(weight))%): "
            switch quiz.state {
            case .pending: line += "pending: no quiz responses imported yet (grade mcq import <responses.csv>)"
            case .missing: line += "no responses, 0 / \(scale)"
            default: line += "\(Points.text(quiz.points ?? 0)) / \(Points.text(quiz.maxPoints)) points → \(Points.text(quiz.computed)) / \(scale)"
            }
            if let override = quiz.override { line += "; overridden to \(Points.text(override))" }
            lines.append(line)
        }
        if let override = row.finalOverride {
            lines.append("  final: \(Points.text(row.computedFinal)) / \(scale); overridden to \(Points.text(override)) (\(Points.text(row.percent))%)")
        } else if row.isSettled {
            lines.append("  final: \(Points.text(row.computedFinal)) / \(scale) (\(Points.text(row.percent))%)")
        } else {
            lines.append("  final: pending, until \(row.unsettledParts.joined(separator: ", ")) count; "
                         + "at least \(Points.text(row.computedFinal)) / \(scale) from the parts that count so far")
        }
        return lines.joined(separator: "\n")
    }
}
