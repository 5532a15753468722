import Foundation
import GRDB
import Outcomes

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
                let reason = mark.reason ?? reason
                let key: [String: (any DatabaseValueConvertible)?] = [ManualMarkRecord.CodingKeys.studentID.rawValue: mark.studentID,
                                                                    ManualMarkRecord.CodingKeys.assignmentID.rawValue: assignmentID,
                                                                    ManualMarkRecord.CodingKeys.itemID.rawValue: mark.itemID]
                // A comment changes only when one is given: a mark set by hand keeps the marker's comment.
                let changes = try Self.change(db, key: key,
                                              to: { stored in ManualMarkRecord(studentID: mark.studentID, assignmentID: assignmentID, itemID: mark.itemID,
                                                                               points: mark.points, reason: reason, updatedAt: now,
                                                                               comment: mark.comment ?? stored?.comment) },
                                              same: { $0?.points == $1?.points && $0?.comment == $1?.comment },
                                              audit: { stored, _ in HandChange(action: action, studentID: mark.studentID, target: assignmentID,
                                                                               item: mark.itemID, old: stored.map { Self.text($0.points) },
                                                                               new: Self.text(mark.points), reason: reason) },
                                              actor: actor, at: now)
                if changes { changed += 1 }
            }
            return changed
        }
    }

    /// Every report mark of `assignmentID`, by student then item.
    public func manualMarks(assignmentID: String) throws -> [ManualMark] {
        try writer.read { db in
            try ManualMarkRecord.filter(ManualMarkRecord.Columns.assignmentID == assignmentID)
                .order(ManualMarkRecord.Columns.studentID, ManualMarkRecord.Columns.itemID)
                .fetchAll(db)
                .map { ManualMark(studentID: $0.studentID, assignmentID: $0.assignmentID, itemID: $0.itemID, points: $0.points, reason: $0.reason,
                                  updatedAt: $0.updatedAt, comment: $0.comment) }
        }
    }

    /// Sets (or, with a nil grade, removes) the override of `target` — a practical id, "quiz" or "final" — for `studentID`.
    ///
    /// - Returns: Whether anything changed.
    @discardableResult
    public func setOverride(studentID: String, target: String, grade: Double?, reason: String, actor: String, at now: Date = Date()) throws -> Bool {
        try writer.write { db in
            try Self.change(db, key: [OverrideRecord.CodingKeys.studentID.rawValue: studentID, OverrideRecord.CodingKeys.target.rawValue: target],
                            to: { _ in grade.map { OverrideRecord(studentID: studentID, target: target, grade: $0, reason: reason, updatedAt: now) } },
                            same: { $0?.grade == $1?.grade },
                            audit: { old, _ in HandChange(action: grade == nil ? "override-clear" : "override-set", studentID: studentID, target: target,
                                                          item: nil, old: old.map { Self.text($0.grade) }, new: grade.map(Self.text), reason: reason) },
                            actor: actor, at: now)
        }
    }

    /// Every override, by student then target.
    public func overrides() throws -> [GradeOverride] {
        try writer.read { db in
            try OverrideRecord.order(OverrideRecord.Columns.studentID, OverrideRecord.Columns.target).fetchAll(db).map {
                GradeOverride(studentID: $0.studentID, target: $0.target, grade: $0.grade, reason: $0.reason, updatedAt: $0.updatedAt)
            }
        }
    }

    /// Gives `studentID` `days` more days for `assignmentID` (a nil `days` removes the extension).
    ///
    /// - Returns: Whether anything changed.
    @discardableResult
    public func setExtension(studentID: String, assignmentID: String, days: Int?, reason: String, actor: String, at now: Date = Date()) throws -> Bool {
        try writer.write { db in
            try Self.change(db, key: [ExtensionRecord.CodingKeys.studentID.rawValue: studentID, ExtensionRecord.CodingKeys.assignmentID.rawValue: assignmentID],
                            to: { _ in days.map { ExtensionRecord(studentID: studentID, assignmentID: assignmentID, days: $0, reason: reason, updatedAt: now) } },
                            same: { $0?.days == $1?.days },
                            audit: { old, _ in HandChange(action: days == nil ? "extension-clear" : "extension-set", studentID: studentID, target: assignmentID,
                                                          item: nil, old: old.map { "\($0.days) days" }, new: days.map { "\($0) days" }, reason: reason) },
                            actor: actor, at: now)
        }
    }

    /// Every extension of `assignmentID`, by student.
    public func extensions(assignmentID: String) throws -> [Extension] {
        try writer.read { db in
            try ExtensionRecord.filter(ExtensionRecord.Columns.assignmentID == assignmentID).order(ExtensionRecord.Columns.studentID).fetchAll(db).map {
                Extension(studentID: $0.studentID, assignmentID: $0.assignmentID, days: $0.days, reason: $0.reason, updatedAt: $0.updatedAt)
            }
        }
    }

    /// Records the trusted submission times of `times` (one assignment), replacing earlier ones of the same
    /// students, in one transaction; each change gets an audit row with the old and new time.
    ///
    /// - Returns: How many students' times changed.
    @discardableResult
    public func setTrustedTimes(_ times: [TrustedTime], actor: String, at now: Date = Date()) throws -> Int {
        let format = ISO8601DateFormatter()
        return try writer.write { db in
            var changed = 0
            for time in times {
                let key: [String: (any DatabaseValueConvertible)?] = [TrustedTimeRecord.CodingKeys.studentID.rawValue: time.studentID,
                                                                    TrustedTimeRecord.CodingKeys.assignmentID.rawValue: time.assignmentID]
                let changes = try Self.change(db, key: key,
                                              to: { _ in TrustedTimeRecord(studentID: time.studentID, assignmentID: time.assignmentID,
                                                                           submittedAt: time.submittedAt, source: time.source, importedAt: now) },
                                              same: { $0?.submittedAt == $1?.submittedAt && $0?.source == $1?.source },
                                              audit: { old, _ in HandChange(action: "trusted-time-set", studentID: time.studentID, target: time.assignmentID,
                                                                            item: time.source, old: old.map { format.string(from: $0.submittedAt) },
                                                                            new: format.string(from: time.submittedAt), reason: "imported from \(time.source)") },
                                              actor: actor, at: now)
                if changes { changed += 1 }
            }
            return changed
        }
    }

    /// Every trusted submission time of `assignmentID`, by student.
    public func trustedTimes(assignmentID: String) throws -> [TrustedTime] {
        try writer.read { db in
            try TrustedTimeRecord.filter(TrustedTimeRecord.Columns.assignmentID == assignmentID).order(TrustedTimeRecord.Columns.studentID).fetchAll(db).map {
                TrustedTime(studentID: $0.studentID, assignmentID: $0.assignmentID, submittedAt: $0.submittedAt, source: $0.source, importedAt: $0.importedAt)
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
                let old = try QuizResponseRecord.filter(QuizResponseRecord.Columns.studentID == sheet.studentID)
                    .order(QuizResponseRecord.Columns.questionID).fetchAll(db)
                let oldText = old.isEmpty ? nil : old.map { "\($0.questionID)=\($0.answer)" }.joined(separator: " ")
                let newText = sheet.answers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                if oldText == newText { continue }
                try QuizResponseRecord.filter(QuizResponseRecord.Columns.studentID == sheet.studentID).deleteAll(db)
                for (question, answer) in sheet.answers {
                    try QuizResponseRecord(studentID: sheet.studentID, questionID: question, answer: answer, importedAt: now).insert(db)
                }
                try Self.log(HandChange(action: "quiz-import", studentID: sheet.studentID, target: "quiz", item: nil,
                                        old: oldText, new: newText, reason: "imported from \(source)"), actor: actor, at: now, in: db)
                changed += 1
            }
            return changed
        }
    }

    /// Every student's quiz answers: question id → the answer as written (`B`, `A;C`, or empty for a blank).
    public func quizResponses() throws -> [String: [String: String]] {
        try writer.read { db in
            var responses: [String: [String: String]] = [:]
            for response in try QuizResponseRecord.fetchAll(db) {
                responses[response.studentID, default: [:]][response.questionID] = response.answer
            }
            return responses
        }
    }

    /// The audit log, oldest first; only `studentID`'s entries when given.
    public func auditLog(studentID: String? = nil) throws -> [AuditEntry] {
        try writer.read { db in
            var request = AuditLogRecord.order(AuditLogRecord.Columns.id)
            if let studentID { request = request.filter(AuditLogRecord.Columns.studentID == studentID) }
            return try request.fetchAll(db).map {
                AuditEntry(id: $0.id!, at: $0.at, actor: $0.actor, action: $0.action, studentID: $0.studentID, target: $0.target, item: $0.item,
                           oldValue: $0.oldValue, newValue: $0.newValue, reason: $0.reason)
            }
        }
    }

    /// The checks of submission `submissionID`, in the order recorded.
    ///
    /// Submissions recorded before check scores were kept get them rebuilt from their case results.
    public func checkScores(submissionID: Int64) throws -> [CheckScore] {
        try writer.read { db in
            let stored = try CheckScoreRecord.filter(CheckScoreRecord.Columns.submissionID == submissionID).order(Column.rowID).fetchAll(db).map {
                CheckScore(taskID: $0.taskID, checkID: $0.checkID, points: $0.points, maxPoints: $0.maxPoints, cases: $0.cases, passed: $0.passed,
                           verdicts: $0.verdicts)
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
                                  cases: cases.count, passed: cases.filter { $0.verdict.isAccepted }.count,
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

    /// What one change by hand is logged as in `audit_log`, besides when and by whom.
    struct HandChange {
        var action: String
        var studentID: String?
        var target: String?
        var item: String?
        var old: String?
        var new: String?
        var reason: String
    }

    /// The one way a row entered by hand changes: the row of `Record` at `key` becomes `to(old)` (nil removes it),
    /// unless `same` finds nothing changed, and the change is logged in `audit_log` in the caller's transaction.
    /// - Returns: Whether anything changed.
    private static func change<Record: FetchableRecord & PersistableRecord>(
        _ db: Database, key: [String: (any DatabaseValueConvertible)?], to new: (_ old: Record?) -> Record?,
        same: (_ old: Record?, _ new: Record?) -> Bool, audit: (_ old: Record?, _ new: Record?) -> HandChange,
        actor: String, at now: Date) throws -> Bool {
        let old = try Record.fetchOne(db, key: key)
        let replacement = new(old)
        if same(old, replacement) { return false }
        if let replacement { try replacement.upsert(db) } else { try Record.deleteOne(db, key: key) }
        try log(audit(old, replacement), actor: actor, at: now, in: db)
        return true
    }

    /// Writes `change` to `audit_log`.
    private static func log(_ change: HandChange, actor: String, at now: Date, in db: Database) throws {
        var entry = AuditLogRecord(id: nil, at: now, actor: actor, action: change.action, studentID: change.studentID, target: change.target,
                                   item: change.item, oldValue: change.old, newValue: change.new, reason: change.reason)
        try entry.insert(db)
    }

    /// A number as the audit log writes it: `3.5`, `4`.
    private static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

extension CheckScore {
    /// The verdicts other than "accepted", counted in order of first appearance: "wrong-answer ×2, time-limit ×1".
    public static func tally(_ verdicts: [Verdict]) -> String {
        var order: [Verdict] = []
        var counts: [Verdict: Int] = [:]
        for verdict in verdicts where !verdict.isAccepted {
            if counts[verdict] == nil { order.append(verdict) }
            counts[verdict, default: 0] += 1
        }
        return order.map { "\($0.rawValue) ×\(counts[$0]!)" }.joined(separator: ", ")
    }
}
