import Foundation
import SafeText

/// Turns a submission report into the text a student reads.
public enum FeedbackRenderer {
    /// The full feedback of a report just graded (`render(_:spec:rubric:timing:standing:)` of its record).
    public static func render(_ report: SubmissionReport, spec: AssignmentSpec, rubric: Rubric?, timing: SubmissionTiming? = nil) -> String {
        render(RecordedReport(report), spec: spec, rubric: rubric, timing: timing)
    }

    /// The full feedback: a header, the build result, then every check with its failing cases.
    ///
    /// With `standing` (the whole practical grade, from the gradebook), a section after the total gives it;
    /// else, with `timing`, a paragraph says when the work came in, how that was known, and any late penalty.
    /// The text is safe to show: control characters from the submission are escaped (`SafeText`).
    public static func render(_ report: RecordedReport, spec: AssignmentSpec, rubric: Rubric?, timing: SubmissionTiming? = nil,
                              standing: PracticalStanding? = nil) -> String {
        var lines: [String] = []
        let title = "\(spec.title) — \(report.studentID)"
        lines.append(title)
        lines.append(String(repeating: "=", count: title.count))
        var total = "Automatic checks: \(Points.text(report.points)) / \(Points.text(report.maxPoints))"
        if let rubric, rubric.manualPoints > 0, standing == nil {
            total += " (the remaining \(Points.text(rubric.manualPoints)) points — \(rubric.manual.map(\.title).joined(separator: ", ")) — are marked by hand)"
        }
        lines.append(total)
        if !report.includesHidden {
            lines.append("Only public cases were run. Hidden cases also count towards your grade: passing every public case does not guarantee full marks.")
        }
        if let standing {
            lines.append("")
            lines.append(contentsOf: standing.textLines)
        } else if let timing {
            lines.append(contentsOf: timing.feedbackLines)
        }
        lines.append(contentsOf: report.notes.map { "Note: \($0)" })
        switch report.status {
        case .graded:
            break
        case .compileError, .compileTimeout, .compileMemoryLimit:
            lines.append("")
            lines.append("Your submission does not build, so no case could run. The compiler said:")
            lines.append(contentsOf: (report.buildMessage ?? "").split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" })
        case .noSources:
            lines.append("")
            lines.append("Nothing to grade: \(report.buildMessage ?? "no sources")")
        case .graderError:
            lines.append("")
            lines.append("Not graded: the grader failed through no fault of yours, and your previous grade stands. \(report.graderFault ?? "")")
        }
        for task in report.tasks {
            lines.append("")
            lines.append("\(task.title): \(Points.text(task.points)) / \(Points.text(task.maxPoints))")
            for check in report.checks where check.taskID == task.taskID {
                lines.append("  [\(check.passedCount == check.cases.count ? "ok" : "!!")] \(check.title) (\(check.kind.rawValue) check \(check.checkID)): \(check.casesSummary), \(Points.text(check.points)) / \(Points.text(check.maxPoints))")
                guard report.status == .graded else { continue }
                for item in check.cases where !item.verdict.isAccepted || !item.message.isEmpty {
                    lines.append("      \(item.label): \(item.verdict.label) — \(item.message)")
                    if let inputs = item.inputs { lines.append("        inputs: \(inputs)") }
                }
            }
        }
        return SafeText.escaped(lines.joined(separator: "\n") + "\n")
    }
}
