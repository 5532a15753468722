import ArgumentParser
import Foundation
import Gradebook
import Grader

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
        let context = try CourseContext.load(courseOptions)
        let targets = context.policy.practicals.map(\.id) + (context.policy.quiz == nil ? [] : ["quiz"]) + ["final"]
        guard targets.contains(target) else {
            throw CommandFailure("'\(target)' cannot be overridden; use one of: \(targets.joined(separator: ", "))")
        }
        _ = try context.enrolled(student)
        var value: Double?
        if let grade {
            guard let number = parseNumber(grade), number >= 0, number <= context.policy.scale else {
                throw CommandFailure("'\(grade)' is not a grade: give a number from 0 to \(FeedbackRenderer.points(context.policy.scale))")
            }
            value = number
        }
        let changed = try context.gradebook.setOverride(studentID: student, target: target, grade: value, reason: why, actor: CourseContext.actor)
        switch (changed, value) {
        case (false, _): print("Nothing changed: \(student)'s \(target) override is already \(value.map(FeedbackRenderer.points) ?? "absent")")
        case let (true, value?): print("\(student)'s \(target) grade is now \(FeedbackRenderer.points(value)) / \(FeedbackRenderer.points(context.policy.scale)) (override)")
        case (true, nil): print("Removed \(student)'s \(target) override; the computed grade counts again")
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
            once; the student's feedback file shows it after the next regrade (grade <practical> --student <id> --force).
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
        let context = try CourseContext.load(courseOptions)
        guard let practical = context.policy.practical(assignment) else {
            throw CommandFailure("'\(assignment)' is not a practical of Rubrics/course.yaml")
        }
        _ = try context.enrolled(student)
        let changed = try context.gradebook.setExtension(studentID: student, assignmentID: assignment, days: days, reason: why, actor: CourseContext.actor)
        guard changed else { return print("Nothing changed: \(student)'s extension for \(assignment) is already \(days.map { "\($0) days" } ?? "absent")") }
        if let days {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = context.policy.timeZone
            let deadline = calendar.date(byAdding: .day, value: days, to: context.policy.deadline(of: practical))!
            print("\(student) now has until \(SubmissionTiming.format(deadline, in: context.policy.timeZone)) (\(context.policy.timeZone.identifier)) for \(assignment)")
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
    @OptionGroup var courseOptions: CourseOptions

    func run() throws {
        let layout = try courseOptions.layout()
        let path = courseOptions.gradebookPath(in: layout)
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("no gradebook at \(path)") }
        let entries = try Gradebook(path: path).auditLog(studentID: student)
        let formatter = ISO8601DateFormatter()
        let rows = entries.map { entry in
            [formatter.string(from: entry.at), entry.actor, entry.action, entry.studentID ?? "", [entry.target, entry.item].compactMap { $0 }.joined(separator: "/"),
             entry.oldValue ?? "-", entry.newValue ?? "-", entry.reason]
        }
        print(TextTable.render(header: ["when", "who", "action", "student", "what", "before", "after", "reason"], rows: rows, rightAligned: []))
    }
}
