import ArgumentParser
import Foundation
import GradeServices
import Gradebook
import Grader
import SafeText
import StudentCLI

/// `grade marks`: the rubric's manual items (the written report), entered by hand.
struct MarksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marks",
        abstract: "Enter the marks of a rubric's manual items, such as the written report.",
        subcommands: [Import.self, Set.self, List.self]
    )

    /// `grade marks import practical2 marks.csv`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import marks from a CSV file: student_id, one column per manual item of the rubric, and an optional comment.",
            discussion: """
                Each row sets the marks of one student; a blank cell leaves that mark as it is. Marks may use '.' or ',' as \
                the decimal separator and must lie between 0 and the item's points. A row's comment, else --reason, else \
                "imported from <file>", is kept as the reason. The whole file is checked first: if any row is wrong, \
                every problem is listed with its line and nothing is recorded.
                """
        )

        @Argument(help: ArgumentHelp("The practical, such as practical2.", valueName: "assignment")) var assignment: String
        @Argument(help: ArgumentHelp("The CSV file of marks.", valueName: "file")) var file: String
        @Option(help: "Why, for the audit log (default: the row's comment, else \"imported from <file>\").") var reason: String?
        @OptionGroup var courseOptions: CourseOptions

        func run() throws {
            let records = try courseOptions.records()
            let done = try records.importMarks(assignment, from: URL(fileURLWithPath: file), reason: reason)
            print("Imported marks of \(done.students) student\(done.students == 1 ? "" : "s") for \(assignment): \(done.changed) mark\(done.changed == 1 ? "" : "s") changed")
            if !done.ungraded.isEmpty {
                Diagnostics.write("warning: no graded submission yet for \(done.ungraded.joined(separator: ", ")); their marks are kept and count once a submission is graded")
            }
            if done.changed > 0 { FeedbackRefresh.rewrite(assignment) { try records.refreshFeedback(assignment) } }
        }
    }

    /// `grade marks set practical2 alice report 3.5 --reason "..."`.
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set one student's mark for one manual item, with a reason.")

        @Argument(help: ArgumentHelp("The practical, such as practical2.", valueName: "assignment")) var assignment: String
        @Argument(help: ArgumentHelp("The student id.", valueName: "student")) var student: String
        @Argument(help: ArgumentHelp("The manual item of the rubric, such as report.", valueName: "item")) var item: String
        @Argument(help: ArgumentHelp("The mark, between 0 and the item's points.", valueName: "points")) var points: String
        @Option(help: "Why, for the audit log (required).") var reason: String?
        @OptionGroup var courseOptions: CourseOptions

        func run() throws {
            let why = try requireReason(reason)
            let records = try courseOptions.records()
            let mark = try records.setMark(assignment, student: student, item: item, points: points, reason: why)
            print(!mark.changed ? "\(student)'s \(item) mark for \(assignment) is already \(Points.text(mark.points))"
                                : "Set \(student)'s \(item) mark for \(assignment) to \(Points.text(mark.points)) / \(Points.text(mark.of))")
            if mark.changed { FeedbackRefresh.rewrite(assignment) { try records.refreshFeedback(assignment, students: [student]) } }
        }
    }

    /// `grade marks list practical2`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the marks of a practical's manual items, and who has none yet.")

        @Argument(help: ArgumentHelp("The practical, such as practical2.", valueName: "assignment")) var assignment: String
        @OptionGroup var courseOptions: CourseOptions

        func run() throws {
            let context = try courseOptions.records()
            let rubric = try context.rubric(for: assignment)
            var marks: [String: [String: ManualMark]] = [:]
            for mark in try context.gradebook.manualMarks(assignmentID: assignment) { marks[mark.studentID, default: [:]][mark.itemID] = mark }
            let header = ["student"] + rubric.manual.map { "\($0.id) /\(Points.text($0.points))" } + ["reason"]
            let rows = context.roster.students.map { student in
                let own = marks[student.id] ?? [:]
                return [student.id] + rubric.manual.map { own[$0.id].map { Points.text($0.points) } ?? "-" }
                    + [own.values.sorted { $0.updatedAt < $1.updatedAt }.last?.reason ?? ""]
            }
            print(TextTable.render(header: header, rows: rows, rightAligned: Swift.Set(1...rubric.manual.count)))
        }
    }
}
