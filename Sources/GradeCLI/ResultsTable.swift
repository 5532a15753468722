import GradeServices
import Gradebook
import Grader
import SafeText

/// The table `grade <assignment>` prints: one row per submission graded or unchanged, with points per task,
/// automatic points, the practical grade (late penalty and override included) and status, then the summary line.
enum ResultsTable {
    static func render(_ table: GradingTable, order: GradingTable.Order = .id, untrustedTimesWarning: String? = nil) -> String {
        var header = ["student"] + table.tasks + ["auto /\(Points.text(table.automaticMaxPoints))"]
        let showsTotal = table.gradeScale != nil || table.rubricMaxPoints != nil
        if showsTotal { header.append(table.totalName) }
        header.append("status")
        let rows = table.rows(in: order).map { row -> [String] in
            var cells = [row.studentID] + table.tasks.map { task in row.taskPoints[task].map(Points.text) ?? "-" }
            cells.append(row.automaticPoints.map(Points.text) ?? "-")
            if showsTotal { cells.append((row.grade ?? row.rubricTotal).map { Points.text(($0 * 100).rounded() / 100) } ?? "-") }
            var status = row.status?.rawValue ?? ""
            if row.isUnchanged { status += ", unchanged" }
            let limits = row.limitsHit.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
            if !limits.isEmpty { status += ", " + limits.joined(separator: ", ") }
            let parts = ([status] + row.notes).filter { !$0.isEmpty }
            cells.append(parts.joined(separator: ", "))
            return cells
        }
        var text = TextTable.render(header: header, rows: rows, rightAligned: Set(1..<(header.count - 1)))
        text += "\n" + table.summaryLine
        if let untrustedTimesWarning { text += "\n" + untrustedTimesWarning }
        return text
    }
}

/// Plain-text tables with aligned columns.
enum TextTable {
    static func render(header: [String], rows: [[String]], rightAligned: Set<Int>) -> String {
        let rows = rows.map { $0.map(SafeText.escaped) }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
