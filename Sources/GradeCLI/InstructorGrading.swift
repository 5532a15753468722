import ArgumentParser
import Foundation
import GradeServices
import Grader
import SafeText
import StudentCLI
import StudentServices

/// `grade <assignment>`: grade the submissions, record each in the gradebook, print the table.
struct InstructorGrading {
    let assignment: String
    let students: [String]
    let force: Bool
    let jobs: Int
    let printFeedback: Bool
    /// How the table's rows are ordered.
    var order: GradingTable.Order = .id
    /// Print the results as JSON rather than the table.
    var json = false
    /// Show what each submission's grading is doing (on standard error), whether or not it is a terminal; by
    /// default only a terminal shows it, and not with --json.
    var showProgress = false
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
        let progress = ProgressPrinter()
        if showProgress || (!json && isatty(STDERR_FILENO) == 1) {
            grading.activity = progress.activity
            progress.showActivities()
        }
        defer { progress.stopShowingActivities() }
        let interruption = Interruption.watch(assignment: assignment, progress: progress)
        defer { interruption.cancel() }
        let outcome = try grading.run(AssignmentGrading.Request(assignment: assignment, students: students, force: force, jobs: jobs,
                                                                allowUnsandboxed: allowUnsandboxed), progress: progress.finished)
        if json {
            print(try ResultsJSON.encode(ResultsJSON.GradingDocument(outcome)))
            if !outcome.failures.isEmpty { throw ExitCode.failure }
            return
        }
        let untrusted = outcome.reports.filter { $0.status.isGrade && outcome.timings[$0.folder.studentID]?.source.isTrusted != true }
            .map(\.folder.studentID).sorted()
        print(ResultsTable.render(outcome.table, order: order,
                                  untrustedTimesWarning: CourseGrades.untrustedTimesWarning(practical: outcome.spec.id, students: untrusted)))
        print("Graded \(outcome.reports.count) submission\(outcome.reports.count == 1 ? "" : "s") in \(String(format: "%.1f", outcome.elapsedSeconds)) s; gradebook \(grading.gradebookPath); feedback in \(outcome.feedbackFolder.path)/")
        if printFeedback {
            // Graded now or unchanged since: the feedback as its file holds it (as graded, when the files could not be written).
            for report in outcome.reports.sorted(by: { $0.folder.studentID < $1.folder.studentID }) where report.status.isGrade {
                print("\n" + outcome.feedback(of: report))
            }
            for stored in outcome.skipped.sorted(by: { $0.studentID < $1.studentID }) {
                print("\n" + (outcome.feedbackTexts[stored.studentID] ?? "\(stored.studentID): unchanged; its feedback could not be written (see above)"))
            }
        }
        if !outcome.failures.isEmpty { throw CommandFailure(outcome.failures.joined(separator: "\n")) }
    }
}

/// Prints one line per finished submission to standard error: how many are done of how many, the
/// result, and an estimate of the time left from the pace so far.
final class ProgressPrinter: Sendable {
    private let started = Date()
    /// Submissions recorded in the gradebook so far in this run.
    let recorded = Locked(0)
    /// What each submission being graded is doing, and since when it has been on that case.
    private let current = Locked<[String: (activity: GradingActivity, since: Date)]>([:])
    /// Whether activities are shown.
    private let showing = Locked(false)
    /// How often the submissions being graded say what they are doing.
    static let activityInterval: TimeInterval = 5

    /// Records what a submission's grading is doing; every `activityInterval` seconds, once started with
    /// `showActivities()`, the latest of each submission still being graded is shown, with how long it has
    /// been on it, so a slow case (a training budget of a minute, a case running to its limit) shows signs of
    /// life without flooding the screen.
    @Sendable func activity(_ activity: GradingActivity) {
        current.withLock { current in
            let same = current[activity.studentID].map { Self.place($0.activity.step) == Self.place(activity.step) } ?? false
            current[activity.studentID] = (activity, same ? current[activity.studentID]!.since : Date())
        }
    }

    /// Starts showing activities, until `stopShowingActivities()`.
    func showActivities() {
        showing.withLock { $0 = true }
        scheduleActivities()
    }

    /// Stops showing activities.
    func stopShowingActivities() { showing.withLock { $0 = false } }

    private func scheduleActivities() {
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.activityInterval) { [self] in
            guard showing.withLock({ $0 }) else { return }
            let now = Date()
            for (_, entry) in current.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
                Diagnostics.write("  … \(entry.activity) (\(Self.duration(now.timeIntervalSince(entry.since))) on it)")
            }
            scheduleActivities()
        }
    }

    /// Where in a submission an activity is, whatever its CPU seconds: the same case keeps its start time.
    private static func place(_ step: GradingActivity.Step) -> String {
        switch step {
        case .building: "building"
        case let .running(check, label, _, _), let .training(check, label, _, _): "\(check) \(label)"
        }
    }

    @Sendable func finished(_ report: SubmissionReport, done: Int, total: Int) {
        if report.status.isGrade { recorded.withLock { $0 += 1 } }
        _ = current.withLock { $0.removeValue(forKey: report.folder.studentID) }
        let result = report.status.isGrade ? "\(Points.text(report.points))/\(Points.text(report.maxPoints)) \(report.status.rawValue)" : "grader error, not recorded"
        var line = "[\(done)/\(total)] \(report.folder.studentID): \(result) (\(String(format: "%.1f", report.durationSeconds)) s)"
        if done < total {
            let left = Date().timeIntervalSince(started) / Double(done) * Double(total - done)
            line += "; about \(Self.duration(left)) left"
        }
        Diagnostics.write(line)
    }

    /// A duration in words: "40 s", "3 min 20 s", "1 h 05 min".
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(String(format: "%02d", s % 60)) s" }
        return "\(s / 3600) h \(String(format: "%02d", (s % 3600) / 60)) min"
    }
}

/// What Ctrl-C (or a termination request) does during a grading run: say what the gradebook holds, then
/// stop. Each submission is recorded in its own transaction, so what was recorded stands and the rest keep
/// their previous grades.
enum Interruption {
    /// Watches for Ctrl-C until `cancel()`, which gives the signal back its default action.
    final class Watch {
        let source: any DispatchSourceSignal
        init(_ source: any DispatchSourceSignal) { self.source = source }
        func cancel() {
            source.cancel()
            signal(SIGINT, SIG_DFL)
        }
    }

    static func watch(assignment: String, progress: ProgressPrinter) -> Watch {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            let count = progress.recorded.withLock { $0 }
            Diagnostics.write("""

                Interrupted: \(count) submission\(count == 1 ? "" : "s") recorded in the gradebook by this run; the others keep their previous grades. \
                Run `grade \(assignment)` again to grade the rest (what is recorded and unchanged is not graded again), \
                or `grade feedback \(assignment)` to write the recorded ones' pages.
                """)
            exit(130)
        }
        source.resume()
        return Watch(source)
    }
}
