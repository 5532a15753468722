import Foundation
import SafeText

/// Reads a marks file: `student_id`, one column per manual item of the rubric, an optional `comment`.
public enum MarksFile {
    /// The marks of one student, as one row sets them.
    public struct Row: Sendable, Hashable {
        /// The student.
        public var studentID: String
        /// The marks the row sets, in the file's column order (blank cells set nothing).
        public var marks: [Mark]
        /// The row's comment, else the default reason.
        public var reason: String
        /// The marker's comment for the student (the `comment` column), when the row has one.
        public var comment: String? = nil
    }

    /// One mark of one manual item.
    public struct Mark: Sendable, Hashable {
        /// The rubric's manual item.
        public var itemID: String
        /// The points given, from 0 to the item's points.
        public var points: Double
    }

    /// One row per line that sets at least one mark, with its reason.
    ///
    /// - Throws: ``SpecError`` listing every bad row: an id not on the roster or repeated, a mark that is
    ///   not a number or lies outside [0, points], a column that is not a manual item.
    public static func parse(_ table: CSVTable, rubric: Rubric, roster: Roster, defaultReason: String) throws -> [Row] {
        var diagnostics: [Diagnostic] = []
        let header = table.location(line: table.headerLine)
        guard let idColumn = table.column("student_id") else {
            throw SpecError(diagnostics: [.error("the header has no 'student_id' column", at: header)])
        }
        let commentColumn = table.column("comment")
        let itemNames = rubric.manual.map(\.id).joined(separator: ", ")
        var items: [(index: Int, item: ManualItem)] = []
        for (index, name) in table.header.enumerated() where index != idColumn && index != commentColumn {
            if let item = rubric.manual.first(where: { $0.id == name }) {
                items.append((index, item))
            } else {
                diagnostics.append(.error("column '\(name)' is not a manual item of the rubric (it has: \(itemNames))", at: header))
            }
        }
        if items.isEmpty, diagnostics.isEmpty {
            diagnostics.append(.error("the header names no manual item (\(itemNames))", at: header))
        }
        var seen: [String: Int] = [:]
        var rows: [Row] = []
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
            var marks: [Mark] = []
            for (index, item) in items {
                let cell = record.fields[index]
                if cell.isEmpty { continue }
                guard let value = Points.parse(cell) else {
                    diagnostics.append(.error("\(item.id): '\(cell)' is not a number", at: location))
                    continue
                }
                guard value >= 0, value <= item.points else {
                    diagnostics.append(.error("\(item.id): \(cell) is outside 0 to \(Points.text(item.points))", at: location))
                    continue
                }
                marks.append(Mark(itemID: item.id, points: value))
            }
            let comment = commentColumn.map { record.fields[$0] } ?? ""
            if !marks.isEmpty {
                rows.append(Row(studentID: id, marks: marks, reason: comment.isEmpty ? defaultReason : comment, comment: comment.isEmpty ? nil : comment))
            }
        }
        guard diagnostics.isEmpty else { throw SpecError(diagnostics: diagnostics) }
        return rows
    }
}
