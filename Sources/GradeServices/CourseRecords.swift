import Foundation
import Gradebook
import Outcomes
import Grader
import SafeText
import StudentServices

/// The course as the gradebook records it: the policy (which must list the practicals), the roster and
/// the gradebook, with what the course-grade commands read from them and the changes they make by hand
/// (report marks, overrides, extensions, quiz responses), each checked before anything is recorded.
public struct CourseRecords {
    /// The course folder.
    public let layout: CourseLayout
    /// The course policy.
    public let policy: CoursePolicy
    /// Who is enrolled.
    public let roster: Roster
    /// The gradebook.
    public let gradebook: Gradebook
    /// Its path.
    public let gradebookPath: String
    /// The practicals the grader knows, whose check kinds the specs may use.
    public let registry: PracticalRegistry

    /// Loads the policy, the roster and the gradebook, or fails with every problem of the file at fault.
    public static func load(layout: CourseLayout, gradebookPath: String, registry: PracticalRegistry) throws -> CourseRecords {
        guard FileManager.default.fileExists(atPath: layout.coursePolicyURL.path) else {
            throw ServiceFailure("Rubrics/course.yaml: error: no such file; the course grade needs the course policy (practicals, weights, late policy)")
        }
        let policy: CoursePolicy
        do { policy = try CoursePolicy.load(from: layout) } catch let error as SpecError {
            throw ServiceFailure("the course policy cannot be used:\n\(error)")
        }
        guard !policy.practicals.isEmpty else {
            throw ServiceFailure("Rubrics/course.yaml: error: the course grade needs 'practicals' (each with id, session and weight)")
        }
        let roster: Roster
        do { roster = try Roster.load(layout.url(relative: policy.rosterPath), file: policy.rosterPath) } catch let error as SpecError {
            throw ServiceFailure("the roster cannot be used:\n\(error)")
        }
        return CourseRecords(layout: layout, policy: policy, roster: roster, gradebook: try Gradebook(path: gradebookPath), gradebookPath: gradebookPath,
                             registry: registry)
    }

    /// Who makes a change, for the audit log, the one rule every command uses: the invoking user behind
    /// sudo (who ran the command, not who is authenticated), else the account the process runs as (from the system's user database, so a shell without
    /// `USER`, as under cron or a container, still names it), else its uid.
    public static var actor: String {
        let environment = ProcessInfo.processInfo.environment
        // sudo's variable counts only in a process sudo made (root, run for another uid), not wherever someone sets it.
        if let invoker = environment["SUDO_USER"], !invoker.isEmpty, getuid() == 0,
           let uid = environment["SUDO_UID"].flatMap(UInt32.init), uid != 0 { return invoker }
        let account = NSUserName()
        if !account.isEmpty { return account }
        return environment["USER"] ?? environment["LOGNAME"] ?? "uid \(getuid())"
    }

    // MARK: Reading

    /// The rubric of `assignment`, which the course policy must list.
    public func rubric(for assignment: String) throws -> Rubric {
        _ = try policy.requirePractical(assignment)
        do {
            // Named relative to the course folder in messages, as instructors write them.
            let spec = try SpecLoader.loadAssignment(at: URL(fileURLWithPath: "Assignments/\(assignment).yaml", relativeTo: layout.root),
                                                     kinds: registry.checkKinds)
            return try SpecLoader.loadRubric(at: URL(fileURLWithPath: "Rubrics/\(assignment).yaml", relativeTo: layout.root), for: spec)
        } catch let error as SpecError {
            throw ServiceFailure("the rubric of \(assignment) cannot be used:\n\(error)")
        }
    }

    /// The quiz bank named by the course policy.
    public func bank() throws -> QuizBank {
        guard let quiz = policy.quiz else { throw ServiceFailure("Rubrics/course.yaml: error: the course has no 'quiz'") }
        do { return try QuizBank.load(from: layout, path: quiz.bankPath) } catch let error as SpecError {
            throw ServiceFailure("the quiz bank cannot be used:\n\(error)")
        }
    }

    /// The recorded quiz responses as sheets by student, and the answers that cannot be read as option
    /// letters (question ids by student), which the sheets hold as blanks.
    public func quizSheets() throws -> (sheets: [String: QuizSheet], unreadable: [String: [String]]) {
        var sheets: [String: QuizSheet] = [:]
        var unreadable: [String: [String]] = [:]
        for (student, answers) in try gradebook.quizResponses() {
            var letters: [String: Set<String>] = [:]
            for (question, text) in answers {
                switch QuizSheet.letters(text) {
                case let .success(chosen): letters[question] = chosen
                case .failure:
                    letters[question] = []
                    unreadable[student, default: []].append(question)
                }
            }
            sheets[student] = QuizSheet(studentID: student, answers: letters)
        }
        return (sheets, unreadable.mapValues { $0.sorted() })
    }

    /// Everything the gradebook knows about each practical of the course policy.
    public func practicalRecords() throws -> [PracticalRecord] {
        try policy.practicals.map { practical in
            let hasSpec = FileManager.default.fileExists(atPath: layout.specURL(practical.id).path)
            let rubric = hasSpec ? try self.rubric(for: practical.id) : nil
            var work: [String: PracticalRecord.Work] = [:]
            let trusted = try AssignmentGrading.trustedTimes(gradebook, assignmentID: practical.id)
            for grade in try gradebook.currentGrades(assignmentID: practical.id) {
                let folder = grade.submittedAt.flatMap { time in grade.submittedAtSource.map { (time, $0) } }
                let chosen = SubmissionTimeSource.choose(trusted: trusted[grade.studentID], folder: folder)
                work[grade.studentID] = PracticalRecord.Work(automaticPoints: grade.points, status: grade.status, submittedAt: chosen?.date,
                                                             source: chosen?.source)
            }
            var marks: [String: [String: Double]] = [:]
            for mark in try gradebook.manualMarks(assignmentID: practical.id) { marks[mark.studentID, default: [:]][mark.itemID] = mark.points }
            let extensions = Dictionary(try gradebook.extensions(assignmentID: practical.id).map { ($0.studentID, $0.days) },
                                        uniquingKeysWith: { $1 })
            // Handed in: a student folder (collected, or copied in by hand) or a time from the course site.
            let folders = try handedIn(practical.id)
            let faults = Dictionary(try gradebook.unresolvedFaults(assignmentID: practical.id).map { ($0.studentID, $0.message) },
                                    uniquingKeysWith: { $1 })
            return PracticalRecord(practical: practical, rubric: rubric, isGraded: try gradebook.hasRuns(assignmentID: practical.id),
                                   work: work, submitted: Set(folders).union(trusted.keys), faults: faults, marks: marks, extensions: extensions)
        }
    }

    /// The students with a folder in `Submissions/<practical>/` (none when there is no such folder). A
    /// folder that exists but cannot be listed is an error: read as empty, it would make work handed in look missing.
    func handedIn(_ practical: String) throws -> [String] {
        let url = layout.submissionsURL(practical)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        do { return try layout.submissionFolders(practical).map(\.lastPathComponent).filter(IdentifierRules.isStudentID) } catch {
            throw ServiceFailure("the course grades cannot tell who handed in \(practical): \(FileErrorText.sentence(error, .listing, path: url.path))")
        }
    }

    /// The course grades of every roster student, with deadlines compared with `now`.
    public func grades(now: Date = Date()) throws -> CourseGrades {
        let bank = policy.quiz == nil ? nil : try self.bank()
        let quiz = bank == nil ? (sheets: [:], unreadable: [:]) : try quizSheets()
        var overrides: [String: [String: Double]] = [:]
        for item in try gradebook.overrides() { overrides[item.studentID, default: [:]][item.target] = item.grade }
        var grades = CourseGrades(policy: policy, roster: roster, practicals: try practicalRecords(), bank: bank, sheets: quiz.sheets, overrides: overrides,
                                  now: now)
        grades.unreadableQuizAnswers = quiz.unreadable
        return grades
    }

    /// The student `id`, who must be on the roster.
    public func enrolled(_ id: String) throws -> Roster.Student {
        guard let student = roster.student(id) else {
            let guess = roster.students.map(\.id).first { $0.lowercased() == id.lowercased() }.map { "; did you mean '\($0)'?" } ?? ""
            throw ServiceFailure("'\(id)' is not on the roster (\(policy.rosterPath))\(guess)")
        }
        return student
    }

    // MARK: Changes by hand

    /// Writes the feedback of `students` (every graded student when nil) for `assignment` again from the
    /// gradebook, so that a mark, an extension or an override shows on their pages at once. Nothing is
    /// written for a practical that has not been graded. Returns what was written.
    @discardableResult
    public func refreshFeedback(_ assignment: String, students: Set<String>? = nil) throws -> FeedbackPublisher.Published? {
        guard try gradebook.hasRuns(assignmentID: assignment) else { return nil }
        return try FeedbackPublisher(layout: layout, gradebookPath: gradebookPath, registry: registry).publish(assignment, students: students, course: self)
    }

    /// Writes the course's dashboard again (after quiz responses or an override of the quiz or final grade).
    public func refreshCourseDashboard() throws {
        try FeedbackPublisher(layout: layout, gradebookPath: gradebookPath, registry: registry).writeCourseDashboard(self)
    }

    /// What importing a marks file did.
    public struct MarksImport: Sendable {
        /// Students the file gives marks to.
        public var students: Int
        /// Marks that changed.
        public var changed: Int
        /// Students given marks who have no graded submission yet (their marks count once one is graded).
        public var ungraded: [String]
    }

    /// Imports the report marks of `assignment` from the CSV file at `file`; the whole file is checked first,
    /// and nothing is recorded unless every row is good.
    ///
    /// - Parameter reason: why, for the audit log, where a row has no comment (default "imported from <file>").
    public func importMarks(_ assignment: String, from file: URL, reason: String?, actor: String = actor) throws -> MarksImport {
        let rubric = try self.rubric(for: assignment)
        guard !rubric.manual.isEmpty else { throw ServiceFailure("the rubric of \(assignment) has no manual items to mark") }
        let defaultReason = reason ?? "imported from \(file.lastPathComponent)"
        let rows: [MarksFile.Row]
        do { rows = try MarksFile.parse(CSVTable.read(file), rubric: rubric, roster: roster, defaultReason: defaultReason) } catch let error as SpecError {
            throw ServiceFailure("nothing was imported:\n\(error)")
        }
        let marks = rows.flatMap { row in
            row.marks.map { ManualMarkInput(studentID: row.studentID, itemID: $0.itemID, points: $0.points, reason: row.reason, comment: row.comment) }
        }
        let changed = try gradebook.setManualMarks(marks, assignmentID: assignment, reason: defaultReason, actor: actor, action: "mark-import")
        let graded = Set(try gradebook.currentGrades(assignmentID: assignment).map(\.studentID))
        return MarksImport(students: rows.count, changed: changed, ungraded: rows.map(\.studentID).filter { !graded.contains($0) })
    }

    /// Sets one student's mark for one manual item; `text` is the mark as typed. Returns the mark, its
    /// item's points, and whether anything changed.
    public func setMark(_ assignment: String, student: String, item: String, points text: String, reason: String,
                        actor: String = actor) throws -> (points: Double, of: Double, changed: Bool) {
        let rubric = try self.rubric(for: assignment)
        _ = try enrolled(student)
        guard let manual = rubric.manual.first(where: { $0.id == item }) else {
            throw ServiceFailure("'\(item)' is not a manual item of Rubrics/\(assignment).yaml (it has: \(rubric.manual.map(\.id).joined(separator: ", ")))")
        }
        guard let value = Points.parse(text), value >= 0, value <= manual.points else {
            throw ServiceFailure("'\(text)' is not a mark for \(item): give a number from 0 to \(Points.text(manual.points))")
        }
        let changed = try gradebook.setManualMarks([ManualMarkInput(studentID: student, itemID: item, points: value)],
                                                   assignmentID: assignment, reason: reason, actor: actor)
        return (value, manual.points, changed > 0)
    }

    /// What may be overridden: every practical, the quiz when the course has one, and the final grade.
    public var overrideTargets: [String] { policy.practicals.map(\.id) + (policy.quiz == nil ? [] : ["quiz"]) + ["final"] }

    /// Sets (a grade as typed) or clears (nil) a student's override of `target`; whether anything changed.
    public func setOverride(_ target: String, student: String, grade text: String?, reason: String, actor: String = actor) throws -> (grade: Double?, changed: Bool) {
        guard overrideTargets.contains(target) else {
            throw ServiceFailure("'\(target)' cannot be overridden; use one of: \(overrideTargets.joined(separator: ", "))")
        }
        _ = try enrolled(student)
        var value: Double?
        if let text {
            guard let number = Points.parse(text), number >= 0, number <= policy.scale else {
                throw ServiceFailure("'\(text)' is not a grade: give a number from 0 to \(Points.text(policy.scale))")
            }
            value = number
        }
        return (value, try gradebook.setOverride(studentID: student, target: target, grade: value, reason: reason, actor: actor))
    }

    /// Gives (`days`) or removes (nil) a student's extension for `assignment`: whether anything changed, and the
    /// student's deadline now.
    public func setExtension(_ assignment: String, student: String, days: Int?, reason: String, actor: String = actor) throws -> (deadline: Date, changed: Bool) {
        let practical = try policy.requirePractical(assignment)
        if let days, days < 1 || days > 365 { throw ServiceFailure("an extension is from 1 to 365 days, not \(days)") }
        _ = try enrolled(student)
        let changed = try gradebook.setExtension(studentID: student, assignmentID: assignment, days: days, reason: reason, actor: actor)
        return (policy.deadline(of: practical, extensionDays: days ?? 0), changed)
    }

    /// What importing quiz responses did.
    public struct QuizImport: Sendable {
        /// Students whose responses the file holds.
        public var students: Int
        /// Students whose recorded responses changed.
        public var changed: Int
        /// Roster students with no responses recorded at all (they score 0 on the quiz).
        public var withoutResponses: [String]
    }

    /// Replaces the responses of every student in the CSV file at `file`; the whole file is checked
    /// against the bank and the roster first, and nothing is recorded unless every row is good.
    public func importQuizResponses(from file: URL, actor: String = actor) throws -> QuizImport {
        let bank = try self.bank()
        let sheets: [QuizSheet]
        do { sheets = try QuizResponseFile.parse(CSVTable.read(file), bank: bank, roster: roster) } catch let error as SpecError {
            throw ServiceFailure("nothing was imported:\n\(error)")
        }
        let inputs = sheets.map { QuizResponseInput(studentID: $0.studentID, answers: $0.answers.mapValues(QuizSheet.text)) }
        let changed = try gradebook.replaceQuizResponses(inputs, source: file.lastPathComponent, actor: actor)
        let recorded = Set(try gradebook.quizResponses().keys)
        return QuizImport(students: sheets.count, changed: changed, withoutResponses: roster.students.map(\.id).filter { !recorded.contains($0) })
    }

    /// The item analysis of the recorded responses of roster students.
    public func quizAnalysis() throws -> (analysis: ItemAnalysis, bank: QuizBank) {
        let bank = try self.bank()
        let sheets = try quizSheets().sheets.values.filter { roster.contains($0.studentID) }.sorted { $0.studentID < $1.studentID }
        guard !sheets.isEmpty else { throw ServiceFailure("no quiz responses recorded yet: run grade mcq import <responses.csv>") }
        return (ItemAnalysis(bank: bank, sheets: sheets), bank)
    }
}
