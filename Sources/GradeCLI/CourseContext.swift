import ArgumentParser
import Foundation
import Gradebook
import Grader

/// What the course-grade commands share: the course policy (which must list the practicals), the
/// roster, the gradebook, and loaders for rubrics and the quiz bank.
struct CourseContext {
    let layout: CourseLayout
    let policy: CoursePolicy
    let roster: Roster
    let gradebook: Gradebook
    let gradebookPath: String

    /// Loads everything, or fails with every problem of the file at fault.
    static func load(_ options: CourseOptions) throws -> CourseContext {
        let layout = try options.layout()
        guard FileManager.default.fileExists(atPath: layout.coursePolicyURL.path) else {
            throw CommandFailure("Rubrics/course.yaml: error: no such file; the course grade needs the course policy (practicals, weights, late policy)")
        }
        let policy: CoursePolicy
        do { policy = try CoursePolicy.load(from: layout) } catch let error as SpecError {
            throw CommandFailure("the course policy cannot be used:\n\(error)")
        }
        guard !policy.practicals.isEmpty else {
            throw CommandFailure("Rubrics/course.yaml: error: the course grade needs 'practicals' (each with id, session and weight)")
        }
        let roster: Roster
        do { roster = try Roster.load(layout.url(relative: policy.rosterPath), file: policy.rosterPath) } catch let error as SpecError {
            throw CommandFailure("the roster cannot be used:\n\(error)")
        }
        let path = options.gradebookPath(in: layout)
        return CourseContext(layout: layout, policy: policy, roster: roster, gradebook: try Gradebook(path: path), gradebookPath: path)
    }

    /// The spec and rubric of `assignment`, which the course policy must list.
    func rubric(for assignment: String) throws -> Rubric {
        guard policy.practical(assignment) != nil else {
            let known = policy.practicals.map(\.id).joined(separator: ", ")
            throw CommandFailure("'\(assignment)' is not a practical of Rubrics/course.yaml (it lists: \(known))")
        }
        do {
            let spec = try SpecLoader.loadAssignment(at: URL(fileURLWithPath: "Assignments/\(assignment).yaml", relativeTo: layout.root))
            return try SpecLoader.loadRubric(at: URL(fileURLWithPath: "Rubrics/\(assignment).yaml", relativeTo: layout.root), for: spec)
        } catch let error as SpecError {
            throw CommandFailure("the rubric of \(assignment) cannot be used:\n\(error)")
        }
    }

    /// The quiz bank named by the course policy.
    func bank() throws -> QuizBank {
        guard let quiz = policy.quiz else { throw CommandFailure("Rubrics/course.yaml: error: the course has no 'quiz'") }
        do { return try QuizBank.load(from: layout, path: quiz.bankPath) } catch let error as SpecError {
            throw CommandFailure("the quiz bank cannot be used:\n\(error)")
        }
    }

    /// The recorded quiz responses as sheets, by student.
    func sheets(for bank: QuizBank) throws -> [String: QuizSheet] {
        var sheets: [String: QuizSheet] = [:]
        for (student, answers) in try gradebook.quizResponses() {
            var letters: [String: Set<String>] = [:]
            for (question, text) in answers { letters[question] = (try? QuizSheet.letters(text).get()) ?? [] }
            sheets[student] = QuizSheet(studentID: student, answers: letters)
        }
        return sheets
    }

    /// Everything the gradebook knows about each practical of the course policy.
    func practicalRecords() throws -> [PracticalRecord] {
        try policy.practicals.map { practical in
            let hasSpec = FileManager.default.fileExists(atPath: layout.specURL(practical.id).path)
            let rubric = hasSpec ? try self.rubric(for: practical.id) : nil
            var work: [String: PracticalRecord.Work] = [:]
            for grade in try gradebook.currentGrades(assignmentID: practical.id) {
                work[grade.studentID] = PracticalRecord.Work(automaticPoints: grade.points, status: grade.status, submittedAt: grade.submittedAt,
                                                             source: grade.submittedAtSource.flatMap(SubmissionTimeSource.init(rawValue:)))
            }
            var marks: [String: [String: Double]] = [:]
            for mark in try gradebook.manualMarks(assignmentID: practical.id) { marks[mark.studentID, default: [:]][mark.itemID] = mark.points }
            let extensions = Dictionary(try gradebook.extensions(assignmentID: practical.id).map { ($0.studentID, $0.days) },
                                        uniquingKeysWith: { $1 })
            return PracticalRecord(practical: practical, rubric: rubric, isGraded: try gradebook.hasRuns(assignmentID: practical.id),
                                   work: work, marks: marks, extensions: extensions)
        }
    }

    /// The course grades of every roster student.
    func grades() throws -> CourseGrades {
        let bank = policy.quiz == nil ? nil : try self.bank()
        let sheets = try bank.map { try self.sheets(for: $0) } ?? [:]
        var overrides: [String: [String: Double]] = [:]
        for item in try gradebook.overrides() { overrides[item.studentID, default: [:]][item.target] = item.grade }
        return CourseGrades(policy: policy, roster: roster, practicals: try practicalRecords(), bank: bank, sheets: sheets, overrides: overrides)
    }

    /// The student `id`, who must be on the roster.
    func enrolled(_ id: String) throws -> Roster.Student {
        guard let student = roster.student(id) else {
            let guess = roster.students.map(\.id).filter { $0.lowercased() == id.lowercased() }.first.map { "; did you mean '\($0)'?" } ?? ""
            throw CommandFailure("'\(id)' is not on the roster (\(policy.rosterPath))\(guess)")
        }
        return student
    }

    /// Who runs the command, for the audit log: the invoking user behind sudo, else the user.
    static var actor: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["SUDO_USER"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
    }
}

/// A reason given on the command line: required, and not blank.
func requireReason(_ reason: String?) throws -> String {
    guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
        throw ValidationError("give a --reason: every change by hand is kept in the audit log with why it was made")
    }
    return reason
}

/// `text` as a grade or mark: a finite number, with '.' or ',' as the decimal separator.
func parseNumber(_ text: String) -> Double? {
    let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
    guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }),
          let value = Double(cleaned), value.isFinite else { return nil }
    return value
}
