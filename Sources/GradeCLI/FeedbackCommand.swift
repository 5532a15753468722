import ArgumentParser
import Foundation
import GradeServices
import Grader
import SafeText
import StudentCLI

/// `grade feedback <practical> [--student id]`: writes students' feedback files and pages from the gradebook.
struct FeedbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Write students' feedback (text and HTML page) from the gradebook, without regrading.",
        discussion: """
            Each graded student gets .grade/feedback/<practical>/<id>.txt and <id>.html: the whole practical grade \
            (automatic points, report marks with the marker's comment, late penalty, override, final grade), every \
            check with its cases, and the figures of public cases. Grading, marks, extensions and overrides write \
            the pages they change by themselves; this command writes them all again, for example after a spec's \
            wording or the course policy changed. With --print, the text feedback is printed too.
            """
    )

    @Argument(help: ArgumentHelp("The practical, such as practical1.", valueName: "practical")) var practical: String
    @Option(name: .long, help: ArgumentHelp("Only this student.", valueName: "id")) var student: String?
    @Flag(name: .long, help: "Print each student's text feedback.") var print = false
    @OptionGroup var courseOptions: CourseOptions

    func validate() throws {
        if !IdentifierRules.isSpecID(practical) { throw ValidationError("'\(practical)' is not a practical id (such as practical1)") }
        if let student, !IdentifierRules.isStudentID(student) { throw ValidationError("'\(student)' is not a student id") }
    }

    func run() throws {
        let layout = try courseOptions.layout()
        let path = courseOptions.gradebookPath(in: layout)
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("no gradebook at \(path): grade \(practical) first") }
        var publisher = FeedbackPublisher(layout: layout, gradebookPath: path, registry: Practicals.registry)
        publisher.logger = Diagnostics.logger
        let published = try publisher.publish(practical, students: student.map { [$0] })
        if let student, published.students.isEmpty { throw CommandFailure("\(student) has no recorded grade for \(practical)") }
        if print {
            for id in published.students { Swift.print(published.texts[id] ?? "") }
        }
        FeedbackRefresh.report(published)
    }
}

/// Says on standard error which feedback was written.
enum FeedbackRefresh {
    /// Writes pages after a change by hand that is already recorded: a failure to write them is a warning
    /// with what to run, never the change's failure.
    static func rewrite(_ what: String, _ body: () throws -> FeedbackPublisher.Published?) {
        do { report(try body()) } catch {
            let command = IdentifierRules.isSpecID(what) ? "grade feedback \(what)" : "grade feedback <practical>"
            Diagnostics.write("warning: the change is recorded, but the feedback pages of \(what) could not be written: \(FileErrorText.describing(error))\nRun `\(command)` once the problem is fixed.")
        }
    }

    static func report(_ published: FeedbackPublisher.Published?) {
        guard let published, !published.students.isEmpty else { return }
        let who = published.students.count == 1 ? published.students[0] : "\(published.students.count) students"
        Diagnostics.write("Feedback of \(who) written in \(published.folder.path)/ (.txt and .html)")
        if !published.withoutReport.isEmpty {
            Diagnostics.write("note: graded before detailed reports were kept, so their pages hold the text feedback only (regrade with --force for the full page): \(published.withoutReport.joined(separator: ", "))")
        }
    }
}
