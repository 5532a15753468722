import CourseKit
import Foundation
import Logging
import Outcomes
import SafeText
import SubmissionRuntime

/// Grades submissions of one assignment: build, run every case, judge, score.
///
/// A grading run is a pipeline of small steps per submission — read sources, build (cached),
/// run each check's cases against the reference, score with the rubric — and produces a
/// `SubmissionReport`. Nothing here writes to the gradebook: the caller records each report,
/// one transaction per submission.
public struct AssignmentGrader<Driver: PracticalDriver>: Sendable {
    /// The assignment.
    public let spec: AssignmentSpec
    /// The rubric; without one, every check is worth one point, proportionally.
    public let rubric: Rubric?
    /// The key of hidden cases; nil runs the public cases only (a student's `--local` self-check).
    public let secret: InstructorSecret?
    let driver: Driver
    let toolkit: Toolkit
    let buildCache: URL
    let compiler: String
    /// The sandbox every build and run happens in.
    public let sandbox: SandboxLauncher
    /// The course's default limits for one case; a check's spec may override wall and CPU time.
    let caseLimits: ResourceLimits
    /// The limits of one compilation.
    let compileLimits: ResourceLimits
    let logger: Logger
    /// Told what each submission's grading is doing as it goes (building, the case running, a training
    /// call's CPU time), for progress a person can watch; called from the grading threads.
    public var activity: (@Sendable (GradingActivity) -> Void)?

    /// Creates a grader; `stateFolder` holds the toolkit copy and the build cache.
    ///
    /// `sandbox` defaults to a launcher with whatever isolation this machine offers and one slot per core.
    public init(spec: AssignmentSpec, rubric: Rubric?, secret: InstructorSecret?, driver: Driver, stateFolder: URL,
                sandbox: SandboxLauncher? = nil, caseLimits: ResourceLimits = ResourceLimits(),
                compileLimits: ResourceLimits = .compilation, logger: Logger = Logger(label: "grade")) throws {
        self.spec = spec
        self.rubric = rubric
        self.secret = secret
        self.driver = driver
        self.caseLimits = caseLimits
        self.compileLimits = compileLimits
        self.logger = logger
        guard let compiler = SubmissionBuilder.findCompiler() else {
            throw Toolkit.Unavailable(description: "swiftc was not found on PATH (set SWIFTC to its path)")
        }
        self.compiler = compiler
        self.sandbox = sandbox ?? SandboxLauncher(capabilities: .probe(), slots: ProcessInfo.processInfo.activeProcessorCount)
        toolkit = try Toolkit.prepare(in: stateFolder.appendingPathComponent("toolkit"))
        buildCache = stateFolder.appendingPathComponent("builds")
        try FileManager.default.createDirectory(at: buildCache, withIntermediateDirectories: true)
        if let data = driver.sandboxData { try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true) }
    }

    /// Grades every folder, `jobs` at a time, calling `finished` with each report as soon as it is ready.
    public func gradeAll(_ folders: [URL], jobs: Int, finished: @escaping @Sendable (SubmissionReport) -> Void) -> [SubmissionReport] {
        let results = Locked<[SubmissionReport?]>(Array(repeating: nil, count: folders.count))
        let slots = DispatchSemaphore(value: max(1, jobs))
        let group = DispatchGroup()
        for (index, url) in folders.enumerated() {
            slots.wait()
            group.enter()
            DispatchQueue.global().async {
                let report = self.grade(SubmissionFolder(url: url))
                results.withLock { $0[index] = report }
                finished(report)
                slots.signal()
                group.leave()
            }
        }
        group.wait()
        return results.withLock { $0 }.compactMap { $0 }
    }

    /// Grades one submission folder in a sandbox slot of its own.
    public func grade(_ folder: SubmissionFolder) -> SubmissionReport {
        sandbox.withSlot { slot in grade(folder, slot: slot) }
    }

    private func grade(_ folder: SubmissionFolder, slot: SandboxSlot) -> SubmissionReport {
        let started = ContinuousClock.now
        let sources: [SubmissionFolder.SourceFile]
        do { sources = try folder.sources() } catch {
            return unrunnable(folder, hash: "", status: .noSources, message: "\(error)", started: started)
        }
        let hash = SubmissionFolder.hash(of: sources)
        guard !sources.isEmpty else {
            return unrunnable(folder, hash: hash, status: .noSources, message: "no .swift files were found in the submission folder", started: started)
        }
        let builder = SubmissionBuilder(toolkit: toolkit, cacheFolder: buildCache, compiler: compiler, limits: compileLimits, launcher: sandbox)
        let executable: URL
        activity?(GradingActivity(studentID: folder.studentID, step: .building))
        switch builder.build(sources, entryPoint: Driver.entryPoint, slot: slot) {
        case let .built(url, cached):
            logger.debug("built \(folder.studentID)\(cached ? " (cached)" : "")")
            executable = url
        case let .failed(verdict, message):
            return unrunnable(folder, hash: hash, status: SubmissionStatus(buildFailure: verdict), message: message, started: started)
        }
        let session = SubmissionSession(executable: executable, toolkit: toolkit, launcher: sandbox, slot: slot, data: driver.sandboxData)
        defer { session.stop() }
        var checks: [CheckReport] = []
        var graderFault: String?
        let plan = spec.allChecks.map { task, check in (task, check, plannedCases(check, studentID: folder.studentID)) }
        let total = plan.reduce(0) { $0 + $1.2.count }
        var number = 0
        for (task, check, planned) in plan {
            let tolerance = check.effectiveTolerance(spec.defaults)
            let limits = limits(for: check)
            var cases: [CaseReport] = []
            for planned in planned {
                number += 1
                // After a fault of the grader's the submission gets no grade, so the rest is not worth running.
                if let graderFault {
                    cases.append(CaseReport(label: planned.label, isHidden: planned.isHidden, verdict: .graderError,
                                            message: "not run: \(graderFault)", inputs: nil, durationSeconds: 0, credit: 0))
                    continue
                }
                activity?(GradingActivity(studentID: folder.studentID, step: .running(check: check.id, label: planned.label, number: number, total: total)))
                let report = run(planned, check: check, session: session, tolerance: tolerance, limits: limits, studentID: folder.studentID)
                if report.verdict == .graderError { graderFault = report.message }
                cases.append(report)
            }
            checks.append(score(check, task: task, cases: cases))
        }
        return report(folder, hash: hash, status: graderFault == nil ? .graded : .graderError, buildMessage: nil, checks: checks, started: started)
    }

    /// Checks, before anyone is graded, everything a run needs that is not the students': the course data
    /// the cases read, and a probe program built against the toolkit that starts in the sandbox.
    /// Throws a `GraderFault` that says what to fix.
    public func preflight() throws {
        do { try driver.preflight(spec) } catch {
            throw GraderFault(description: "the course data the cases need cannot be read: \(error)")
        }
        try sandbox.withSlot { slot in
            let builder = SubmissionBuilder(toolkit: toolkit, cacheFolder: buildCache, compiler: compiler, limits: compileLimits, launcher: sandbox)
            let probe = SubmissionFolder.SourceFile(relativePath: "Probe.swift", contents: Data("import CourseKit\n".utf8))
            let entry = SubmissionEntryPoint(source: "import SubmissionRuntime\n@main enum GradeStartupProbe { static func main() { serveStartupProbe() } }\n")
            switch builder.build([probe], entryPoint: entry, slot: slot) {
            case let .failed(verdict, message):
                throw GraderFault(description: "a probe program does not build against the submission toolkit (\(verdict.label)): \(message)")
            case let .built(executable, _):
                let session = SubmissionSession(executable: executable, toolkit: toolkit, launcher: sandbox, slot: slot, data: driver.sandboxData)
                defer { session.stop() }
                if let problem = session.startupProblem(limits: caseLimits) {
                    throw GraderFault(description: "a probe program built against the submission toolkit does not start in the sandbox: \(problem)")
                }
            }
        }
    }

    /// Public case `number` (from 1) of check `checkID` as a `SavedCase` file holds it: the call with every
    /// input in full, for a student to replay on their own solution. Hidden cases are never saved, and a
    /// case whose call reads files the grader writes for it (a training set) cannot be replayed from one
    /// file: both are refused with what to do instead.
    public func savedPublicCase(checkID: String, number: Int) throws -> Data {
        let checks = spec.allChecks.map(\.1)
        guard let check = checks.first(where: { $0.id == checkID }) else {
            throw SavedCaseRefusal("\(spec.id) has no check '\(checkID)'; its checks: \(checks.map(\.id).joined(separator: ", "))")
        }
        let planned = plannedCases(check, studentID: "").filter { !$0.isHidden }
        guard (1...max(planned.count, 1)).contains(number), !planned.isEmpty else {
            throw SavedCaseRefusal(planned.isEmpty ? "\(checkID) has no public case: its cases are hidden, and hidden cases are never shown"
                                                   : "\(checkID) has public cases 1 to \(planned.count), not \(number)")
        }
        let chosen = planned[number - 1]
        let prepared: PreparedCase<Driver.Call>
        do { prepared = try driver.prepareCase(for: check, recipe: chosen.recipe, seed: chosen.seed, privateSeed: chosen.privateSeed) } catch {
            throw GraderFault(description: "the grader could not generate case \(chosen.label) of \(checkID): \(error)")
        }
        defer { driver.release(prepared) }
        guard prepared.temporaryFiles.isEmpty else {
            throw SavedCaseRefusal("case \(chosen.label) of \(checkID) reads data files the grader writes for the call (\(prepared.inputs)); "
                                   + "it cannot be replayed from a saved case: train on the course's data in your own experiments instead")
        }
        return try SavedCase(assignment: spec.id, check: checkID, label: chosen.label, inputs: prepared.inputs, call: prepared.call).encoded()
    }

    /// The limits of one case of `check`: the course policy's, then the spec's time limit (its default or the
    /// check's `timeout`) as wall and CPU time, then the check's own `limits:`.
    func limits(for check: CheckSpec) -> ResourceLimits {
        var limits = caseLimits
        limits.wallSeconds = check.effectiveTimeout(spec.defaults)
        limits.cpuSeconds = limits.wallSeconds
        return check.limits.applied(to: limits)
    }

    /// A case to run: its label, recipe, seed, and with a secret the student's private seed for the case.
    struct PlannedCase {
        var label: String
        var isHidden: Bool
        var recipe: CaseRecipe
        var seed: UInt64
        var privateSeed: UInt64?
    }

    /// The public cases of `check`, then (with a secret) its hidden cases for `studentID`.
    func plannedCases(_ check: CheckSpec, studentID: String) -> [PlannedCase] {
        // Private seeds are drawn for a check named apart from the hidden cases' (`check#private`), public cases first.
        let privateSeed = { (index: Int) in self.secret?.hiddenSeed(assignment: self.spec.id, check: check.id + "#private", student: studentID, index: index) }
        var planned = check.publicCases.enumerated().map { index, recipe in
            PlannedCase(label: "public \(index + 1)", isHidden: false, recipe: recipe, seed: recipe.seed ?? 0, privateSeed: privateSeed(index))
        }
        if let secret, let hidden = check.hidden, !hidden.recipes.isEmpty {
            for index in 0..<hidden.count {
                let seed = secret.hiddenSeed(assignment: spec.id, check: check.id, student: studentID, index: index)
                planned.append(PlannedCase(label: "hidden \(index + 1)", isHidden: true, recipe: hidden.recipes[index % hidden.recipes.count],
                                           seed: seed, privateSeed: privateSeed(check.publicCases.count + index)))
            }
        }
        return planned
    }

    private func run(_ planned: PlannedCase, check: CheckSpec, session: SubmissionSession, tolerance: Tolerance, limits: ResourceLimits,
                     studentID: String) -> CaseReport {
        let prepared: PreparedCase<Driver.Call>
        do { prepared = try driver.prepareCase(for: check, recipe: planned.recipe, seed: planned.seed, privateSeed: planned.privateSeed) } catch {
            // The spec was validated by preparing every recipe, so this is the grader's fault, not the student's.
            logger.error("case \(planned.label) of \(check.id) could not be generated: \(error)")
            return CaseReport(label: planned.label, isHidden: planned.isHidden, verdict: .graderError,
                              message: "the grader could not generate case \(planned.label) of \(check.id): \(error)", inputs: nil, durationSeconds: 0, credit: 0)
        }
        defer { driver.release(prepared) }
        let inputs = planned.isHidden ? nil : prepared.inputs
        var call = prepared.call, limits = limits, slowdown = 1.0
        var cpuProgress: (@Sendable (Double) -> Void)?
        if let training = prepared.evidence.first(TrainingCheck.Evidence.self) {
            // The budget at this machine's speed, measured with nothing of the submission running.
            session.stop()
            let budget = MachineBudget.measure(referenceSeconds: training.seconds)
            if let problem = budget.problem {
                logger.error("case \(planned.label) of \(check.id) cannot be run fairly: \(problem)")
                return CaseReport(label: planned.label, isHidden: planned.isHidden, verdict: .graderError,
                                  message: "the grader cannot run case \(planned.label) of \(check.id) fairly: \(problem)", inputs: inputs,
                                  durationSeconds: 0, credit: 0)
            }
            slowdown = budget.slowdown
            call = driver.withBudget(call, seconds: budget.seconds)
            if let activity {
                cpuProgress = { used in
                    activity(GradingActivity(studentID: studentID, step: .training(check: check.id, label: planned.label, cpuSeconds: used,
                                                                                   budgetSeconds: budget.seconds)))
                }
            }
            limits = limits.stretched(by: slowdown)
        }
        let started = ContinuousClock.now
        let outcome = session.perform(call, budget: driver.replyBudget(for: call), limits: limits, cpuProgress: cpuProgress)
        let elapsed = started.duration(to: .now)
        let seconds = elapsed.inSeconds
        switch outcome {
        case let .failed(verdict, message):
            var explained = message
            if verdict == .cpuLimit || verdict == .timeLimit, let judge = Driver.judge(of: check) {
                explained = judge.limitMessage(message, call: check.call)
            }
            return CaseReport(label: planned.label, isHidden: planned.isHidden, verdict: verdict, message: explained, inputs: inputs,
                              durationSeconds: seconds, credit: 0)
        case let .replied(payload, requestID, _, cpuSeconds):
            let reference = driver.referenceAnswer(for: prepared)
            let result = ReplyEvaluator(driver: driver).evaluate(payload, requestID: requestID, prepared: prepared, reference: reference, check: check,
                                                                 tolerance: tolerance, disclosure: planned.isHidden ? .positionOnly : .full,
                                                                 cpuSeconds: cpuSeconds, slowdown: slowdown)
            return CaseReport(label: planned.label, isHidden: planned.isHidden, verdict: result.verdict,
                              message: result.message, inputs: inputs, durationSeconds: seconds, credit: result.credit, measurement: result.measurement,
                              figures: result.figures)
        }
    }

    /// The check's points under the rubric: the fraction of cases passed, or all-or-nothing.
    func score(_ check: CheckSpec, task: TaskSpec, cases: [CaseReport]) -> CheckReport {
        let entry = rubric?.entry(forCheck: check.id)
        let available = entry?.points ?? 1
        let (points, total) = (entry?.credit ?? .proportional).casePointsAndTotal(credits: cases.map { $0.verdict.isAccepted ? 1 : $0.credit }, available: available)
        var scored = cases
        for index in scored.indices {
            scored[index].points = points[index]
            scored[index].maxPoints = CreditRule.share(of: available, cases: cases.count)
        }
        return CheckReport(taskID: task.id, checkID: check.id, title: check.title ?? check.id, kind: check.kind,
                           points: total, maxPoints: available, cases: scored)
    }

    private func unrunnable(_ folder: SubmissionFolder, hash: String, status: SubmissionStatus, message: String,
                            started: ContinuousClock.Instant) -> SubmissionReport {
        let verdict = status.unrunCaseVerdict
        let note = switch status {
        case .noSources: message
        case .graderError: "not run: \(message)"
        default: "did not run: the submission does not build"
        }
        let checks = spec.allChecks.map { task, check in
            score(check, task: task, cases: plannedCases(check, studentID: folder.studentID).map {
                CaseReport(label: $0.label, isHidden: $0.isHidden, verdict: verdict, message: note, inputs: nil, durationSeconds: 0, credit: 0)
            })
        }
        return report(folder, hash: hash, status: status, buildMessage: message, checks: checks, started: started)
    }

    private func report(_ folder: SubmissionFolder, hash: String, status: SubmissionStatus, buildMessage: String?,
                        checks: [CheckReport], started: ContinuousClock.Instant) -> SubmissionReport {
        let tasks = spec.tasks.map { task in
            let own = checks.filter { $0.taskID == task.id }
            return TaskReport(taskID: task.id, title: task.title, points: own.reduce(0) { $0 + $1.points },
                              maxPoints: own.reduce(0) { $0 + $1.maxPoints })
        }
        let elapsed = started.duration(to: .now)
        // Everything below may quote the submission (trap messages, diagnostics, file names, metadata): escaped
        // and bounded once, here, so that no reply or file makes a report, a page or the gradebook large.
        var folder = folder
        folder.name = folder.name.map { SafeText.escaped(SafeText.bounded($0, limit: ReportLimits.field)) }
        folder.email = folder.email.map { SafeText.escaped(SafeText.bounded($0, limit: ReportLimits.field)) }
        folder.notes = folder.notes.map { SafeText.escaped(SafeText.bounded($0, limit: ReportLimits.notes)) }
        let checks = checks.map { check in
            var check = check
            check.cases = check.cases.map { item in
                var item = item
                item.message = SafeText.escaped(SafeText.bounded(item.message, limit: ReportLimits.caseMessage))
                return item
            }
            return check
        }
        let buildMessage = buildMessage.map { SafeText.escaped(SafeText.bounded($0, limit: ReportLimits.buildMessage)) }
        return SubmissionReport(folder: folder, sourceHash: hash, status: status, buildMessage: buildMessage, checks: checks, tasks: tasks,
                                points: checks.reduce(0) { $0 + $1.points }, maxPoints: checks.reduce(0) { $0 + $1.maxPoints },
                                durationSeconds: elapsed.inSeconds,
                                includesHidden: secret != nil)
    }
}

/// The most characters of a submission's text a report keeps, by place: enough for every message the
/// grader writes and any honest compiler log, far below what a hostile reply could send.
enum ReportLimits {
    /// A name or an email from `submission.yaml`.
    static let field = 200
    /// The notes of `submission.yaml`.
    static let notes = 2_000
    /// One case's message.
    static let caseMessage = 4_000
    /// The compiler's output.
    static let buildMessage = 20_000
}

/// Why a public case cannot be saved for replay (`AssignmentGrader.savedPublicCase`): said to the person who asked.
public struct SavedCaseRefusal: Error, CustomStringConvertible, Sendable {
    /// What cannot be saved, and what to do instead.
    public let description: String

    init(_ description: String) { self.description = description }
}
