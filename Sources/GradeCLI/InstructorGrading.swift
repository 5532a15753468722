import Foundation
import Gradebook
import Grader
import Logging

/// `grade <assignment>`: grade the submissions, record each in the gradebook, print the table.
struct InstructorGrading {
    let assignment: String
    let student: String?
    let force: Bool
    let jobs: Int
    let printFeedback: Bool
    let allowUnsandboxed: Bool
    let courseOptions: CourseOptions
    /// How to find the sandbox layers (the real probe, except in tests).
    var probe: @Sendable () -> SandboxCapabilities = { SandboxCapabilities.probe() }
    /// The practicals that can be graded.
    var registry = PracticalRegistry.course

    func run() throws {
        let layout = try courseOptions.layout()
        let driver: any PracticalDriver.Type
        do { driver = try registry.driver(for: SpecLoader.loadAssignment(at: layout.specURL(assignment), kinds: registry.checkKinds)) } catch let error as SpecError {
            throw CommandFailure("the assignment cannot be graded:\n\(error)")
        }
        try grade(with: driver, layout: layout)
    }

    private func grade<Driver: PracticalDriver>(with driver: Driver.Type, layout: CourseLayout) throws {
        let loaded: LoadedAssignment
        do { loaded = try Driver.load(assignment, from: layout, requireRubric: true) } catch let error as SpecError {
            throw CommandFailure("the assignment cannot be graded; nothing was graded:\n\(error)")
        }
        for warning in loaded.warnings { Diagnostics.write("\(warning)") }
        let policy: CoursePolicy
        do { policy = try CoursePolicy.load(from: layout) } catch let error as SpecError {
            throw CommandFailure("the course policy cannot be used; nothing was graded:\n\(error)")
        }
        let disagreements = policy.diagnose(against: loaded.spec)
        if disagreements.containsErrors {
            throw CommandFailure("the course policy and the assignment spec disagree; nothing was graded:\n\(SpecError(diagnostics: disagreements))")
        }
        let practical = policy.practical(loaded.spec.id)
        if practical == nil, FileManager.default.fileExists(atPath: layout.coursePolicyURL.path) {
            Diagnostics.write("warning: Rubrics/course.yaml does not list \(assignment) under 'practicals': no deadline applies and it does not count towards the course grade")
        }
        let roster = Self.rosterIfPresent(layout: layout, policy: policy)
        // Open the gradebook before any work, so a bad path costs nothing.
        let gradebookPath = courseOptions.gradebookPath(in: layout)
        let gradebook = try Gradebook(path: gradebookPath)
        let extensions = Dictionary(try gradebook.extensions(assignmentID: assignment).map { ($0.studentID, $0.days) }, uniquingKeysWith: { $1 })
        let secret = try InstructorSecret.loadOrCreate(at: layout.secretURL)
        let capabilities = probe()
        for line in capabilities.summary { Diagnostics.write("sandbox: \(line)") }
        guard capabilities.isolatesNetwork || allowUnsandboxed else {
            throw CommandFailure("""
                refusing to grade: without bubblewrap, submissions could reach the network and read the course files. \
                Install it (apt-get install bubblewrap) or pass --allow-unsandboxed to grade anyway.
                """)
        }

        var folders: [URL]
        do { folders = try layout.submissionFolders(assignment) } catch {
            throw CommandFailure("cannot list \(layout.submissionsURL(assignment).path): \(error.localizedDescription)")
        }
        if let student {
            folders = folders.filter { $0.lastPathComponent == student }
            guard !folders.isEmpty else {
                throw CommandFailure("no submission folder \(layout.submissionsURL(assignment).appendingPathComponent(student).path)")
            }
        }
        var skipped: [StoredSubmission] = []
        var rejected: [String] = []
        folders = folders.filter { url in
            let id = url.lastPathComponent
            guard IdentifierRules.isSafeFolderName(id) else {
                rejected.append(id)
                return false
            }
            guard !force, let stored = try? gradebook.latestSubmission(assignmentID: assignment, studentID: id),
                  let sources = try? SubmissionFolder(url: url).sources(),
                  stored.sourceHash == SubmissionFolder.hash(of: sources), stored.specHash == loaded.specHash,
                  stored.graderVersion == GraderVersion.current else { return true }
            skipped.append(stored)
            return false
        }
        for id in rejected {
            Diagnostics.write("warning: skipped folder '\(id)': a student id must not contain '/', quotes, spaces or control characters")
        }

        let sandbox = SandboxLauncher(capabilities: capabilities, slots: jobs)
        let grader = try AssignmentGrader(spec: loaded.spec, rubric: loaded.rubric, secret: secret,
                                          driver: Driver(context: DriverContext(course: layout, dataFolder: layout.stateURL.appendingPathComponent("data"))),
                                          stateFolder: layout.stateURL, sandbox: sandbox, caseLimits: policy.caseLimits,
                                          compileLimits: policy.compileLimits)
        do { try grader.preflight() } catch let fault as GraderFault {
            throw CommandFailure("the grading machine is not ready; nothing was graded: \(fault)")
        }
        let runID = try gradebook.beginRun(GradingRunInfo(assignmentID: loaded.spec.id, assignmentTitle: loaded.spec.title,
                                                          graderVersion: GraderVersion.current, specHash: loaded.specHash,
                                                          startedAt: Date(), mode: student == nil ? "full" : "student"))
        let feedbackFolder = layout.stateURL.appendingPathComponent("feedback/\(assignment)")
        try? FileManager.default.createDirectory(at: feedbackFolder, withIntermediateDirectories: true)
        let progress = ProgressPrinter(total: folders.count)
        if !skipped.isEmpty {
            Diagnostics.write("\(skipped.count) submission\(skipped.count == 1 ? "" : "s") unchanged since last graded (use --force to regrade)")
        }
        let failures = LockedList<String>()
        let spec = loaded.spec, rubric = loaded.rubric
        let started = Date()
        let timingOf: @Sendable (SubmissionReport) -> SubmissionTiming? = { report in
            guard let practical, let time = report.folder.submittedAt, let source = report.folder.submittedAtSource else { return nil }
            return SubmissionTiming(submittedAt: time, source: source, practical: practical, course: policy,
                                    extensionDays: extensions[report.folder.studentID] ?? 0)
        }
        let reports = grader.gradeAll(folders, jobs: jobs) { report in
            progress.finished(report)
            // The grader's own failure is not a result: nothing is recorded, and the previous grade and feedback stand.
            guard report.status.isGrade else {
                failures.append("\(report.folder.studentID) was not graded (grader error; the previous grade stands): \(report.graderFault ?? "unknown fault")")
                return
            }
            let text = FeedbackRenderer.render(report, spec: spec, rubric: rubric, timing: timingOf(report))
            try? Data(text.utf8).write(to: feedbackFolder.appendingPathComponent("\(report.folder.studentID).txt"))
            do { try gradebook.record(GradedSubmission(report, assignmentID: spec.id, feedback: text), inRun: runID) } catch {
                failures.append("could not record \(report.folder.studentID): \(error)")
            }
        }
        try gradebook.finishRun(runID, finishedAt: Date())
        let elapsed = Date().timeIntervalSince(started)

        print(ResultsTable.render(reports: reports, skipped: skipped, spec: spec, rubric: rubric,
                                  timings: Dictionary(reports.compactMap { report in timingOf(report).map { (report.folder.studentID, $0) } },
                                                      uniquingKeysWith: { first, _ in first }),
                                  marks: try gradebook.manualMarks(assignmentID: spec.id).reduce(into: [:]) { $0[$1.studentID, default: [:]][$1.itemID] = $1.points }))
        print("Graded \(reports.count) submission\(reports.count == 1 ? "" : "s") in \(String(format: "%.1f", elapsed)) s; gradebook \(gradebookPath); feedback in \(feedbackFolder.path)/")
        if printFeedback {
            for report in reports where report.status.isGrade { print("\n" + FeedbackRenderer.render(report, spec: spec, rubric: rubric, timing: timingOf(report))) }
        }
        if let roster {
            let unknown = (reports.map(\.folder.studentID) + skipped.map(\.studentID)).filter { !roster.contains($0) }.sorted()
            if !unknown.isEmpty {
                Diagnostics.write("warning: not on the roster (\(policy.rosterPath)): \(unknown.joined(separator: ", ")); graded and recorded, but left out of the course grades until added to the roster")
            }
        }
        let problems = failures.values
        if !problems.isEmpty { throw CommandFailure(problems.sorted().joined(separator: "\n")) }
    }
}

extension InstructorGrading {
    /// The roster when the course has one; a roster that cannot be read is reported as a warning, since grading does not need it.
    static func rosterIfPresent(layout: CourseLayout, policy: CoursePolicy) -> Roster? {
        let url = layout.url(relative: policy.rosterPath)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do { return try Roster.load(url, file: policy.rosterPath) } catch {
            Diagnostics.write("warning: the roster cannot be used, so unknown students are not flagged:\n\(error)")
            return nil
        }
    }
}

extension GradedSubmission {
    /// The gradebook's record of a grading report.
    init(_ report: SubmissionReport, assignmentID: String, feedback: String) {
        self.init(studentID: report.folder.studentID, studentName: report.folder.name, studentEmail: report.folder.email,
                  assignmentID: assignmentID, sourceHash: report.sourceHash, submittedAt: report.folder.submittedAt,
                  status: report.status.rawValue, points: report.points, maxPoints: report.maxPoints,
                  tasks: report.tasks.map { TaskScore(taskID: $0.taskID, points: $0.points, maxPoints: $0.maxPoints) },
                  cases: report.checks.flatMap { check in
                      check.cases.map { item in
                          CaseResult(checkID: check.checkID, caseLabel: item.label, isHidden: item.isHidden, verdict: item.verdict.rawValue,
                                     points: item.points, maxPoints: item.maxPoints, message: item.message,
                                     durationSeconds: item.durationSeconds)
                      }
                  },
                  feedback: feedback, submittedAtSource: report.folder.submittedAtSource?.rawValue,
                  checks: report.checks.map { check in
                      CheckScore(taskID: check.taskID, checkID: check.checkID, points: check.points, maxPoints: check.maxPoints,
                                 cases: check.cases.count, passed: check.passedCount,
                                 verdicts: CheckScore.tally(check.cases.map(\.verdict.rawValue)))
                  })
    }
}

/// Prints one line per finished submission to standard error.
final class ProgressPrinter: @unchecked Sendable {
    private let total: Int
    private var done = 0
    private let lock = NSLock()

    init(total: Int) { self.total = total }

    func finished(_ report: SubmissionReport) {
        lock.withLock {
            done += 1
            let result = report.status.isGrade ? "\(FeedbackRenderer.points(report.points))/\(FeedbackRenderer.points(report.maxPoints)) \(report.status.rawValue)" : "grader error, not recorded"
            Diagnostics.write("[\(done)/\(total)] \(report.folder.studentID): \(result) (\(String(format: "%.1f", report.durationSeconds)) s)")
        }
    }
}

/// A list several threads append to.
final class LockedList<Element>: @unchecked Sendable {
    private var storage: [Element] = []
    private let lock = NSLock()

    func append(_ element: Element) { lock.withLock { storage.append(element) } }
    var values: [Element] { lock.withLock { storage } }
}
