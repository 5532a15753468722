import Foundation
import GRDB

/// What instructors enter by hand — report marks, overrides, extensions, quiz responses — and its audit log.
///
/// Grading never writes these tables, so a regrade keeps them. Every change writes one `audit_log`
/// row in the same transaction: when, who, what, the old and new values, and why.
extension Gradebook {
    /// Sets report marks of `assignmentID`, all in one transaction, logging each changed mark as `action`.
    ///
    /// A mark equal to the one recorded is left alone (and not logged). A mark's own reason, when it has one, replaces `reason`.
    /// - Returns: How many marks changed.
    @discardableResult
    public func setManualMarks(_ marks: [ManualMarkInput], assignmentID: String, reason: String, actor: String,
                               action: String = "mark-set", at now: Date = Date()) throws -> Int {
        try writer.write { db in
            var changed = 0
            for mark in marks {
                let old = try Double.fetchOne(db, sql: """
                    SELECT points FROM manual_marks WHERE student_id = ? AND assignment_id = ? AND item_id = ?
                    """, arguments: [mark.studentID, assignmentID, mark.itemID])
                if old == mark.points { continue }
                let reason = mark.reason ?? reason
                try db.execute(sql: """
                    INSERT INTO manual_marks (student_id, assignment_id, item_id, points, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (student_id, assignment_id, item_id) DO UPDATE SET points = excluded.points, reason = excluded.reason,
                        updated_at = excluded.updated_at
                    """, arguments: [mark.studentID, assignmentID, mark.itemID, mark.points, reason, now])
                try Self.audit(db, at: now, actor: actor, action: action, studentID: mark.studentID, target: assignmentID, item: mark.itemID,
                               old: old.map(Self.text), new: Self.text(mark.points), reason: reason)
                changed += 1
            }
            return changed
        }
    }

    /// Every report mark of `assignmentID`, by student then item.
    public func manualMarks(assignmentID: String) throws -> [ManualMark] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT student_id, item_id, points, reason, updated_at FROM manual_marks WHERE assignment_id = ? ORDER BY student_id, item_id
                """, arguments: [assignmentID]).map {
                ManualMark(studentID: $0[0], assignmentID: assignmentID, itemID: $0[1], points: $0[2], reason: $0[3], updatedAt: $0[4])
            }
        }
    }

    /// Sets (or, with a nil grade, removes) the override of `target` — a practical id, "quiz" or "final" — for `studentID`.
    ///
    /// - Returns: Whether anything changed.
    @discardableResult
    public func setOverride(studentID: String, target: String, grade: Double?, reason: String, actor: String, at now: Date = Date()) throws -> Bool {
        try writer.write { db in
            let old = try Double.fetchOne(db, sql: "SELECT grade FROM overrides WHERE student_id = ? AND target = ?", arguments: [studentID, target])
            guard old != grade else { return false }
            if let grade {
                try db.execute(sql: """
                    INSERT INTO overrides (student_id, target, grade, reason, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (student_id, target) DO UPDATE SET grade = excluded.grade, reason = excluded.reason, updated_at = excluded.updated_at
                    """, arguments: [studentID, target, grade, reason, now])
            } else {
                try db.execute(sql: "DELETE FROM overrides WHERE student_id = ? AND target = ?", arguments: [studentID, target])
            }
            try Self.audit(db, at: now, actor: actor, action: grade == nil ? "override-clear" : "override-set", studentID: studentID,
                           target: target, item: nil, old: old.map(Self.text), new: grade.map(Self.text), reason: reason)
            return true
        }
    }

    /// Every override, by student then target.
    public func overrides() throws -> [GradeOverride] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT student_id, target, grade, reason, updated_at FROM overrides ORDER BY student_id, target").map {
                GradeOverride(studentID: $0[0], target: $0[1], grade: $0[2], reason: $0[3], updatedAt: $0[4])
            }
        }
    }

    /// Gives `studentID` `days` more days for `assignmentID` (a nil `days` removes the extension).
    ///
    /// - Returns: Whether anything changed.
    @discardableResult
    public func setExtension(studentID: String, assignmentID: String, days: Int?, reason: String, actor: String, at now: Date = Date()) throws -> Bool {
        try writer.write { db in
            let old = try Int.fetchOne(db, sql: "SELECT days FROM extensions WHERE student_id = ? AND assignment_id = ?",
                                       arguments: [studentID, assignmentID])
            guard old != days else { return false }
            if let days {
                try db.execute(sql: """
                    INSERT INTO extensions (student_id, assignment_id, days, reason, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (student_id, assignment_id) DO UPDATE SET days = excluded.days, reason = excluded.reason, updated_at = excluded.updated_at
                    """, arguments: [studentID, assignmentID, days, reason, now])
            } else {
                try db.execute(sql: "DELETE FROM extensions WHERE student_id = ? AND assignment_id = ?", arguments: [studentID, assignmentID])
            }
            try Self.audit(db, at: now, actor: actor, action: days == nil ? "extension-clear" : "extension-set", studentID: studentID,
                           target: assignmentID, item: nil, old: old.map { "\($0) days" }, new: days.map { "\($0) days" }, reason: reason)
            return true
        }
    }

    /// Every extension of `assignmentID`, by student.
    public func extensions(assignmentID: String) throws -> [Extension] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT student_id, days, reason, updated_at FROM extensions WHERE assignment_id = ? ORDER BY student_id
                """, arguments: [assignmentID]).map {
                Extension(studentID: $0[0], assignmentID: assignmentID, days: $0[1], reason: $0[2], updatedAt: $0[3])
            }
        }
    }

    /// Replaces the quiz responses of every student in `sheets`, in one transaction; other students' responses stay.
    ///
    /// Each student whose answers change gets one audit row, with the old and new answers.
    /// - Returns: How many students' responses changed.
    @discardableResult
    public func replaceQuizResponses(_ sheets: [QuizResponseInput], source: String, actor: String, at now: Date = Date()) throws -> Int {
        try writer.write { db in
            var changed = 0
            for sheet in sheets {
                let old = try Row.fetchAll(db, sql: "SELECT question_id, answer FROM quiz_responses WHERE student_id = ? ORDER BY question_id",
                                           arguments: [sheet.studentID])
                let oldText = old.isEmpty ? nil : old.map { "\($0[0] as String)=\($0[1] as String)" }.joined(separator: " ")
                let newText = sheet.answers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                if oldText == newText { continue }
                try db.execute(sql: "DELETE FROM quiz_responses WHERE student_id = ?", arguments: [sheet.studentID])
                for (question, answer) in sheet.answers {
                    try db.execute(sql: "INSERT INTO quiz_responses (student_id, question_id, answer, imported_at) VALUES (?, ?, ?, ?)",
                                   arguments: [sheet.studentID, question, answer, now])
                }
                try Self.audit(db, at: now, actor: actor, action: "quiz-import", studentID: sheet.studentID, target: "quiz", item: nil,
                               old: oldText, new: newText, reason: "imported from \(source)")
                changed += 1
            }
            return changed
        }
    }

    /// Every student's quiz answers: question id → the answer as written (`B`, `A;C`, or empty for a blank).
    public func quizResponses() throws -> [String: [String: String]] {
        try writer.read { db in
            var responses: [String: [String: String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT student_id, question_id, answer FROM quiz_responses") {
                responses[row[0], default: [:]][row[1]] = row[2]
            }
            return responses
        }
    }

    /// The audit log, oldest first; only `studentID`'s entries when given.
    public func auditLog(studentID: String? = nil) throws -> [AuditEntry] {
        try writer.read { db in
            let filter = studentID == nil ? "" : "WHERE student_id = ?"
            return try Row.fetchAll(db, sql: """
                SELECT id, at, actor, action, student_id, target, item, old_value, new_value, reason FROM audit_log \(filter) ORDER BY id
                """, arguments: StatementArguments(studentID.map { [$0] } ?? [])).map {
                AuditEntry(id: $0[0], at: $0[1], actor: $0[2], action: $0[3], studentID: $0[4], target: $0[5], item: $0[6],
                           oldValue: $0[7], newValue: $0[8], reason: $0[9])
            }
        }
    }

    /// The checks of submission `submissionID`, in the order recorded.
    ///
    /// Submissions recorded before check scores were kept get them rebuilt from their case results.
    public func checkScores(submissionID: Int64) throws -> [CheckScore] {
        try writer.read { db in
            let stored = try Row.fetchAll(db, sql: """
                SELECT task_id, check_id, points, max_points, cases, passed, verdicts FROM check_scores WHERE submission_id = ? ORDER BY rowid
                """, arguments: [submissionID]).map {
                CheckScore(taskID: $0[0], checkID: $0[1], points: $0[2], maxPoints: $0[3], cases: $0[4], passed: $0[5], verdicts: $0[6])
            }
            guard stored.isEmpty else { return stored }
            var order: [String] = []
            var byCheck: [String: [CaseResultRecord]] = [:]
            for result in try CaseResultRecord.filter(CaseResultRecord.Columns.submissionID == submissionID).order(CaseResultRecord.Columns.id).fetchAll(db) {
                if byCheck[result.checkID] == nil { order.append(result.checkID) }
                byCheck[result.checkID, default: []].append(result)
            }
            return order.map { id in
                let cases = byCheck[id] ?? []
                return CheckScore(taskID: "", checkID: id, points: cases.reduce(0) { $0 + $1.points }, maxPoints: cases.reduce(0) { $0 + $1.maxPoints },
                                  cases: cases.count, passed: cases.filter { $0.verdict == "accepted" }.count,
                                  verdicts: CheckScore.tally(cases.map(\.verdict)))
            }
        }
    }

    /// Whether `assignmentID` has ever been graded (a run was started).
    public func hasRuns(assignmentID: String) throws -> Bool {
        try writer.read { db in
            try GradingRunRecord.filter(GradingRunRecord.Columns.assignmentID == assignmentID).fetchCount(db) > 0
        }
    }

    private static func audit(_ db: Database, at: Date, actor: String, action: String, studentID: String?, target: String?, item: String?,
                              old: String?, new: String?, reason: String) throws {
        try db.execute(sql: """
            INSERT INTO audit_log (at, actor, action, student_id, target, item, old_value, new_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [at, actor, action, studentID, target, item, old, new, reason])
    }

    /// A number as the audit log writes it: `3.5`, `4`.
    private static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

extension CheckScore {
    /// The verdicts other than "accepted", counted in order of first appearance: "wrong-answer ×2, time-limit ×1".
    public static func tally(_ verdicts: [String]) -> String {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for verdict in verdicts where verdict != "accepted" {
            if counts[verdict] == nil { order.append(verdict) }
            counts[verdict, default: 0] += 1
        }
        return order.map { "\($0) ×\(counts[$0]!)" }.joined(separator: ", ")
    }
}
