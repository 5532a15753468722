import GRDB

/// The gradebook's schema, one migration per shipped version. A shipped migration never changes.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE students (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT,
                    email TEXT
                );
                CREATE TABLE assignments (
                    id TEXT PRIMARY KEY NOT NULL,
                    title TEXT NOT NULL
                );
                CREATE TABLE grading_runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    grader_version TEXT NOT NULL,
                    spec_hash TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    started_at DATETIME NOT NULL,
                    finished_at DATETIME,
                    submissions_graded INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE submissions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES grading_runs(id),
                    student_id TEXT NOT NULL REFERENCES students(id),
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    source_hash TEXT NOT NULL,
                    submitted_at DATETIME,
                    status TEXT NOT NULL,
                    points REAL NOT NULL,
                    max_points REAL NOT NULL,
                    feedback TEXT NOT NULL,
                    graded_at DATETIME NOT NULL
                );
                CREATE INDEX submissions_by_student ON submissions(assignment_id, student_id, id);
                CREATE INDEX submissions_by_run ON submissions(run_id);
                CREATE TABLE task_scores (
                    submission_id INTEGER NOT NULL REFERENCES submissions(id),
                    task_id TEXT NOT NULL,
                    points REAL NOT NULL,
                    max_points REAL NOT NULL,
                    PRIMARY KEY (submission_id, task_id)
                );
                CREATE TABLE case_results (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    submission_id INTEGER NOT NULL REFERENCES submissions(id),
                    check_id TEXT NOT NULL,
                    case_label TEXT NOT NULL,
                    is_hidden BOOLEAN NOT NULL,
                    verdict TEXT NOT NULL,
                    points REAL NOT NULL,
                    max_points REAL NOT NULL,
                    message TEXT NOT NULL,
                    duration_seconds REAL NOT NULL
                );
                CREATE INDEX case_results_by_submission ON case_results(submission_id);
                CREATE TABLE grades (
                    student_id TEXT NOT NULL REFERENCES students(id),
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    submission_id INTEGER NOT NULL REFERENCES submissions(id),
                    points REAL NOT NULL,
                    max_points REAL NOT NULL,
                    updated_at DATETIME NOT NULL,
                    PRIMARY KEY (student_id, assignment_id)
                );
                """)
        }
        return migrator
    }
}
