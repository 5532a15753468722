import Foundation
import Gradebook
import Outcomes
import Grader
import Logging
import SafeText
import StudentServices

/// A grading run of one assignment, recorded in the gradebook: find the practical's driver, check the
/// spec, rubric, course policy and machine, grade every changed submission, record each result with its
/// feedback file as soon as it is ready, and say what was recorded.
///
/// The grader's own failure on a submission is never recorded: the previous grade and feedback stand,
/// and the run ends in failure (`GradingOutcome.failures`).
public struct AssignmentGrading {
    /// What to grade.
    public struct Request: Sendable {
        /// The assignment id.
        public var assignment: String
        /// Only these students' folders, when any are given.
        public var students: [String]
        /// Regrade submissions that have not changed since they were graded.
        public var force = false
        /// Submissions graded at once.
        public var jobs = 1
        /// Grade even where the sandbox cannot isolate the network.
        public var allowUnsandboxed = false

        /// A request to grade `assignment`.
        public init(assignment: String, students: [String] = [], force: Bool = false, jobs: Int = 1, allowUnsandboxed: Bool = false) {
            self.assignment = assignment
            self.students = students
            self.force = force
            self.jobs = jobs
            self.allowUnsandboxed = allowUnsandboxed
        }
    }

    /// The course.
    public let layout: CourseLayout
    /// The gradebook's path.
    public let gradebookPath: String
    /// The practicals that can be graded.
    public let registry: PracticalRegistry
    /// How to find the sandbox layers (the real probe, except in tests).
    public var probe: @Sendable () -> SandboxCapabilities = { SandboxCapabilities.probe() }
    /// Where notes for the person running the grader go (warnings, the sandbox's layers).
    public var logger = Logger(label: "grade")
    /// Told what each submission's grading is doing as it goes (see `GradingActivity`), when set.
    public var activity: (@Sendable (GradingActivity) -> Void)?

    /// A run on `layout` with the practicals of `registry`, recorded in the gradebook at `gradebookPath`.
    public init(layout: CourseLayout, gradebookPath: String, registry: PracticalRegistry) {
        self.layout = layout
        self.gradebookPath = gradebookPath
        self.registry = registry
    }

    /// Grades what `request` asks, calling `progress` with each report as soon as it is recorded (or
    /// found to be the grader's fault), with how many are done of how many. Throws a `ServiceFailure` when
    /// nothing could be graded.
    public func run(_ request: Request, progress: @escaping @Sendable (_ report: SubmissionReport, _ done: Int, _ total: Int) -> Void = { _, _, _ in }) throws -> GradingOutcome {
        let opened: OpenedAssignment
        do { opened = try registry.open(request.assignment, in: layout, requireRubric: true) } catch let error as SpecError {
            throw ServiceFailure("the assignment cannot be graded; nothing was graded. Fix the spec or rubric at each place listed, then run the command again:\n\(error)")
        }
        return try run(request, driver: opened.driver, loaded: opened.loaded, progress: progress)
    }

    private func run<Driver: PracticalDriver>(_ request: Request, driver: Driver.Type, loaded: LoadedAssignment,
                                              progress: @escaping @Sendable (SubmissionReport, Int, Int) -> Void) throws -> GradingOutcome {
        let assignment = request.assignment
        for warning in loaded.warnings { logger.warning("\(warning)") }
        let policy: CoursePolicy
        do { policy = try CoursePolicy.load(from: layout) } catch let error as SpecError {
            throw ServiceFailure("the course policy cannot be used; nothing was graded:\n\(error)")
        }
        let disagreements = policy.diagnose(against: loaded.spec)
        if disagreements.containsErrors {
            throw ServiceFailure("the course policy and the assignment spec disagree; nothing was graded:\n\(SpecError(diagnostics: disagreements))")
        }
        let practical = policy.practical(loaded.spec.id)
        if practical == nil, FileManager.default.fileExists(atPath: layout.coursePolicyURL.path) {
            logger.warning("warning: Rubrics/course.yaml does not list \(assignment) under 'practicals': no deadline applies and it does not count towards the course grade")
        }
        let roster = rosterIfPresent(policy: policy)
        // Open the gradebook before any work, so a bad path costs nothing.
        let gradebook = try Gradebook(path: gradebookPath)
        let extensions = Dictionary(try gradebook.extensions(assignmentID: assignment).map { ($0.studentID, $0.days) }, uniquingKeysWith: { $1 })
        let trustedTimes = try Self.trustedTimes(gradebook, assignmentID: assignment)
        var folders = try self.folders(of: assignment, students: request.students)
        let secret = try InstructorSecret.loadOrCreate(at: layout.secretURL)
        let capabilities = probe()
        for line in capabilities.summary { logger.notice("sandbox: \(line)") }
        guard capabilities.isolatesNetwork || request.allowUnsandboxed else {
            throw ServiceFailure("""
                refusing to grade: without bubblewrap, submissions could reach the network and read the course files. \
                Install it (apt-get install bubblewrap) or pass --allow-unsandboxed to grade anyway.
                """)
        }

        var skipped: [StoredSubmission] = []
        var rejected: [String] = []
        folders = folders.filter { url in
            let id = url.lastPathComponent
            guard IdentifierRules.isStudentID(id) else {
                rejected.append(id)
                return false
            }
            guard !request.force, let stored = try? gradebook.latestSubmission(assignmentID: assignment, studentID: id),
                  stored.isCurrent(sourceHash: (try? SubmissionFolder(url: url).sources()).map(SubmissionFolder.hash(of:)), specHash: loaded.specHash) else { return true }
            skipped.append(stored)
            return false
        }
        for id in rejected {
            logger.warning("warning: skipped folder '\(id)': a student id must not contain '/', quotes, spaces, commas, semicolons or control characters")
        }

        let sandbox = SandboxLauncher(capabilities: capabilities, slots: request.jobs)
        var grader = try AssignmentGrader(spec: loaded.spec, rubric: loaded.rubric, secret: secret,
                                          driver: Driver(context: DriverContext(course: layout, dataFolder: layout.stateURL.appendingPathComponent("data"))),
                                          stateFolder: layout.stateURL, sandbox: sandbox, caseLimits: policy.caseLimits,
                                          compileLimits: policy.compileLimits, logger: logger)
        grader.activity = activity
        do { try grader.preflight() } catch let fault as GraderFault {
            throw ServiceFailure("the grading machine is not ready; nothing was graded: \(fault)")
        }
        let runID = try gradebook.beginRun(GradingRunInfo(assignmentID: loaded.spec.id, assignmentTitle: loaded.spec.title,
                                                          graderVersion: GraderVersion.current, specHash: loaded.specHash,
                                                          startedAt: Date(), mode: request.students.isEmpty ? .full : .student))
        let feedbackFolder = layout.stateURL.appendingPathComponent("feedback/\(assignment)")
        try? FileManager.default.createDirectory(at: feedbackFolder, withIntermediateDirectories: true)
        if !skipped.isEmpty {
            logger.notice("\(skipped.count) submission\(skipped.count == 1 ? "" : "s") unchanged since last graded (use --force to regrade)")
        }
        let failures = Locked<[String]>([])
        let spec = loaded.spec, rubric = loaded.rubric
        let started = Date()
        let timingOf: @Sendable (SubmissionReport) -> SubmissionTiming? = { report in
            let id = report.folder.studentID
            return practical.flatMap {
                SubmissionTiming(trusted: trustedTimes[id], folder: report.folder.submittedAt, source: report.folder.submittedAtSource,
                                 practical: $0, course: policy, extensionDays: extensions[id] ?? 0)
            }
        }
        let done = Locked(0), total = folders.count
        let reports = grader.gradeAll(folders, jobs: request.jobs) { report in
            defer { progress(report, done.withLock { $0 += 1; return $0 }, total) }
            // The grader's own failure is not a result: nothing is recorded, and the previous grade and feedback stand.
            guard report.status.isGrade else {
                failures.withLock { $0.append("\(report.folder.studentID) was not graded (grader error; the previous grade stands): \(report.graderFault ?? "unknown fault")") }
                try? gradebook.recordFault(studentID: report.folder.studentID, message: report.graderFault ?? "unknown fault", inRun: runID)
                return
            }
            let text = FeedbackRenderer.render(report, spec: spec, rubric: rubric, timing: timingOf(report))
            try? Data(text.utf8).write(to: feedbackFolder.appendingPathComponent("\(report.folder.studentID).txt"))
            do { try gradebook.record(GradedSubmission(report, assignmentID: spec.id, feedback: text), inRun: runID) } catch {
                failures.withLock { $0.append("could not record \(report.folder.studentID): \(FileErrorText.describing(error))") }
            }
        }
        try gradebook.finishRun(runID, finishedAt: Date())
        let elapsed = Date().timeIntervalSince(started)
        // Every page this run touched, written again from the gradebook with the whole practical grade.
        var publisher = FeedbackPublisher(layout: layout, gradebookPath: gradebookPath, registry: registry)
        publisher.logger = logger
        var published: FeedbackPublisher.Published?
        // The dashboards too, even when only the grader failed (its faults are listed there).
        let touched = Set(reports.filter(\.status.isGrade).map(\.folder.studentID) + skipped.map(\.studentID))
        do { published = try publisher.publish(assignment, students: touched) } catch {
            failures.withLock { $0.append("the grades are recorded, but their feedback pages could not be written: \(FileErrorText.describing(error))") }
        }
        var notOnRoster: [String] = []
        if let roster {
            notOnRoster = (reports.map(\.folder.studentID) + skipped.map(\.studentID)).filter { !roster.contains($0) }.sorted()
            if !notOnRoster.isEmpty {
                logger.warning("warning: not on the roster (\(policy.rosterPath)): \(notOnRoster.joined(separator: ", ")); graded and recorded, but left out of the course grades until added to the roster")
            }
        }
        let marks = try gradebook.manualMarks(assignmentID: spec.id).reduce(into: [String: [String: Double]]()) { $0[$1.studentID, default: [:]][$1.itemID] = $1.points }
        let timings = Dictionary(reports.compactMap { report in timingOf(report).map { (report.folder.studentID, $0) } }, uniquingKeysWith: { first, _ in first })
        let table = GradingTable.make(reports: reports, skipped: skipped, gradebook: gradebook, spec: spec, rubric: rubric,
                                          standings: published?.standings ?? [:], timings: timings, marks: marks,
                                          scale: practical == nil ? nil : policy.scale)
        return GradingOutcome(spec: spec, rubric: rubric, reports: reports, skipped: skipped, table: table,
                              timings: timings, marks: marks,
                              elapsedSeconds: elapsed, feedbackFolder: feedbackFolder, notOnRoster: notOnRoster,
                              failures: failures.withLock { $0 }.sorted(), feedbackTexts: published?.texts ?? [:])
    }

    /// The student folders of `assignment`, or of `students` only when any are given, each of which must have one.
    private func folders(of assignment: String, students: [String]) throws -> [URL] {
        let place = "Submissions/\(assignment)"
        let folders: [URL]
        do { folders = try layout.submissionFolders(assignment) } catch {
            throw ServiceFailure(FileErrorText.sentence(error, .listing, path: layout.submissionsURL(assignment).path))
        }
        guard !students.isEmpty else { return folders }
        let present = Set(folders.map(\.lastPathComponent))
        let unknown = students.filter { !present.contains($0) }
        guard unknown.isEmpty else {
            let guesses = unknown.compactMap { id in present.first { $0.lowercased() == id.lowercased() }.map { "'\($0)' for '\(id)'" } }
            let listed = present.sorted().prefix(12).joined(separator: ", ") + (present.count > 12 ? ", …" : "")
            throw ServiceFailure("no submission folder in \(place) for \(unknown.map { "'\($0)'" }.joined(separator: ", ")); nothing was graded. "
                                 + (guesses.isEmpty ? "" : "Did you mean \(guesses.joined(separator: ", "))? ")
                                 + (present.isEmpty ? "It holds no student folders." : "It holds: \(listed)."))
        }
        let wanted = Set(students)
        return folders.filter { wanted.contains($0.lastPathComponent) }
    }

    /// The roster when the course has one; a roster that cannot be read is a warning, since grading does not need it.
    private func rosterIfPresent(policy: CoursePolicy) -> Roster? {
        let url = layout.url(relative: policy.rosterPath)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do { return try Roster.load(url, file: policy.rosterPath) } catch {
            logger.warning("warning: the roster cannot be used, so unknown students are not flagged:\n\(error)")
            return nil
        }
    }
}

/// What a grading run did.
public struct GradingOutcome: Sendable {
    /// The assignment's spec.
    public let spec: AssignmentSpec
    /// Its rubric.
    public let rubric: Rubric?
    /// The submissions graded, recorded unless the grader failed on them.
    public let reports: [SubmissionReport]
    /// The submissions left as they were recorded, unchanged since.
    public let skipped: [StoredSubmission]
    /// The run's table: a row per submission graded or unchanged, with its practical grade, and a summary.
    public let table: GradingTable
    /// When each graded submission came in, against its deadline, by student.
    public let timings: [String: SubmissionTiming]
    /// The marks of the rubric's manual items, by student and item.
    public let marks: [String: [String: Double]]
    /// How long grading took.
    public let elapsedSeconds: Double
    /// Where the feedback files are.
    public let feedbackFolder: URL
    /// Students graded who are not on the roster.
    public let notOnRoster: [String]
    /// What went wrong on some submissions (grader errors, recording failures): the run failed for them.
    public let failures: [String]

    /// The feedback written for each student graded or left unchanged by the run, as its file holds it.
    public let feedbackTexts: [String: String]

    /// The feedback of each graded report, as written.
    public func feedback(of report: SubmissionReport) -> String {
        feedbackTexts[report.folder.studentID] ?? FeedbackRenderer.render(report, spec: spec, rubric: rubric, timing: timings[report.folder.studentID])
    }
}

extension StoredSubmission {
    /// Whether this record still stands for a submission whose sources hash to `sourceHash` (nil when they
    /// cannot be read), under a spec and rubric hashing to `specHash`, by this version of the grader.
    func isCurrent(sourceHash: String?, specHash: String) -> Bool {
        sourceHash == self.sourceHash && specHash == self.specHash && graderVersion == GraderVersion.current
    }
}

extension GradedSubmission {
    /// The gradebook's record of a grading report.
    init(_ report: SubmissionReport, assignmentID: String, feedback: String) {
        self.init(studentID: report.folder.studentID, studentName: report.folder.name, studentEmail: report.folder.email,
                  assignmentID: assignmentID, sourceHash: report.sourceHash, submittedAt: report.folder.submittedAt,
                  status: report.status, points: report.points, maxPoints: report.maxPoints,
                  tasks: report.tasks.map { TaskScore(taskID: $0.taskID, points: $0.points, maxPoints: $0.maxPoints) },
                  cases: report.checks.flatMap { check in
                      check.cases.map { item in
                          CaseResult(checkID: check.checkID, caseLabel: item.label, isHidden: item.isHidden, verdict: item.verdict,
                                     points: item.points, maxPoints: item.maxPoints, message: item.message,
                                     durationSeconds: item.durationSeconds)
                      }
                  },
                  feedback: feedback, submittedAtSource: report.folder.submittedAtSource,
                  checks: report.checks.map { check in
                      CheckScore(taskID: check.taskID, checkID: check.checkID, points: check.points, maxPoints: check.maxPoints,
                                 cases: check.cases.count, passed: check.passedCount,
                                 verdicts: CheckScore.tally(check.cases.map(\.verdict)))
                  },
                  report: try? RecordedReport(report).encoded())
    }
}

extension AssignmentGrading {
    /// The trusted submission times of `assignmentID` by student (an unknown source is not trusted).
    static func trustedTimes(_ gradebook: Gradebook, assignmentID: String) throws -> [String: (Date, SubmissionTimeSource)] {
        var times: [String: (Date, SubmissionTimeSource)] = [:]
        for time in try gradebook.trustedTimes(assignmentID: assignmentID) {
            guard let source = SubmissionTimeSource(rawValue: time.source), source.isTrusted else { continue }
            times[time.studentID] = (time.submittedAt, source)
        }
        return times
    }
}
