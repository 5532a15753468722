import Gradebook
import Grader
import SafeText

/// The table `grade <assignment>` prints: one row per student, points per task, totals and status.
enum ResultsTable {
    static func render(reports: [SubmissionReport], skipped: [StoredSubmission], spec: AssignmentSpec, rubric: Rubric?,
                       timings: [String: SubmissionTiming] = [:], marks: [String: [String: Double]] = [:]) -> String {
        func manualPoints(_ student: String) -> Double { (rubric?.manual ?? []).reduce(0) { $0 + (marks[student]?[$1.id] ?? 0) } }
        func unmarked(_ student: String) -> Bool { (rubric?.manual ?? []).contains { marks[student]?[$0.id] == nil } }
        let manual = rubric?.manualPoints ?? 0
        let automatic = rubric?.automaticPoints ?? Double(spec.allChecks.count)
        var header = ["student"] + spec.tasks.map(\.id) + ["auto /\(Points.text(automatic))"]
        if manual > 0 { header.append("total /\(Points.text(automatic + manual))") }
        header.append("status")
        var rows: [[String]] = []
        for report in reports.sorted(by: { $0.folder.studentID < $1.folder.studentID }) {
            guard report.status.isGrade else {
                let blanks = Array(repeating: "-", count: spec.tasks.count + (manual > 0 ? 2 : 1))
                rows.append([report.folder.studentID] + blanks + ["grader error: not recorded, the previous grade stands"])
                continue
            }
            var row = [report.folder.studentID]
            row += spec.tasks.map { task in
                report.tasks.first { $0.taskID == task.id }.map { Points.text($0.points) } ?? "-"
            }
            row.append(Points.text(report.points))
            if manual > 0 { row.append(Points.text(report.points + manualPoints(report.folder.studentID))) }
            var status = report.status.rawValue
            if manual > 0, unmarked(report.folder.studentID) { status += ", report not marked" }
            if let timing = timings[report.folder.studentID] { status += ", \(timing.summary)" }
            row.append(status)
            rows.append(row)
        }
        for stored in skipped.sorted(by: { $0.studentID < $1.studentID }) {
            var row = [stored.studentID] + spec.tasks.map { _ in "" } + [Points.text(stored.points)]
            if manual > 0 { row.append(Points.text(stored.points + manualPoints(stored.studentID))) }
            row.append("\(stored.status.rawValue), unchanged")
            rows.append(row)
        }
        var text = TextTable.render(header: header, rows: rows, rightAligned: Set(1..<(header.count - 1)))
        let untrusted = reports.filter { report in report.status.isGrade && timings[report.folder.studentID]?.source.isTrusted != true }.map(\.folder.studentID).sorted()
        if let warning = CourseGrades.untrustedTimesWarning(practical: spec.id, students: untrusted) { text += "\n" + warning }
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
