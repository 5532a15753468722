import Foundation
import GradeServices
import Outcomes
import Testing
@testable import GradeCLI

/// The table a grading run prints, at the size of a real class.
struct GradingTableTests {
    /// 150 students of practical 1 with every kind of row: graded, late, overridden, over a limit, not
    /// building, unchanged, and the grader's own failures.
    static func classOf150() -> GradingTable {
        var generator = SystemRandomNumberGenerator()
        let tasks = ["numerical-gradient", "gradient-descent", "armijo", "newton", "perceptron"]
        let rows = (0..<150).map { i -> GradingTable.Row in
            let id = String(format: "student%03d", i)
            if i % 50 == 7 {
                return GradingTable.Row(studentID: id, taskPoints: [:], automaticPoints: nil, grade: nil, rubricTotal: nil, status: nil, isUnchanged: false,
                                        limitsHit: [:], notes: ["grader error: not recorded, the previous grade stands"])
            }
            let status: SubmissionStatus = i % 30 == 3 ? .compileError : .graded
            let points = status == .graded ? Dictionary(uniqueKeysWithValues: tasks.map { ($0, Double(Int.random(in: 0...16, using: &generator)) / 4) }) : [:]
            let automatic = points.values.reduce(0, +)
            var notes: [String] = []
            if i % 4 == 0 { notes.append(GradingTable.Row.unmarked) }
            if i % 9 == 0 { notes.append("3 days late: −30%") }
            if i % 37 == 0 { notes.append("override 12.5 (computed 9.75)") }
            return GradingTable.Row(studentID: id, taskPoints: points, automaticPoints: automatic, grade: min(20, automatic * 1.1), rubricTotal: nil,
                                    status: status, isUnchanged: i % 5 == 1, limitsHit: i % 11 == 0 ? [.cpuLimit: 2, .timeLimit: 1] : [:], notes: notes)
        }
        return GradingTable(tasks: tasks, automaticMaxPoints: 16, gradeScale: 20, rubricMaxPoints: nil, rows: rows)
    }

    @Test func aClassOf150FitsATerminalAndEndsWithWhatNeedsAttention() throws {
        let table = Self.classOf150()
        let text = ResultsTable.render(table, order: .total)
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= ResultsTable.terminalWidth }, "widest line: \(lines.max { $0.count < $1.count } ?? "")")
        let rows = lines.filter { $0.hasPrefix("student") && !$0.hasPrefix("student ") }
        #expect(rows.count == 150, "one line per student, and continuation lines for long statuses")
        #expect(lines[0].split(separator: " ").joined(separator: " ") == "student T1 T2 T3 T4 T5 auto /16 grade /20 status")
        #expect(lines[lines.count - 4] == "T1 numerical-gradient, T2 gradient-descent, T3 armijo, T4 newton, T5 perceptron")
        let summary = table.summary
        #expect(summary.graded + summary.unchanged + summary.graderErrors == 150)
        #expect(summary.graderErrors == 3 && summary.failedToBuild == 5 && summary.hitLimits == 14 && summary.unmarked == 38)
        #expect(lines[lines.count - 3] == "150 submissions: \(summary.graded) graded, \(summary.unchanged) unchanged, 3 grader errors (not recorded)")
        #expect(lines[lines.count - 2] == "Needs attention: 5 did not build, 14 hit a limit (a training budget too), 38 reports not marked")
        #expect(lines[lines.count - 1].hasPrefix("grade /20 of 147: mean "))
        // Sorted by total, highest first; the grader's failures, with no total, last.
        let totals = rows.compactMap { line -> Double? in
            let cells = line.split(separator: " ", omittingEmptySubsequences: true)
            return cells.count > 7 ? Double(cells[7]) : nil
        }
        #expect(totals == totals.sorted(by: >))
        #expect(rows[147...149].allSatisfy { $0.contains("grader error") })
        // The worst row (limits, unmarked, late and overridden) goes on over a second line.
        let worst = try #require(lines.firstIndex { $0.hasPrefix("student000") })
        #expect(lines[worst + 1].hasPrefix("       ") && (lines[worst] + lines[worst + 1]).contains("override 12.5"))
        // Nothing is cut: every part of every row's status is in the table.
        for row in table.rows {
            let start = try #require(lines.firstIndex { $0.hasPrefix(row.studentID + " ") })
            var status = String(lines[start])
            for next in lines[(start + 1)...] {
                guard next.hasPrefix(" ") else { break }
                status += String(next)
            }
            for note in row.notes { #expect(status.contains(note), "\(row.studentID): \(note)") }
        }
    }

    @Test func theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        let rows = [4.0, 1, 3, 10].enumerated().map { i, total in
            GradingTable.Row(studentID: "s\(i)", taskPoints: [:], automaticPoints: total, grade: nil, rubricTotal: nil, status: .graded,
                             isUnchanged: false, limitsHit: [:], notes: [])
        }
        let summary = GradingTable(tasks: [], automaticMaxPoints: 16, gradeScale: nil, rubricMaxPoints: nil, rows: rows).summary
        #expect(summary.median == 3.5 && summary.mean == 4.5)
    }

    @Test func aFolderWithoutSwiftSourcesIsNamedWithWhatToDo() {
        let rows = [("ana", SubmissionStatus.graded), ("ben", .noSources), ("cy", .noSources)].map { id, status in
            GradingTable.Row(studentID: id, taskPoints: [:], automaticPoints: status == .graded ? 10 : 0, grade: nil, rubricTotal: nil, status: status,
                             isUnchanged: false, limitsHit: [:], notes: [])
        }
        let table = GradingTable(tasks: [], automaticMaxPoints: 16, gradeScale: nil, rubricMaxPoints: nil, rows: rows)
        #expect(table.summary.noSources == 2 && table.summary.failedToBuild == 0)
        #expect(table.summaryLines[1] == "Needs attention: 0 did not build, 2 with no .swift file, 0 hit a limit (a training budget too)")
        #expect(table.summaryLines[2] == "No .swift file from ben, cy")
        #expect(table.summaryLines[3].contains("put the .swift files in the student's folder, then grade it with --student <id>"))
    }

    @Test func aLongCellBreaksAfterCommasThenAtSpacesThenInsideAWord() {
        #expect(TextTable.wrap("imported from moodle-worksheet", 20) == ["imported from", "moodle-worksheet"])
        #expect(TextTable.wrap("2 cpu-limit, 3 days late: −30%", 16) == ["2 cpu-limit,", "3 days late:", "−30%"])
        #expect(TextTable.wrap("abcdefghijklmnopqrstuvwxyz", 10) == ["abcdefghij", "klmnopqrst", "uvwxyz"])
    }
}
