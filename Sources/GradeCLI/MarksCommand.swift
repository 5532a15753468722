import ArgumentParser
import Foundation
import Gradebook
import Grader

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
            let context = try CourseContext.load(courseOptions)
            let rubric = try context.rubric(for: assignment)
            guard !rubric.manual.isEmpty else { throw CommandFailure("the rubric of \(assignment) has no manual items to mark") }
            let table: CSVTable
            do { table = try CSVTable.read(URL(fileURLWithPath: file)) } catch let error as SpecError {
                throw CommandFailure("nothing was imported:\n\(error)")
            }
            let defaultReason = reason ?? "imported from \(URL(fileURLWithPath: file).lastPathComponent)"
            let rows: [(marks: [ManualMarkInput], reason: String)]
            do { rows = try MarksFile.parse(table, rubric: rubric, roster: context.roster, defaultReason: defaultReason) } catch let error as SpecError {
                throw CommandFailure("nothing was imported:\n\(error)")
            }
            let marks = rows.flatMap { row in row.marks.map { ManualMarkInput(studentID: $0.studentID, itemID: $0.itemID, points: $0.points, reason: row.reason) } }
            let changed = try context.gradebook.setManualMarks(marks, assignmentID: assignment, reason: defaultReason,
                                                               actor: CourseContext.actor, action: "mark-import")
            print("Imported marks of \(rows.count) student\(rows.count == 1 ? "" : "s") for \(assignment): \(changed) mark\(changed == 1 ? "" : "s") changed")
            let graded = Swift.Set(try context.gradebook.currentGrades(assignmentID: assignment).map(\.studentID))
            let ungraded = rows.compactMap { $0.marks.first?.studentID }.filter { !graded.contains($0) }
            if !ungraded.isEmpty {
                Diagnostics.write("warning: no graded submission yet for \(ungraded.joined(separator: ", ")); their marks are kept and count once a submission is graded")
            }
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
            let context = try CourseContext.load(courseOptions)
            let rubric = try context.rubric(for: assignment)
            _ = try context.enrolled(student)
            guard let manual = rubric.manual.first(where: { $0.id == item }) else {
                throw CommandFailure("'\(item)' is not a manual item of Rubrics/\(assignment).yaml (it has: \(rubric.manual.map(\.id).joined(separator: ", ")))")
            }
            guard let value = parseNumber(points), value >= 0, value <= manual.points else {
                throw CommandFailure("'\(points)' is not a mark for \(item): give a number from 0 to \(FeedbackRenderer.points(manual.points))")
            }
            let changed = try context.gradebook.setManualMarks([ManualMarkInput(studentID: student, itemID: item, points: value)],
                                                               assignmentID: assignment, reason: why, actor: CourseContext.actor)
            print(changed == 0 ? "\(student)'s \(item) mark for \(assignment) is already \(FeedbackRenderer.points(value))"
                               : "Set \(student)'s \(item) mark for \(assignment) to \(FeedbackRenderer.points(value)) / \(FeedbackRenderer.points(manual.points))")
        }
    }

    /// `grade marks list practical2`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the marks of a practical's manual items, and who has none yet.")

        @Argument(help: ArgumentHelp("The practical, such as practical2.", valueName: "assignment")) var assignment: String
        @OptionGroup var courseOptions: CourseOptions

        func run() throws {
            let context = try CourseContext.load(courseOptions)
            let rubric = try context.rubric(for: assignment)
            var marks: [String: [String: ManualMark]] = [:]
            for mark in try context.gradebook.manualMarks(assignmentID: assignment) { marks[mark.studentID, default: [:]][mark.itemID] = mark }
            let header = ["student"] + rubric.manual.map { "\($0.id) /\(FeedbackRenderer.points($0.points))" } + ["reason"]
            let rows = context.roster.students.map { student in
                let own = marks[student.id] ?? [:]
                return [student.id] + rubric.manual.map { own[$0.id].map { FeedbackRenderer.points($0.points) } ?? "-" }
                    + [own.values.sorted { $0.updatedAt < $1.updatedAt }.last?.reason ?? ""]
            }
            print(TextTable.render(header: header, rows: rows, rightAligned: Swift.Set(1...rubric.manual.count)))
        }
    }
}

/// Reads a marks file: `student_id`, one column per manual item, an optional `comment`.
enum MarksFile {
    /// One entry per row that sets at least one mark, with its reason.
    ///
    /// - Throws: ``SpecError`` listing every bad row: an id not on the roster or repeated, a mark that is
    ///   not a number or lies outside [0, points], a column that is not a manual item.
    static func parse(_ table: CSVTable, rubric: Rubric, roster: Roster, defaultReason: String) throws -> [(marks: [ManualMarkInput], reason: String)] {
        var diagnostics: [Diagnostic] = []
        let header = table.location(line: table.headerLine)
        guard let idColumn = table.column("student_id") else {
            throw SpecError(diagnostics: [.error("the header has no 'student_id' column", at: header)])
        }
        let commentColumn = table.column("comment")
        var items: [(index: Int, item: ManualItem)] = []
        for (index, name) in table.header.enumerated() where index != idColumn && index != commentColumn {
            if let item = rubric.manual.first(where: { $0.id == name }) {
                items.append((index, item))
            } else {
                diagnostics.append(.error("column '\(name)' is not a manual item of the rubric (it has: \(rubric.manual.map(\.id).joined(separator: ", ")))", at: header))
            }
        }
        if items.isEmpty, diagnostics.isEmpty {
            diagnostics.append(.error("the header names no manual item (\(rubric.manual.map(\.id).joined(separator: ", ")))", at: header))
        }
        var seen: [String: Int] = [:]
        var rows: [(marks: [ManualMarkInput], reason: String)] = []
        for record in table.records {
            let location = table.location(line: record.line)
            let id = record.fields[idColumn]
            if !roster.contains(id) {
                diagnostics.append(.error(id.isEmpty ? "student_id is empty" : "student '\(id)' is not on the roster", at: location))
                continue
            }
            if let first = seen[id] {
                diagnostics.append(.error("student '\(id)' already has marks at line \(first)", at: location))
                continue
            }
            seen[id] = record.line
            var marks: [ManualMarkInput] = []
            for (index, item) in items {
                let cell = record.fields[index]
                if cell.isEmpty { continue }
                guard let value = parseNumber(cell) else {
                    diagnostics.append(.error("\(item.id): '\(cell)' is not a number", at: location))
                    continue
                }
                guard value >= 0, value <= item.points else {
                    diagnostics.append(.error("\(item.id): \(cell) is outside 0 to \(FeedbackRenderer.points(item.points))", at: location))
                    continue
                }
                marks.append(ManualMarkInput(studentID: id, itemID: item.id, points: value))
            }
            let comment = commentColumn.map { record.fields[$0] } ?? ""
            if !marks.isEmpty { rows.append((marks, comment.isEmpty ? defaultReason : comment)) }
        }
        guard diagnostics.isEmpty else { throw SpecError(diagnostics: diagnostics) }
        return rows
    }
}
