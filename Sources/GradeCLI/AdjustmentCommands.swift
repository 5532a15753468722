import ArgumentParser
import Foundation
import GradeServices
import Gradebook
import Grader
import SafeText

/// `grade override`: sets a student's grade for a practical, the quiz or the final grade by hand.
struct OverrideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "override",
        abstract: "Override a student's grade for a practical, the quiz or the final grade, with a reason.",
        discussion: """
            The grade is on the course scale (out of 20 by default) and replaces the computed one, late penalty \
            included, until cleared with --clear. Overrides survive regrades; every change is kept in the audit log.
            """
    )

    @Argument(help: ArgumentHelp("What to override: a practical id, quiz or final.", valueName: "target")) var target: String
    @Argument(help: ArgumentHelp("The student id.", valueName: "student")) var student: String
    @Argument(help: ArgumentHelp("The grade on the course scale.", valueName: "grade")) var grade: String?
    @Flag(help: "Remove the override, so the computed grade counts again.") var clear = false
    @Option(help: "Why, for the audit log (required).") var reason: String?
    @OptionGroup var courseOptions: CourseOptions

    func validate() throws {
        if clear == (grade != nil) { throw ValidationError("give either a grade or --clear") }
    }

    func run() throws {
        let why = try requireReason(reason)
        let records = try courseOptions.records()
        let (value, changed) = try records.setOverride(target, student: student, grade: grade, reason: why)
        switch (changed, value) {
        case (false, _): print("Nothing changed: \(student)'s \(target) override is already \(value.map(Points.text) ?? "absent")")
        case let (true, value?): print("\(student)'s \(target) grade is now \(Points.text(value)) / \(Points.text(records.policy.scale)) (override)")
        case (true, nil): print("Removed \(student)'s \(target) override; the computed grade counts again")
        }
        if changed {
            // A practical's pages when it has been graded, else (or for the quiz and the final grade) the course's dashboard.
            FeedbackRefresh.rewrite(target) {
                if records.policy.practical(target) != nil, let published = try records.refreshFeedback(target, students: [student]) { return published }
                try records.refreshCourseDashboard()
                return nil
            }
        }
    }
}

/// `grade extension`: gives a student more days for a practical.
struct ExtensionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extension",
        abstract: "Give a student extra days for a practical's deadline, with a reason.",
        discussion: """
            The deadline moves by whole calendar days in the course's time zone. Final grades and exports use it at \
            once, and the student's feedback file and page are written again at once.
            """
    )

    @Argument(help: ArgumentHelp("The practical, such as practical2.", valueName: "assignment")) var assignment: String
    @Argument(help: ArgumentHelp("The student id.", valueName: "student")) var student: String
    @Option(help: ArgumentHelp("Extra calendar days (1 or more).", valueName: "n")) var days: Int?
    @Flag(help: "Remove the extension.") var clear = false
    @Option(help: "Why, for the audit log (required).") var reason: String?
    @OptionGroup var courseOptions: CourseOptions

    func validate() throws {
        if clear == (days != nil) { throw ValidationError("give either --days or --clear") }
        if let days, days < 1 || days > 365 { throw ValidationError("--days must be from 1 to 365") }
    }

    func run() throws {
        let why = try requireReason(reason)
        let records = try courseOptions.records()
        let (deadline, changed) = try records.setExtension(assignment, student: student, days: days, reason: why)
        guard changed else { return print("Nothing changed: \(student)'s extension for \(assignment) is already \(days.map { "\($0) days" } ?? "absent")") }
        FeedbackRefresh.rewrite(assignment) { try records.refreshFeedback(assignment, students: [student]) }
        if days != nil {
            let zone = records.policy.timeZone
            print("\(student) now has until \(SubmissionTiming.format(deadline, in: zone)) (\(zone.identifier)) for \(assignment)")
        } else {
            print("Removed \(student)'s extension for \(assignment)")
        }
    }
}

/// `grade audit`: prints the changes made by hand.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print the audit log: every mark, override, extension and quiz import, with when, who and why."
    )

    @Option(help: ArgumentHelp("Only this student's entries.", valueName: "id")) var student: String?
    @Flag(help: "Print every entry whole, one per paragraph, instead of a table whose long values are shortened.") var full = false
    @OptionGroup var courseOptions: CourseOptions

    /// The widest a value is shown in the table (a quiz import's answers run to hundreds of characters).
    static let valueWidth = 20

    func run() throws {
        let layout = try courseOptions.layout()
        let path = courseOptions.gradebookPath(in: layout)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure("no gradebook at \(path) yet: nothing has been graded or entered by hand, so the audit log is empty")
        }
        let entries = try Gradebook(path: path).auditLog(studentID: student)
        let formatter = ISO8601DateFormatter()
        let minutes = DateFormatter()
        minutes.locale = Locale(identifier: "en_US_POSIX")
        minutes.timeZone = TimeZone(identifier: "UTC")
        minutes.dateFormat = "yyyy-MM-dd HH:mm"
        let what = { (entry: AuditEntry) in [entry.target, entry.item].compactMap { $0 }.joined(separator: "/") }
        if full {
            for entry in entries {
                print("\(formatter.string(from: entry.at))  \(entry.actor)  \(entry.action)  \(entry.studentID ?? "-")  \(what(entry))")
                for (label, value) in [("before", entry.oldValue ?? "-"), ("after", entry.newValue ?? "-"), ("reason", entry.reason)] {
                    print("  \(label): \(SafeText.escaped(value))")
                }
            }
            return
        }
        var shortened = false
        func cell(_ value: String?) -> String {
            guard let value else { return "-" }
            guard value.count > Self.valueWidth else { return value }
            shortened = true
            return String(value.prefix(Self.valueWidth - 1)) + "…"
        }
        let rows = entries.map { entry in
            [minutes.string(from: entry.at), entry.actor, entry.action, entry.studentID ?? "", what(entry), cell(entry.oldValue), cell(entry.newValue), entry.reason]
        }
        print(TextTable.render(header: ["when (UTC)", "who", "action", "student", "what", "before", "after", "reason"], rows: rows, rightAligned: [],
                               width: ResultsTable.terminalWidth))
        if shortened { print("Values longer than \(Self.valueWidth) characters are shortened (…); --full prints every entry whole.") }
    }
}
