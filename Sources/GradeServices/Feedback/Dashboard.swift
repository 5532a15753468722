import Figures
import Foundation
import Gradebook
import Grader
import Outcomes
import Plot
import SafeText

/// The instructor's pages: one per practical (`index.html` beside the students' pages) and one for the
/// course (`index.html` above them). What they show comes from the gradebook alone.
public enum Dashboard {
    typealias Body = Node<HTML.BodyContext>

    /// One graded student of a practical, as its dashboard shows them.
    public struct Student: Sendable {
        /// The recorded grade.
        public var grade: RecordedGrade
        /// The recorded report, when there is one.
        public var report: RecordedReport?
        /// The whole practical grade, when the course computes it.
        public var standing: PracticalStanding?
    }

    /// What a practical's dashboard is written from.
    public struct Practical: Sendable {
        /// The assignment.
        public var spec: AssignmentSpec
        /// Its rubric, when it has one.
        public var rubric: Rubric?
        /// Every student with a recorded grade.
        public var students: [Student]
        /// The grader's unresolved faults.
        public var faults: [GraderFaultRecord]
        /// Enrolled students with no recorded grade, by where they stand (pending, not due, missing, grader fault), when there is a roster.
        public var withoutGrade: [GradeState: [String]]
        /// The course's scale, when grades are computed.
        public var scale: Double?
    }

    // MARK: A practical

    /// The practical's dashboard, as HTML text.
    public static func render(_ practical: Practical) -> String {
        let students = practical.students.sorted { $0.grade.studentID < $1.grade.studentID }
        var body: [Body] = [
            .header(.h1(.text(safe("\(practical.spec.title): class dashboard"))),
                    .p(.class("subtitle"), .text("\(Feedback.count(students.count, "graded submission"))\(ungradedCount(practical) == 0 ? "" : "; \(ungradedCount(practical)) enrolled without one"). Written from the gradebook by grade \(GraderVersion.current)."))),
        ]
        body.append(attention(practical, students: students))
        body.append(grades(practical, students: students))
        body.append(checks(practical, students: students))
        body.append(slowest(students))
        body.append(roster(practical, students: students))
        return PageStyle.document(title: safe("\(practical.spec.title): dashboard"), body)
    }

    static func safe(_ text: String) -> String { FeedbackPage.safe(text) }

    static func ungradedCount(_ practical: Practical) -> Int { practical.withoutGrade.values.reduce(0) { $0 + $1.count } }

    /// What each state of an enrolled student without a grade means on the dashboard, in order.
    static let ungradedLabels: [(GradeState, String)] = [
        (.pending, "Not graded yet (run grade on them)"),
        (.graderFault, "The grader failed on them, nothing recorded (grade them again once fixed)"),
        (.notDue, "Nothing handed in, not due yet"),
        (.missing, "Nothing handed in by the deadline (0)"),
    ]

    /// A table in a box that scrolls sideways when the table is wider than the screen, so that no column is cut off.
    static func table(_ rows: Node<HTML.TableContext>...) -> Body {
        .div(.class("table-scroll"), .table(.group(rows)))
    }

    static func link(_ student: String) -> Body { .a(.href(Escaping.attribute("\(student).html")), .text(safe(student))) }

    static func attention(_ practical: Practical, students: [Student]) -> Body {
        let unbuilt = students.filter { $0.grade.status.didNotBuild }
        let limits: [(String, [String])] = students.compactMap { student in
            guard let report = student.report else { return nil }
            var counts: [Verdict: Int] = [:]
            for item in report.checks.flatMap(\.cases) where item.verdict.isResourceLimit {
                counts[item.verdict, default: 0] += 1
            }
            return counts.isEmpty ? nil : (student.grade.studentID, counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" })
        }
        var items: [Node<HTML.ListContext>] = []
        items.append(.li(.strong("Did not build: "), unbuilt.isEmpty ? .text("none") : .group(list(unbuilt.map(\.grade.studentID)))))
        let empty = students.filter { $0.grade.status == .noSources }.map(\.grade.studentID)
        if !empty.isEmpty {
            items.append(.li(.strong("No .swift file: "), .group(list(empty)),
                             .text(" (an archive or another format? put the .swift files in the student's folder and grade them again with --student)")))
        }
        items.append(.li(.strong("Hit a limit: "), limits.isEmpty ? .text("none")
                         : .group(limits.enumerated().flatMap { index, item -> [Body] in
                             [index > 0 ? .text("; ") : .text(""), link(item.0), .text(" (\(item.1.joined(separator: ", ")))")]
                         })))
        items.append(.li(.strong("Grader errors, not recorded: "), practical.faults.isEmpty ? .text("none")
                         : .group(practical.faults.enumerated().flatMap { index, fault -> [Body] in
                             [index > 0 ? .text("; ") : .text(""), .text(safe("\(fault.studentID): \(fault.message.prefix(200))"))]
                         })))
        for (state, label) in ungradedLabels {
            guard let ids = practical.withoutGrade[state], !ids.isEmpty else { continue }
            items.append(.li(.strong("\(label): "), .text(safe(ids.sorted().joined(separator: ", ")))))
        }
        var counts: [SubmissionStatus: Int] = [:]
        for student in students { counts[student.grade.status, default: 0] += 1 }
        let statusLine = SubmissionStatus.allCases.compactMap { status in counts[status].map { "\($0) \(status.rawValue)" } }.joined(separator: ", ")
        return .section(.h2("What needs attention"), .p(.text("By status: \(statusLine.isEmpty ? "nothing graded yet" : statusLine).")), .ul(.group(items)))
    }

    static func list(_ students: [String]) -> [Body] {
        students.enumerated().flatMap { index, id -> [Body] in [index > 0 ? .text(", ") : .text(""), link(id)] }
    }

    static func grades(_ practical: Practical, students: [Student]) -> Body {
        var figures: [Figure] = []
        if let scale = practical.scale {
            let values = students.compactMap { $0.standing?.grade.grade }
            figures.append(histogram(values, range: 0...scale, title: "Practical grade (/\(Points.text(scale)))", x: "grade"))
        }
        let automatic = practical.rubric?.automaticPoints ?? Double(practical.spec.allChecks.count)
        figures.append(histogram(students.map(\.grade.points), range: 0...max(automatic, 1e-9), title: "Automatic points (/\(Points.text(automatic)))", x: "points"))
        for task in practical.spec.tasks {
            let points = students.compactMap { $0.report?.tasks.first { $0.taskID == task.id } }
            guard let maximum = points.first?.maxPoints, maximum > 0 else { continue }
            figures.append(histogram(points.map(\.points), range: 0...maximum, title: SafeText.escaped("\(task.title) (/\(Points.text(maximum)))"), x: "points"))
        }
        return .section(.h2("Grades and points by task"), figureGrid(figures, prefix: "g"))
    }

    static func histogram(_ values: [Double], range: ClosedRange<Double>, title: String, x: String) -> Figure {
        let caption = GradingTable.median(values).map { median in
            "\(values.count) students: mean \(Points.text(((values.reduce(0, +) / Double(values.count)) * 100).rounded() / 100)), median \(Points.text((median * 100).rounded() / 100))."
        } ?? "No grades yet."
        return .chart(Chart(title: title, caption: caption, x: Axis(x), y: Axis("students", wholeNumbers: true),
                            layers: [.bars(BarSet.histogram(of: values, range: range, bins: 10, name: title))]))
    }

    static func figureGrid(_ figures: [Figure], prefix: String) -> Body {
        .div(.class("figures"), .forEach(figures.enumerated()) { index, figure in
            .element(named: "figure", nodes: [FigureSVG.markup(figure, id: "\(prefix)\(index)"),
                                              .element(named: "figcaption", nodes: [.text(safe(figure.caption))])])
        })
    }

    static func checks(_ practical: Practical, students: [Student]) -> Body {
        let verdicts = Verdict.allCases
        var rows: [Node<HTML.TableContext>] = []
        var figures: [Figure] = []
        for task in practical.spec.tasks {
            // A row per task above its checks, rather than a column: the table stays readable on a phone.
            rows.append(.tr(.class("task-row"), .th(.attribute(named: "colspan", value: "4"), .text(safe(task.title)))))
            for check in task.checks {
                let reports = students.compactMap { $0.report?.checks.first { $0.checkID == check.id } }
                var tally: [Verdict: Int] = [:]
                for item in reports.flatMap(\.cases) { tally[item.verdict, default: 0] += 1 }
                let maximum = reports.first?.maxPoints ?? 0
                let mean = reports.isEmpty ? 0 : reports.map(\.points).reduce(0, +) / Double(reports.count)
                let full = reports.filter { $0.points >= $0.maxPoints - 1e-9 }.count
                let shown = verdicts.filter { tally[$0] != nil }
                rows.append(.tr(
                    .td(.text(safe(check.title ?? check.id)), .span(.class("kind"), .text(" \(check.kind.rawValue)"))),
                    .td(.class("number"), .text("\(Points.text((mean * 100).rounded() / 100)) / \(Points.text(maximum))")),
                    .td(.class("number"), .text("\(full)/\(reports.count)")),
                    .td(.text(shown.map { "\(tally[$0]!) \($0.rawValue)" }.joined(separator: ", ")))
                ))
                if maximum > 0 {
                    figures.append(histogram(reports.map(\.points), range: 0...maximum, title: SafeText.escaped(check.title ?? check.id), x: "points"))
                }
            }
        }
        return .section(.h2("Checks"),
            table(.tr(.th("check"), .th(.class("number"), "mean"), .th(.class("number"), "full marks"), .th("cases by verdict")),
                  .group(rows)),
            .h3("Points by check"), figureGrid(figures, prefix: "c"))
    }

    static func slowest(_ students: [Student]) -> Body {
        let timed = students.compactMap { student in student.report.map { (student.grade.studentID, $0.durationSeconds) } }
            .sorted { $0.1 > $1.1 }.prefix(10)
        return .section(.h2("Slowest submissions"),
            table(.tr(.th("student"), .th(.class("number"), "building and running")),
                   .forEach(Array(timed)) { item in .tr(.td(link(item.0)), .td(.class("number"), .text(String(format: "%.1f s", item.1)))) }))
    }

    static func roster(_ practical: Practical, students: [Student]) -> Body {
        .section(.h2("Every student"),
            table(
                .tr(.th("student"), .th("name"), .th(.class("number"), "auto"), .if(practical.scale != nil, .th(.class("number"), "grade")), .th("status")),
                .forEach(students) { student in
                    var notes = [student.grade.status.rawValue]
                    if let timing = student.standing?.grade.timing, timing.lateness.isLate { notes.append(timing.summary) }
                    if let override = student.standing?.grade.override { notes.append("override \(Points.text(override))") }
                    if student.standing?.marks.contains(where: { $0.points == nil }) == true { notes.append("report not marked") }
                    return .tr(.td(link(student.grade.studentID)), .td(.text(safe(student.grade.name ?? ""))),
                               .td(.class("number"), .text(Points.text(student.grade.points))),
                               .if(practical.scale != nil, .td(.class("number"), .text(student.standing.map { Points.text(($0.grade.grade * 100).rounded() / 100) } ?? "-"))),
                               .td(.text(notes.joined(separator: ", "))))
                }
            ))
    }

    // MARK: The course

    /// What the course's dashboard is written from.
    public struct Course: Sendable {
        /// The course's grades.
        public var grades: CourseGrades
        /// The practicals' ids and titles, in order.
        public var practicals: [(id: String, title: String)]
        /// The quiz's item analysis, when responses are recorded.
        public var quiz: ItemAnalysis?
        /// The course's scale.
        public var scale: Double
    }

    /// The course's dashboard, as HTML text.
    public static func render(_ course: Course) -> String {
        let students = course.grades.students
        let finals = students.filter(\.isSettled).map(\.final)
        var body: [Body] = [
            .header(.h1("Course dashboard"),
                    .p(.class("subtitle"), .text("\(Feedback.count(students.count, "enrolled student")). Written from the gradebook by grade \(GraderVersion.current)."))),
        ]
        if course.grades.isProvisional {
            let count = course.grades.unsettled.count
            body.append(.p(.class("note"), .text("Pending: the final grade of \(Feedback.count(count, "student")) does not count yet (a part handed in and not graded, not graded or imported yet, not due, or a report not marked); the histogram shows the others.")))
        }
        var figures = [histogram(finals, range: 0...course.scale, title: "Final grade (/\(Points.text(course.scale)))", x: "grade")]
        for (index, practical) in course.practicals.enumerated() {
            let values = students.compactMap { $0.practicals.count > index && $0.practicals[index].state == .graded ? $0.practicals[index].grade : nil }
            figures.append(histogram(values, range: 0...course.scale, title: SafeText.escaped("\(practical.title) (/\(Points.text(course.scale)))"), x: "grade"))
        }
        body.append(.section(.h2("Grades"), figureGrid(figures, prefix: "f")))
        body.append(.section(.h2("Practicals"), .ul(.forEach(course.practicals) { practical in
            course.grades.pendingPracticals.contains(practical.id)
                ? .li(.text(safe("\(practical.title): not graded yet")))
                : .li(.a(.href("\(practical.id)/index.html"), .text(safe(practical.title))))
        })))
        if let quiz = course.quiz { body.append(items(quiz)) }
        body.append(.section(.h2("Every student"), table(
            .tr(.th("student"), .th("name"), .forEach(course.practicals) { .th(.class("number"), .text($0.id)) }, .th(.class("number"), "quiz"),
                .th(.class("number"), "final")),
            .forEach(students) { student in
                .tr(.td(.text(safe(student.student.id))), .td(.text(safe(student.student.name ?? ""))),
                    .forEach(Array(zip(course.practicals, student.practicals))) { practical, grade in
                        .td(.class("number"), grade.state == .graded ? .a(.href(Escaping.attribute("\(practical.id)/\(student.student.id).html")), .text(grade.cell))
                                                                    : .text(grade.cell))
                    },
                    .td(.class("number"), .text(student.quiz?.cell ?? "-")),
                    .td(.class("number"), .text(student.finalCell)))
            })))
        return PageStyle.document(title: "Course dashboard", body)
    }

    static func items(_ analysis: ItemAnalysis) -> Body {
        .section(.h2("Quiz: item analysis"),
            .p(.text("\(Feedback.count(analysis.studentCount, "student")); KR-20 \(analysis.kr20.map { String(format: "%.2f", $0) } ?? "not defined"). Difficulty is the share who answered right; discrimination, the correlation of the item with the rest of the quiz.")),
            table(.tr(.th("question"), .th(.class("number"), "difficulty"), .th(.class("number"), "discrimination"), .th("flags")),
                   .forEach(analysis.items) { item in
                       .tr(.td(.text(safe(item.questionID))), .td(.class("number"), .text(String(format: "%.2f", item.difficulty))),
                           .td(.class("number"), .text(item.discrimination.map { String(format: "%.2f", $0) } ?? "-")),
                           .td(.text(item.flags.map(\.rawValue).joined(separator: ", "))))
                   }))
    }
}
