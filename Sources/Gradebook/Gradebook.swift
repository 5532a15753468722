import Foundation
import GRDB

/// The course gradebook: one SQLite database that records every grading run, submission and case.
///
/// It owns the database writer and migrates the schema when opened. Files are opened in WAL mode
/// with a busy timeout, so two `grade` processes can share one gradebook. Every submission is
/// written in a single transaction, so an interrupted run loses at most the submission in flight.
/// Runs, submissions, task scores and case results are append-only history; `grades` holds each
/// student's current automatic grade per assignment. What instructors enter by hand (report marks,
/// overrides, extensions, quiz responses) lives in tables of its own that grading never writes, and
/// every change to it is kept in `audit_log` (see `Gradebook+Course.swift`).
public final class Gradebook: Sendable {
    /// The database, for the queries in `Gradebook+Queries.swift` and for tests.
    let writer: any DatabaseWriter
    /// The file path, or "(in memory)", for error messages.
    let path: String

    /// Opens (creating if needed) the gradebook at `path` and migrates it.
    ///
    /// - Throws: `GradebookError` naming the path when the folder cannot be created, the file
    ///   cannot be opened, migrated or written (read-only or full disk), or a newer `grade` wrote it.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        try Self.createFolder(url.deletingLastPathComponent(), for: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        // Two graders opening a new gradebook at once race to switch it to WAL, which SQLite reports as
        // "locked" without waiting: retry for as long as the busy timeout would have waited.
        var attempt = 0
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try Self.migrate(pool, path: path)
                // Prove the file is writable now (not read-only, disk not full), before any grading work depends on it.
                try pool.write { db in try db.execute(sql: "PRAGMA user_version = 1") }
                writer = pool
                self.path = path
                return
            } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) && attempt < 200 {
                attempt += 1
                usleep(50_000)
            } catch let error as GradebookError {
                throw error
            } catch {
                throw GradebookError.cannotOpen(path, error, note: Self.freeSpaceNote(for: url))
            }
        }
    }

    /// A gradebook in memory, for tests.
    public static func inMemory() throws -> Gradebook {
        try Gradebook(writer: DatabaseQueue(), path: "(in memory)")
    }

    private init(writer: any DatabaseWriter, path: String) throws {
        try Self.migrate(writer, path: path)
        self.writer = writer
        self.path = path
    }

    /// Applies the migrations this version knows, refusing a database that a newer version migrated further.
    ///
    /// GRDB reads which migrations are applied before it opens each migration's transaction, so a second
    /// grader opening the same new gradebook can find the tables it is about to create already created
    /// ("table ... already exists"). When a migration fails and another connection applied migrations in
    /// the meantime, this starts again from what that connection left.
    private static func migrate(_ writer: any DatabaseWriter, path: String) throws {
        let migrator = Migrations.migrator
        while true {
            let applied = try writer.read { db in try migrator.appliedIdentifiers(db) }
            let unknown = applied.subtracting(migrator.migrations)
            guard unknown.isEmpty else { throw GradebookError.writtenByNewerVersion(path, unknownMigrations: unknown.sorted()) }
            do {
                try migrator.migrate(writer)
                return
            } catch {
                guard try writer.read({ db in try migrator.appliedIdentifiers(db) }) != applied else { throw error }
            }
        }
    }

    /// Creates `folder` and its missing parents, naming the one that is a file or could not be created.
    private static func createFolder(_ folder: URL, for path: String) throws {
        var missing: [URL] = []
        var existing = folder.standardizedFileURL
        var isFolder: ObjCBool = false
        while !FileManager.default.fileExists(atPath: existing.path, isDirectory: &isFolder) {
            missing.append(existing)
            existing = existing.deletingLastPathComponent()
        }
        guard isFolder.boolValue else { throw GradebookError.fileInTheWay(of: path, at: existing.path) }
        for folder in missing.reversed() {
            guard mkdir(folder.path, 0o755) != 0 else { continue }
            let code = errno
            // Another grader may have created it in the meantime.
            guard code != EEXIST else { continue }
            throw GradebookError.cannotCreateFolder(for: path, folder: folder.path, cause: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO))
        }
    }

    /// " (the file system holding it is full: N bytes free)" when less than a megabyte is free, else nothing.
    ///
    /// Pseudo file systems such as /proc report no space at all; they are not "full".
    private static func freeSpaceNote(for url: URL) -> String {
        let folder = url.deletingLastPathComponent().path
        guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: folder),
              let size = attributes[.systemSize] as? NSNumber, size.int64Value > 0,
              let free = attributes[.systemFreeSize] as? NSNumber, free.int64Value < 1 << 20 else { return "" }
        return " (the file system holding it is full: \(free.int64Value) bytes free)"
    }

    /// Records the start of a grading run (creating or retitling its assignment) and returns the run's id.
    public func beginRun(_ info: GradingRunInfo) throws -> Int64 {
        try writer.write { db in
            try AssignmentRecord(id: info.assignmentID, title: info.assignmentTitle).upsert(db)
            var run = GradingRunRecord(id: nil, assignmentID: info.assignmentID, graderVersion: info.graderVersion, specHash: info.specHash,
                                       mode: info.mode, startedAt: info.startedAt, finishedAt: nil, submissionsGraded: 0)
            try run.insert(db)
            return run.id!
        }
    }

    /// Marks run `id` finished at `finishedAt` and stores how many submissions it recorded.
    ///
    /// - Throws: `GradebookError` when there is no run `id`.
    public func finishRun(_ id: Int64, finishedAt: Date) throws {
        try writer.write { db in
            let count = try SubmissionRecord.filter(SubmissionRecord.Columns.runID == id).fetchCount(db)
            let updated = try GradingRunRecord.filter(key: id).updateAll(db, [
                GradingRunRecord.Columns.finishedAt.set(to: finishedAt),
                GradingRunRecord.Columns.submissionsGraded.set(to: count),
            ])
            guard updated == 1 else { throw GradebookError.unknownRun(id, in: path) }
        }
    }

    /// Records one graded submission of run `runID` in a single transaction and makes it the student's current grade.
    ///
    /// The student row is created or updated; a nil name or email keeps the one already known. The
    /// submission, its task scores and its case results are added to the history. Either all of this
    /// is written or, when anything fails, none of it.
    ///
    /// - Returns: The new submission's id.
    /// - Throws: `GradebookError` when there is no run `runID` or it grades another assignment;
    ///   the database's error when a write fails.
    @discardableResult
    public func record(_ graded: GradedSubmission, inRun runID: Int64) throws -> Int64 {
        try writer.write { db in
            guard let run = try GradingRunRecord.fetchOne(db, key: runID) else { throw GradebookError.unknownRun(runID, in: path) }
            guard run.assignmentID == graded.assignmentID else {
                throw GradebookError.runOfAnotherAssignment(runID, runAssignment: run.assignmentID,
                                                            submissionAssignment: graded.assignmentID, in: path)
            }
            if var student = try StudentRecord.fetchOne(db, key: graded.studentID) {
                student.name = graded.studentName ?? student.name
                student.email = graded.studentEmail ?? student.email
                try student.update(db)
            } else {
                try StudentRecord(id: graded.studentID, name: graded.studentName, email: graded.studentEmail).insert(db)
            }
            let now = Date()
            var submission = SubmissionRecord(id: nil, runID: runID, studentID: graded.studentID, assignmentID: graded.assignmentID,
                                              sourceHash: graded.sourceHash, submittedAt: graded.submittedAt, status: graded.status,
                                              points: graded.points, maxPoints: graded.maxPoints, feedback: graded.feedback, gradedAt: now,
                                              submittedAtSource: graded.submittedAtSource, report: graded.report)
            try submission.insert(db)
            let submissionID = submission.id!
            for task in graded.tasks {
                try TaskScoreRecord(submissionID: submissionID, taskID: task.taskID, points: task.points, maxPoints: task.maxPoints).insert(db)
            }
            for check in graded.checks {
                try CheckScoreRecord(submissionID: submissionID, taskID: check.taskID, checkID: check.checkID, points: check.points,
                                     maxPoints: check.maxPoints, cases: check.cases, passed: check.passed, verdicts: check.verdicts).insert(db)
            }
            for item in graded.cases {
                try CaseResultRecord(id: nil, submissionID: submissionID, checkID: item.checkID, caseLabel: item.caseLabel,
                                     isHidden: item.isHidden, verdict: item.verdict, points: item.points, maxPoints: item.maxPoints,
                                     message: item.message, durationSeconds: item.durationSeconds).insert(db)
            }
            try GradeRecord(studentID: graded.studentID, assignmentID: graded.assignmentID, submissionID: submissionID,
                            points: graded.points, maxPoints: graded.maxPoints, updatedAt: now).upsert(db)
            return submissionID
        }
    }
}
