import Figures
import Foundation
import Grader
import Outcomes
import Plot
import SafeText

/// A student's feedback page for one practical: the whole practical grade, every check with its cases,
/// verdicts and messages (hidden cases as the text feedback shows them), and the figures of public cases.
/// One self-contained HTML file; every text a submission could have produced is escaped twice over:
/// control characters by `SafeText`, markup by the page's library.
public enum FeedbackPage {
    /// What a page is written from.
    public struct Content: Sendable {
        /// The assignment.
        public var spec: AssignmentSpec
        /// The student.
        public var studentID: String
        /// The student's name, when known.
        public var name: String?
        /// When the submission was graded.
        public var gradedAt: Date?
        /// The recorded report; nil for a grade recorded before reports were kept.
        public var report: RecordedReport?
        /// The text feedback recorded with a grade that has no report.
        public var recordedText: String?
        /// The whole practical grade, when the course policy lists the practical and the student is enrolled.
        public var standing: PracticalStanding?
        /// When the work came in against its deadline, shown when there is no standing (which holds it otherwise).
        public var timing: SubmissionTiming?

        /// Content for a page.
        public init(spec: AssignmentSpec, studentID: String, name: String?, gradedAt: Date?, report: RecordedReport?, recordedText: String?,
                    standing: PracticalStanding?, timing: SubmissionTiming? = nil) {
            self.timing = timing
            self.spec = spec
            self.studentID = studentID
            self.name = name
            self.gradedAt = gradedAt
            self.report = report
            self.recordedText = recordedText
            self.standing = standing
        }
    }

    typealias Body = Node<HTML.BodyContext>

    /// The page, as HTML text.
    public static func render(_ content: Content) -> String {
        var body: [Body] = [header(content)]
        if let standing = content.standing {
            body.append(grade(standing))
        } else if let timing = content.timing {
            body.append(.section(.group(timing.feedbackLines.map { .p(.class("note"), .text(safe($0))) })))
        }
        if let report = content.report {
            body += summary(report)
            if report.status == .graded { body.append(failing(report)) }
            body += tasks(report, spec: content.spec)
        } else if let text = content.recordedText {
            body.append(.section(.h2("Feedback"),
                                 .p(.class("note"), .text("This grade was recorded before detailed reports were kept; its feedback as written then:")),
                                 .pre(.text(safe(text)))))
        }
        let graded = content.gradedAt.map { "; graded " + timestamp($0) } ?? ""
        body.append(.footer(.p(.text("Written by grade \(GraderVersion.current) from the gradebook\(graded)."))))
        return PageStyle.document(title: safe("\(content.spec.title) — \(content.studentID)"), body)
    }

    /// `text` with control and bidirectional characters shown, not obeyed, ready for a text node (`Escaping.text`).
    static func safe(_ text: String) -> String { Escaping.text(SafeText.escaped(text)) }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date) + " UTC"
    }

    static func header(_ content: Content) -> Body {
        .header(
            .h1(.text(safe("\(content.spec.title) — \(content.studentID)"))),
            .unwrap(content.name) { .p(.class("subtitle"), .text(safe($0))) }
        )
    }

    static func grade(_ standing: PracticalStanding) -> Body {
        let rows = standing.rows
        var notes: [Body] = []
        for mark in standing.marks {
            if let comment = mark.comment, !comment.isEmpty {
                notes.append(.p(.strong(.text(safe("\(mark.title), the marker's comment: "))), .text(safe(comment))))
            }
        }
        if let timing = standing.grade.timing { notes += timing.feedbackLines.map { .p(.class("note"), .text(safe($0))) } }
        if standing.grade.override != nil {
            notes.append(.p(.class("note"), .text(safe("The grade was set by hand: \(standing.overrideReason ?? "no reason recorded")."))))
        }
        return .section(.class("grade"),
            .h2("Your grade for this practical"),
            .table(.forEach(rows.enumerated()) { index, row in
                .tr(.if(index == rows.count - 1, .class("total")), .td(.text(safe(row.what))), .td(.class("number"), .text(row.points)))
            }),
            .group(notes)
        )
    }

    static func summary(_ report: RecordedReport) -> [Body] {
        var nodes: [Body] = [.p(.text("Automatic checks: \(Points.text(report.points)) / \(Points.text(report.maxPoints))."))]
        if !report.includesHidden {
            nodes.append(.p(.class("note"), .text("Only public cases were run. Hidden cases also count towards your grade: passing every public case does not guarantee full marks.")))
        }
        nodes += report.notes.map { .p(.class("note"), .text(safe("Note: \($0)"))) }
        switch report.status {
        case .graded: break
        case .compileError, .compileTimeout, .compileMemoryLimit:
            nodes.append(.section(.h2("Your submission does not build"), .p("So no case could run. The compiler said:"),
                                  .pre(.text(safe(report.buildMessage ?? "")))))
        case .noSources:
            nodes.append(.p(.text(safe("Nothing to grade: \(report.buildMessage ?? "no sources")"))))
        case .graderError:
            nodes.append(.p(.text(safe("Not graded: the grader failed through no fault of yours. \(report.graderFault ?? "")"))))
        }
        return nodes
    }

    /// The anchor of a check's part of the page.
    static func anchor(_ check: CheckReport) -> String { "check-\(check.checkID)" }

    /// The checks that failed a case, each linked to its part of the page, so that a student sees what to fix
    /// before the figures of everything that passed.
    static func failing(_ report: RecordedReport) -> Body {
        let failed = report.checks.filter { $0.passedCount < $0.cases.count }
        guard !failed.isEmpty else {
            return .section(.class("failing"), .h2("What failed"), .p(.text("Nothing: every case of every check passed.")))
        }
        let tasks = Dictionary(report.tasks.map { ($0.taskID, $0.title) }, uniquingKeysWith: { first, _ in first })
        return .section(.class("failing"),
            .h2(.text("What failed: \(Feedback.count(failed.count, "check")) of \(report.checks.count)")),
            .ul(.forEach(failed) { check in
                .li(.a(.href("#" + Escaping.attribute(anchor(check))), .text(safe(check.title))),
                    .text(safe(" (\(tasks[check.taskID] ?? check.taskID)): \(check.cases.count - check.passedCount) of \(Feedback.count(check.cases.count, "case")) failed, \(Points.text(check.points)) / \(Points.text(check.maxPoints)) points")))
            })
        )
    }

    static func tasks(_ report: RecordedReport, spec: AssignmentSpec) -> [Body] {
        var figureNumber = 0
        return report.tasks.map { task in
            let checks = report.checks.filter { $0.taskID == task.taskID }
            return .section(.class("task"),
                .h2(.text(safe("\(task.title): \(Points.text(task.points)) / \(Points.text(task.maxPoints))"))),
                .forEach(checks) { check in
                    let ok = check.passedCount == check.cases.count
                    var figures: [Body] = []
                    var explanations: [String] = []
                    if report.status == .graded {
                        for item in check.cases {
                            for figure in item.figures {
                                figureNumber += 1
                                figures.append(.element(named: "figure", nodes: [
                                    FigureSVG.markup(figure, id: "f\(figureNumber)"),
                                    .element(named: "figcaption", nodes: [.text(safe("\(item.label): \(figure.title)"))]),
                                ]))
                                // What to look for, said once per check.
                                if !figure.caption.isEmpty, !explanations.contains(figure.caption) { explanations.append(figure.caption) }
                            }
                        }
                    }
                    return .article(.class("check"), .id(Escaping.attribute(anchor(check))),
                        .h3(.span(.class("badge \(ok ? "ok" : "failing")"), .text(ok ? "✓" : "✗")), .text(" " + safe(check.title) + " "),
                            .span(.class("kind"), .text("(\(check.kind.rawValue) check \(check.checkID))"))),
                        .p(.text("\(check.casesSummary), \(Points.text(check.points)) / \(Points.text(check.maxPoints)) points")),
                        .if(report.status == .graded, cases(check)),
                        .forEach(explanations) { .p(.class("note"), .text(safe($0))) },
                        .if(!figures.isEmpty, .div(.class("figures"), .group(figures)))
                    )
                }
            )
        }
    }

    static func cases(_ check: CheckReport) -> Body {
        .table(.class("cases"),
            .tr(.th("case"), .th("verdict"), .th("what it means")),
            .forEach(check.cases) { item in
                .tr(
                    .td(.text(item.label)),
                    .td(.span(.class("verdict \(item.verdict.isAccepted ? "accepted" : "failed")"), .text(item.verdict.label))),
                    .td(.div(.class("message"), .text(item.message.isEmpty ? "—" : safe(item.message))),
                        .unwrap(item.inputs) { .div(.class("inputs"), .text(safe("inputs: \($0)"))) })
                )
            }
        )
    }
}
