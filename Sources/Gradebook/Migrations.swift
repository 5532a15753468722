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
        // Course grades: the checks of each submission, where its time came from, report marks, overrides,
        // extensions and quiz responses (all kept across regrades), and an audit log of every change by hand.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE submissions ADD COLUMN submitted_at_source TEXT;
                CREATE TABLE check_scores (
                    submission_id INTEGER NOT NULL REFERENCES submissions(id),
                    task_id TEXT NOT NULL,
                    check_id TEXT NOT NULL,
                    points REAL NOT NULL,
                    max_points REAL NOT NULL,
                    cases INTEGER NOT NULL,
                    passed INTEGER NOT NULL,
                    verdicts TEXT NOT NULL,
                    PRIMARY KEY (submission_id, check_id)
                );
                CREATE TABLE manual_marks (
                    student_id TEXT NOT NULL,
                    assignment_id TEXT NOT NULL,
                    item_id TEXT NOT NULL,
                    points REAL NOT NULL,
                    reason TEXT NOT NULL,
                    updated_at DATETIME NOT NULL,
                    PRIMARY KEY (student_id, assignment_id, item_id)
                );
                CREATE TABLE overrides (
                    student_id TEXT NOT NULL,
                    target TEXT NOT NULL,
                    grade REAL NOT NULL,
                    reason TEXT NOT NULL,
                    updated_at DATETIME NOT NULL,
                    PRIMARY KEY (student_id, target)
                );
                CREATE TABLE extensions (
                    student_id TEXT NOT NULL,
                    assignment_id TEXT NOT NULL,
                    days INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    updated_at DATETIME NOT NULL,
                    PRIMARY KEY (student_id, assignment_id)
                );
                CREATE TABLE quiz_responses (
                    student_id TEXT NOT NULL,
                    question_id TEXT NOT NULL,
                    answer TEXT NOT NULL,
                    imported_at DATETIME NOT NULL,
                    PRIMARY KEY (student_id, question_id)
                );
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at DATETIME NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    student_id TEXT,
                    target TEXT,
                    item TEXT,
                    old_value TEXT,
                    new_value TEXT,
                    reason TEXT NOT NULL
                );
                CREATE INDEX audit_log_by_student ON audit_log(student_id, id);
                """)
        }
        // Submission times from a source the student cannot write (the course site's record of when the
        // work was handed in), which lateness uses instead of submission.yaml or file times.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE trusted_times (
                    student_id TEXT NOT NULL,
                    assignment_id TEXT NOT NULL,
                    submitted_at DATETIME NOT NULL,
                    source TEXT NOT NULL,
                    imported_at DATETIME NOT NULL,
                    PRIMARY KEY (student_id, assignment_id)
                );
                """)
        }
        // What feedback is written from without regrading: each submission's whole report (checks, cases,
        // messages, inputs, figures) as JSON, and a report mark's comment from its marker. And the grader's
        // own faults on a submission, which are never a grade, kept for the instructor's dashboard.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                ALTER TABLE submissions ADD COLUMN report TEXT;
                ALTER TABLE manual_marks ADD COLUMN comment TEXT;
                CREATE TABLE grader_faults (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES grading_runs(id),
                    student_id TEXT NOT NULL,
                    assignment_id TEXT NOT NULL REFERENCES assignments(id),
                    message TEXT NOT NULL,
                    at DATETIME NOT NULL
                );
                CREATE INDEX grader_faults_by_student ON grader_faults(assignment_id, student_id, id);
                """)
        }
        return migrator
    }
}
