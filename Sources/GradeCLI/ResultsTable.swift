import GradeServices
import Gradebook
import Grader
import SafeText

/// The table `grade <assignment>` prints: one row per submission graded or unchanged, with points per task,
/// automatic points, the practical grade (late penalty and override included) and status, then the summary line.
enum ResultsTable {
    /// The width the table keeps within when it can: task columns are numbered (T1, T2, …, named under
    /// the table) when their ids would make it wider.
    static let terminalWidth = 120

    static func render(_ table: GradingTable, order: GradingTable.Order = .id, untrustedTimesWarning: String? = nil) -> String {
        let named = render(table, order: order, taskHeaders: table.tasks)
        let text: String
        // Numbered when the ids leave the status column less than 40 characters.
        let idsWidth = table.tasks.map { $0.count + 2 }.reduce(0, +)
        if idsWidth + 40 + 40 > terminalWidth {
            let numbered = table.tasks.indices.map { "T\($0 + 1)" }
            text = render(table, order: order, taskHeaders: numbered) + "\n"
                + zip(numbered, table.tasks).map { "\($0) \($1)" }.joined(separator: ", ")
        } else {
            text = named
        }
        return ([text] + table.summaryLines + (untrustedTimesWarning.map { [$0] } ?? [])).joined(separator: "\n")
    }

    private static func render(_ table: GradingTable, order: GradingTable.Order, taskHeaders: [String]) -> String {
        var header = ["student"] + taskHeaders + ["auto /\(Points.text(table.automaticMaxPoints))"]
        let showsTotal = table.gradeScale != nil || table.rubricMaxPoints != nil
        if showsTotal { header.append(table.totalName) }
        header.append("status")
        let rows = table.rows(in: order).map { row -> [String] in
            var cells = [row.studentID] + table.tasks.map { task in row.taskPoints[task].map(Points.text) ?? "-" }
            cells.append(row.automaticPoints.map(Points.text) ?? "-")
            if showsTotal { cells.append(table.total(row).map { Points.text(($0 * 100).rounded() / 100) } ?? "-") }
            var status = row.status?.rawValue ?? ""
            if row.isUnchanged { status += ", unchanged" }
            let limits = row.limitsHit.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
            if !limits.isEmpty { status += ", " + limits.joined(separator: ", ") }
            let parts = ([status] + row.notes).filter { !$0.isEmpty }
            cells.append(parts.joined(separator: ", "))
            return cells
        }
        return TextTable.render(header: header, rows: rows, rightAligned: Set(1..<(header.count - 1)), width: terminalWidth)
    }
}

/// Plain-text tables with aligned columns.
enum TextTable {
    /// The table; with `width`, a last column that would make a line wider is continued on the lines
    /// below, broken after its commas.
    static func render(header: [String], rows: [[String]], rightAligned: Set<Int>, width: Int? = nil) -> String {
        var rows = rows.map { $0.map(SafeText.escaped) }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count - 1 { widths[i] = max(widths[i], cell.count) } }
        if let width, header.count > 1 {
            let indent = widths.dropLast().reduce(0, +) + 2 * (header.count - 1)
            let room = max(width - indent, 20)
            rows = rows.flatMap { row -> [[String]] in
                guard let last = row.last, last.count > room else { return [row] }
                return wrap(last, room).enumerated().map { index, piece in
                    index == 0 ? Array(row.dropLast()) + [piece] : Array(repeating: "", count: row.count - 1) + [piece]
                }
            }
        }
        for row in rows { if let last = row.last { widths[widths.count - 1] = max(widths[widths.count - 1], last.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// `text` in pieces of at most `room` characters, broken after ", " where it can be, else at a
    /// space, else (a word longer than the room) inside the word.
    static func wrap(_ text: String, _ room: Int) -> [String] {
        var pieces: [String] = []
        var current = ""
        for part in text.components(separatedBy: ", ") {
            let joined = current.isEmpty ? part : current + ", " + part
            if joined.count <= room || current.isEmpty {
                current = joined
            } else {
                pieces.append(current + ",")
                current = part
            }
        }
        pieces.append(current)
        return pieces.flatMap { piece -> [String] in
            var lines: [String] = []
            var rest = Substring(piece)
            while rest.count > room {
                let head = rest.prefix(room + 1)
                if let space = head.lastIndex(of: " "), space > rest.startIndex {
                    lines.append(String(rest[..<space]))
                    rest = rest[rest.index(after: space)...]
                } else {
                    lines.append(String(rest.prefix(room)))
                    rest = rest.dropFirst(room)
                }
            }
            lines.append(String(rest))
            return lines
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
