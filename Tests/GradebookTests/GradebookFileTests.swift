import Foundation
import GRDB
import Synchronization
import Testing
@testable import Gradebook

/// The gradebook on disk: migrations, reopening, bad paths and two graders sharing one file.
@Suite struct GradebookFileTests {
    static let tables = ["assignments", "audit_log", "case_results", "check_scores", "extensions", "grader_faults", "grades", "grading_runs", "manual_marks",
                         "overrides", "quiz_responses", "students", "submissions", "task_scores", "trusted_times"]

    /// What the migrations and the configuration left in `gradebook`'s database.
    static func schema(of gradebook: Gradebook) throws
        -> (migrations: [String], tables: [String], foreignKeys: Bool, journalMode: String?, busyTimeout: Int?) {
        try gradebook.writer.read { db in
            (try Migrations.migrator.appliedMigrations(db),
             try String.fetchAll(db, sql: """
                 SELECT name FROM sqlite_master
                 WHERE type = 'table' AND name NOT LIKE 'grdb%' AND name NOT LIKE 'sqlite%' ORDER BY name
                 """),
             try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") == true,
             try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Int.fetchOne(db, sql: "PRAGMA busy_timeout"))
        }
    }

    @Test func migrationsCreateTheSchemaInMemory() throws {
        let schema = try Self.schema(of: Gradebook.inMemory())
        #expect(schema.migrations == ["v1", "v2", "v3", "v4"] && schema.tables == Self.tables && schema.foreignKeys)
    }

    @Test func trustedTimesAreReplacedPerStudentAndEveryChangeIsAudited() throws {
        let gradebook = try Gradebook.inMemory()
        let first = Date(timeIntervalSince1970: 1_792_000_000), later = first.addingTimeInterval(3600)
        let times = [TrustedTime(studentID: "alice", assignmentID: "practical1", submittedAt: first, source: "moodle-worksheet", importedAt: first),
                     TrustedTime(studentID: "bob", assignmentID: "practical1", submittedAt: first, source: "moodle-worksheet", importedAt: first)]
        #expect(try gradebook.setTrustedTimes(times, actor: "t", at: first) == 2)
        #expect(try gradebook.setTrustedTimes(times, actor: "t", at: later) == 0, "the same times again change nothing")
        var moved = times[0]
        moved.submittedAt = later
        #expect(try gradebook.setTrustedTimes([moved], actor: "t", at: later) == 1)
        #expect(try gradebook.trustedTimes(assignmentID: "practical1").map(\.submittedAt) == [later, first])
        #expect(try gradebook.trustedTimes(assignmentID: "practical2").isEmpty)
        let audit = try gradebook.auditLog(studentID: "alice")
        #expect(audit.map(\.action) == ["trusted-time-set", "trusted-time-set"] && audit.last?.oldValue != nil)
    }

    @Test func migrationsCreateTheSchemaOnAFileAndRunOnce() throws {
        let path = Fixtures.temporaryPath()
        defer { Fixtures.removeFolder(of: path) }
        let gradebook = try Gradebook(path: path)
        let schema = try Self.schema(of: gradebook)
        #expect(schema.migrations == ["v1", "v2", "v3", "v4"] && schema.tables == Self.tables && schema.foreignKeys)
        #expect(schema.journalMode == "wal" && schema.busyTimeout == 10_000)
        let run = try gradebook.beginRun(Fixtures.run())
        let id = try gradebook.record(Fixtures.submission("alice", points: 12), inRun: run)

        let reopened = try Gradebook(path: path)
        #expect(try reopened.writer.read { try Migrations.migrator.appliedIdentifiers($0) } == ["v1", "v2", "v3", "v4"])
        #expect(try reopened.currentGrades(assignmentID: "practical1").map(\.submissionID) == [id])
    }

    @Test func aGradebookFromANewerGradeIsRefused() throws {
        let path = Fixtures.temporaryPath()
        defer { Fixtures.removeFolder(of: path) }
        try Gradebook(path: path).writer.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-from-a-newer-grade')")
        }
        #expect {
            try Gradebook(path: path)
        } throws: { error in
            "\(error)" == """
                cannot use the gradebook at \(path): it was written by a newer version of grade \
                (unknown schema migrations: v2-from-a-newer-grade); update grade to use it
                """
        }
    }

    @Test func aFileInTheWayIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradebook-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        for path in [file.appendingPathComponent("gradebook.sqlite").path, file.appendingPathComponent("a/b/gradebook.sqlite").path] {
            #expect {
                try Gradebook(path: path)
            } throws: { error in
                "\(error)" == "cannot use the gradebook at \(path): \(file.path) is a file, not a folder"
            }
        }
    }

    @Test func aFolderThatCannotBeCreatedIsNamedWithTheCause() throws {
        // Tests run as root, which ignores permissions: /proc refuses new folders whoever asks.
        let path = "/proc/grade-test/gradebook.sqlite"
        #expect {
            try Gradebook(path: path)
        } throws: { error in
            "\(error)" == "cannot use the gradebook at \(path): cannot create the folder /proc/grade-test: there is no such file or folder; check the path"
        }
    }

    @Test func aFileThatCannotBeCreatedIsNamedWithTheCause() throws {
        let path = "/proc/gradebook.sqlite"
        #expect {
            try Gradebook(path: path)
        } throws: { error in
            "\(error)" == "cannot use the gradebook at \(path): unable to open database file"
        }
    }

    @Test func aFileThatIsNotADatabaseIsNamedWithTheCause() throws {
        let path = Fixtures.temporaryPath()
        defer { Fixtures.removeFolder(of: path) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(String(repeating: "not a database ", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try Gradebook(path: path)
        } throws: { error in
            "\(error)" == "cannot use the gradebook at \(path): file is not a database"
        }
    }

    @Test func twoGradebooksOnOneFileWriteConcurrently() throws {
        let path = Fixtures.temporaryPath()
        defer { Fixtures.removeFolder(of: path) }
        let books = [try Gradebook(path: path), try Gradebook(path: path)]
        let runs = try books.map { try $0.beginRun(Fixtures.run()) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            for i in 0..<25 {
                do {
                    try books[thread].record(Fixtures.submission("student-\(thread)-\(i)", points: Double(i % 17)), inRun: runs[thread])
                } catch {
                    failures.withLock { $0.append("\(thread) \(i): \(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        for (book, run) in zip(books, runs) { try book.finishRun(run, finishedAt: Date()) }
        let reopened = try Gradebook(path: path)
        #expect(try reopened.currentGrades(assignmentID: "practical1").count == 50)
        #expect(try reopened.runs(assignmentID: "practical1").map(\.submissionsGraded) == [25, 25])
    }

    @Test(arguments: 0..<5) func twoGradersOpeningANewGradebookAtOnceBothSucceed(attempt: Int) throws {
        let path = Fixtures.temporaryPath()
        defer { Fixtures.removeFolder(of: path) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            do {
                let book = try Gradebook(path: path)
                try book.record(Fixtures.submission("student-\(thread)", points: 1), inRun: try book.beginRun(Fixtures.run()))
            } catch {
                failures.withLock { $0.append("\(thread): \(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(try Gradebook(path: path).currentGrades(assignmentID: "practical1").map(\.studentID) == ["student-0", "student-1"])
    }
}
