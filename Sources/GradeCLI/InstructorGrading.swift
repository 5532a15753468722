import ArgumentParser
import Foundation
import GradeServices
import Grader
import SafeText

/// `grade <assignment>`: grade the submissions, record each in the gradebook, print the table.
struct InstructorGrading {
    let assignment: String
    let student: String?
    let force: Bool
    let jobs: Int
    let printFeedback: Bool
    /// Print the results as JSON rather than the table.
    var json = false
    let allowUnsandboxed: Bool
    let courseOptions: CourseOptions
    /// How to find the sandbox layers (the real probe, except in tests).
    var probe: @Sendable () -> SandboxCapabilities = { SandboxCapabilities.probe() }
    /// The practicals that can be graded.
    var registry = Practicals.registry

    func run() throws {
        let layout = try courseOptions.layout()
        var grading = AssignmentGrading(layout: layout, gradebookPath: courseOptions.gradebookPath(in: layout), registry: registry)
        grading.probe = probe
        grading.logger = Diagnostics.logger
        let outcome = try grading.run(AssignmentGrading.Request(assignment: assignment, student: student, force: force, jobs: jobs,
                                                                allowUnsandboxed: allowUnsandboxed), progress: ProgressPrinter.finished)
        if json {
            print(try ResultsJSON.encode(ResultsJSON.GradingDocument(outcome)))
            if !outcome.failures.isEmpty { throw ExitCode.failure }
            return
        }
        print(ResultsTable.render(reports: outcome.reports, skipped: outcome.skipped, spec: outcome.spec, rubric: outcome.rubric,
                                  timings: outcome.timings, marks: outcome.marks))
        print("Graded \(outcome.reports.count) submission\(outcome.reports.count == 1 ? "" : "s") in \(String(format: "%.1f", outcome.elapsedSeconds)) s; gradebook \(grading.gradebookPath); feedback in \(outcome.feedbackFolder.path)/")
        if printFeedback {
            // Graded now or unchanged since: the feedback as its file holds it.
            let students = (outcome.reports.filter(\.status.isGrade).map(\.folder.studentID) + outcome.skipped.map(\.studentID)).sorted()
            for student in students {
                if let text = outcome.feedbackTexts[student] { print("\n" + text) }
            }
        }
        if !outcome.failures.isEmpty { throw CommandFailure(outcome.failures.joined(separator: "\n")) }
    }
}

/// Prints one line per finished submission to standard error.
enum ProgressPrinter {
    @Sendable static func finished(_ report: SubmissionReport, done: Int, total: Int) {
        let result = report.status.isGrade ? "\(Points.text(report.points))/\(Points.text(report.maxPoints)) \(report.status.rawValue)" : "grader error, not recorded"
        Diagnostics.write("[\(done)/\(total)] \(report.folder.studentID): \(result) (\(String(format: "%.1f", report.durationSeconds)) s)")
    }
}
