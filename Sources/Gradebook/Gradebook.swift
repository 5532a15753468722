import Foundation
import GRDB

/// Why the gradebook could not be opened or written.
public struct GradebookError: Error, CustomStringConvertible {
    /// The database path involved.
    public let path: String
    /// What went wrong.
    public let reason: String

    /// "cannot open the gradebook at <path>: <reason>".
    public var description: String { "cannot use the gradebook at \(path): \(reason)" }
}

/// The last graded submission of a student, with what identifies what was graded.
public struct StoredSubmission: Sendable, Hashable {
    /// The submission row's id.
    public var submissionID: Int64
    /// The student.
    public var studentID: String
    /// The digest of the sources graded.
    public var sourceHash: String
    /// The digest of the spec and rubric of its run.
    public var specHash: String
    /// The grader version of its run.
    public var graderVersion: String
    /// Its status.
    public var status: String
    /// Automatic points earned.
    public var points: Double
    /// Automatic points available.
    public var maxPoints: Double
    /// When it was graded.
    public var gradedAt: Date
}

/// A student's current grade for an assignment.
public struct CurrentGrade: Sendable, Hashable {
    /// The student.
    public var studentID: String
    /// The student's name, when known.
    public var name: String?
    /// Points.
    public var points: Double
    /// Points available.
    public var maxPoints: Double
    /// The status of the submission the grade comes from.
    public var status: String
    /// The submission the grade comes from.
    public var submissionID: Int64
}

/// One grading run of the history.
public struct RunSummary: Sendable, Hashable {
    /// The run's id.
    public var id: Int64
    /// The grader version.
    public var graderVersion: String
    /// The spec digest.
    public var specHash: String
    /// "full" or "student".
    public var mode: String
    /// When it started.
    public var startedAt: Date
    /// When it finished; nil for a run that was interrupted.
    public var finishedAt: Date?
    /// How many submissions it recorded.
    public var submissionsGraded: Int
}

/// The course gradebook: one SQLite database that records every grading run, submission and case.
///
/// It owns the database writer and migrates the schema when opened. Files are opened in WAL mode
/// with a busy timeout, so two `grade` processes can share one gradebook. Every submission is
/// written in a single transaction.
public final class Gradebook: Sendable {
    private let writer: any DatabaseWriter

    /// Opens (creating if needed) the gradebook at `path` and migrates it.
    ///
    /// - Throws: `GradebookError` naming the path when the folder cannot be created, the file
    ///   cannot be opened, or the database cannot be written.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw GradebookError(path: path, reason: "cannot create its folder (\(Self.describe(error)))")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        // Two graders opening a new gradebook at once race to switch it to WAL, which SQLite reports as
        // "locked" without waiting: retry for as long as the busy timeout would have waited.
        var attempt = 0
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try Migrations.migrator.migrate(pool)
                // Prove the file is writable now, before any grading work depends on it.
                try pool.write { db in try db.execute(sql: "PRAGMA user_version = 1") }
                writer = pool
                return
            } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) && attempt < 200 {
                attempt += 1
                usleep(50_000)
            } catch {
                throw GradebookError(path: path, reason: Self.describe(error) + Self.freeSpaceNote(for: url))
            }
        }
    }

    /// " (the file system holding it has N bytes free)" when that is less than a megabyte, else nothing.
    private static func freeSpaceNote(for url: URL) -> String {
        let folder = url.deletingLastPathComponent().path
        guard let free = (try? FileManager.default.attributesOfFileSystem(forPath: folder))?[.systemFreeSize] as? NSNumber,
              free.int64Value < 1 << 20 else { return "" }
        return " (the file system holding it is full: \(free.int64Value) bytes free)"
    }

    /// A gradebook in memory, for tests.
    public static func inMemory() throws -> Gradebook { try Gradebook(writer: DatabaseQueue()) }

    private init(writer: any DatabaseWriter) throws {
        try Migrations.migrator.migrate(writer)
        self.writer = writer
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return (error as NSError).localizedDescription
    }

    /// Records the start of a grading run and returns its id.
    public func beginRun(_ info: GradingRunInfo) throws -> Int64 {
        try writer.write { db in
            try AssignmentRecord(id: info.assignmentID, title: info.assignmentTitle).upsert(db)
            var run = GradingRunRecord(id: nil, assignmentID: info.assignmentID, graderVersion: info.graderVersion, specHash: info.specHash,
                                       mode: info.mode, startedAt: info.startedAt, finishedAt: nil, submissionsGraded: 0)
            try run.insert(db)
            return run.id!
        }
    }

    /// Marks run `id` finished and stores how many submissions it recorded.
    public func finishRun(_ id: Int64, finishedAt: Date) throws {
        try writer.write { db in
            let count = try SubmissionRecord.filter(SubmissionRecord.Columns.runID == id).fetchCount(db)
            try db.execute(sql: "UPDATE grading_runs SET finished_at = ?, submissions_graded = ? WHERE id = ?",
                           arguments: [finishedAt, count, id])
        }
    }

    /// Records one graded submission of run `runID` in a single transaction and makes it the student's current grade.
    @discardableResult
    public func record(_ graded: GradedSubmission, inRun runID: Int64) throws -> Int64 {
        try writer.write { db in
            if var student = try StudentRecord.fetchOne(db, key: graded.studentID) {
                student.name = graded.studentName ?? student.name
                student.email = graded.studentEmail ?? student.email
                try student.update(db)
            } else {
                try StudentRecord(id: graded.studentID, name: graded.studentName, email: graded.studentEmail).insert(db)
            }
            if try AssignmentRecord.fetchOne(db, key: graded.assignmentID) == nil {
                try AssignmentRecord(id: graded.assignmentID, title: graded.assignmentID).insert(db)
            }
            let now = Date()
            var submission = SubmissionRecord(id: nil, runID: runID, studentID: graded.studentID, assignmentID: graded.assignmentID,
                                              sourceHash: graded.sourceHash, submittedAt: graded.submittedAt, status: graded.status,
                                              points: graded.points, maxPoints: graded.maxPoints, feedback: graded.feedback, gradedAt: now)
            try submission.insert(db)
            let submissionID = submission.id!
            for task in graded.tasks {
                try TaskScoreRecord(submissionID: submissionID, taskID: task.taskID, points: task.points, maxPoints: task.maxPoints).insert(db)
            }
            for item in graded.cases {
                try CaseResultRecord(submissionID: submissionID, checkID: item.checkID, caseLabel: item.caseLabel, isHidden: item.isHidden,
                                     verdict: item.verdict, points: item.points, maxPoints: item.maxPoints, message: item.message,
                                     durationSeconds: item.durationSeconds).insert(db)
            }
            try GradeRecord(studentID: graded.studentID, assignmentID: graded.assignmentID, submissionID: submissionID,
                            points: graded.points, maxPoints: graded.maxPoints, updatedAt: now).upsert(db)
            return submissionID
        }
    }

    /// The most recent submission of `studentID` for `assignmentID`, with its run's spec digest and grader version.
    public func latestSubmission(assignmentID: String, studentID: String) throws -> StoredSubmission? {
        try writer.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT s.id, s.student_id, s.source_hash, r.spec_hash, r.grader_version, s.status, s.points, s.max_points, s.graded_at
                FROM submissions s JOIN grading_runs r ON r.id = s.run_id
                WHERE s.assignment_id = ? AND s.student_id = ?
                ORDER BY s.id DESC LIMIT 1
                """, arguments: [assignmentID, studentID])
            return row.map {
                StoredSubmission(submissionID: $0[0], studentID: $0[1], sourceHash: $0[2], specHash: $0[3], graderVersion: $0[4],
                                 status: $0[5], points: $0[6], maxPoints: $0[7], gradedAt: $0[8])
            }
        }
    }

    /// Every student's current grade for `assignmentID`, sorted by student id.
    public func currentGrades(assignmentID: String) throws -> [CurrentGrade] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT g.student_id, st.name, g.points, g.max_points, s.status, g.submission_id
                FROM grades g JOIN students st ON st.id = g.student_id JOIN submissions s ON s.id = g.submission_id
                WHERE g.assignment_id = ? ORDER BY g.student_id
                """, arguments: [assignmentID]).map {
                CurrentGrade(studentID: $0[0], name: $0[1], points: $0[2], maxPoints: $0[3], status: $0[4], submissionID: $0[5])
            }
        }
    }

    /// The grading runs of `assignmentID`, oldest first.
    public func runs(assignmentID: String) throws -> [RunSummary] {
        try writer.read { db in
            try GradingRunRecord.filter(GradingRunRecord.Columns.assignmentID == assignmentID).order(GradingRunRecord.Columns.id).fetchAll(db).map {
                RunSummary(id: $0.id!, graderVersion: $0.graderVersion, specHash: $0.specHash, mode: $0.mode, startedAt: $0.startedAt,
                           finishedAt: $0.finishedAt, submissionsGraded: $0.submissionsGraded)
            }
        }
    }

    /// The case results of submission `submissionID`, in grading order.
    public func caseResults(submissionID: Int64) throws -> [CaseResult] {
        try writer.read { db in
            try CaseResultRecord.filter(CaseResultRecord.Columns.submissionID == submissionID).order(Column("id")).fetchAll(db).map {
                CaseResult(checkID: $0.checkID, caseLabel: $0.caseLabel, isHidden: $0.isHidden, verdict: $0.verdict, points: $0.points,
                           maxPoints: $0.maxPoints, message: $0.message, durationSeconds: $0.durationSeconds)
            }
        }
    }

    /// The task scores of submission `submissionID`.
    public func taskScores(submissionID: Int64) throws -> [TaskScore] {
        try writer.read { db in
            try TaskScoreRecord.filter(TaskScoreRecord.Columns.submissionID == submissionID).fetchAll(db).map {
                TaskScore(taskID: $0.taskID, points: $0.points, maxPoints: $0.maxPoints)
            }
        }
    }

    /// The current grades as CSV: `student_id,name,email,<assignment>…`, one row per student sorted by id.
    ///
    /// Points have at most two decimals; a student without a grade for an assignment has an empty cell.
    /// Text cells are protected against formula injection (see `CSVWriter`).
    public func gradesCSV() throws -> String {
        try writer.read { db in
            let assignments = try String.fetchAll(db, sql: "SELECT id FROM assignments ORDER BY id")
            let students = try StudentRecord.order(StudentRecord.Columns.id).fetchAll(db)
            var grades: [String: [String: Double]] = [:]
            for grade in try GradeRecord.fetchAll(db) { grades[grade.studentID, default: [:]][grade.assignmentID] = grade.points }
            var writer = CSVWriter()
            writer.append(["student_id", "name", "email"].map(CSVWriter.Cell.text) + assignments.map(CSVWriter.Cell.text))
            for student in students {
                let own = grades[student.id] ?? [:]
                writer.append([.text(student.id), .text(student.name ?? ""), .text(student.email ?? "")]
                              + assignments.map { own[$0].map(CSVWriter.Cell.number) ?? .empty })
            }
            return writer.text
        }
    }
}
