import SafeText

/// Where one student stands on one part of the course grade (a practical or the quiz): the one
/// definition every view and export reads, so that none of them shows work still to be graded as a 0.
///
/// A part's grade *counts* (is settled) when it is graded in full, missing, or overridden by hand;
/// otherwise it is still to come, and no export writes a number for it.
public enum GradeState: String, Sendable, CaseIterable, Codable {
    /// Graded from the student's work (a practical's report may still await its marks: see `PracticalGrade.isSettled`).
    case graded
    /// Nothing was handed in by the (extended) deadline, or no quiz responses when the class's are imported: 0.
    case missing
    /// Handed in (collected) and not graded yet, or the part has not been graded or imported for anyone yet.
    case pending
    /// Nothing handed in yet, and the student's deadline (with any extension) has not passed.
    case notDue = "not-due"
    /// Handed in, but grading it stopped on the grader's own fault since its last recorded grade: that work is
    /// not graded (an older grade does not count for it), and it must be graded again.
    case graderFault = "grader-fault"

    /// The short word a table cell shows for a part without a number.
    public var word: String {
        switch self {
        case .graded: "graded"
        case .missing: "0 missing"
        case .pending: "pending"
        case .notDue: "not due"
        case .graderFault: "grader fault"
        }
    }
}

/// The words every view uses for a part whose grade does not count yet, and what to do about it.
public enum PendingWork {
    /// Why `practical`'s grade of one student does not count yet, in words, or nil when it counts.
    public static func reason(_ grade: PracticalGrade) -> String? {
        guard !grade.isSettled else { return nil }
        switch grade.state {
        case .pending: return grade.practicalWasGraded ? "submitted, not graded yet" : "not graded yet"
        case .notDue: return "nothing submitted yet, not due until \(grade.deadlineText ?? "its deadline")"
        case .graderFault: return "not graded: the grader failed on it (\(grade.fault.map { String($0.prefix(120)) } ?? "see grade final"))"
        case .graded: return "report not marked (\(grade.unmarkedItems.joined(separator: ", ")))"
        case .missing: return nil
        }
    }

    /// What to run so that `practical`'s grade counts.
    public static func nextStep(_ grade: PracticalGrade) -> String {
        switch grade.state {
        case .pending, .graderFault: "grade \(grade.practicalID)"
        case .notDue: "wait for the deadline, or grade \(grade.practicalID) once it is handed in"
        case .graded: "grade marks import \(grade.practicalID) <file> (or grade marks set)"
        case .missing: ""
        }
    }

    /// Why the quiz grade of one student does not count yet, or nil when it counts.
    public static func reason(_ quiz: QuizGrade) -> String? {
        quiz.isSettled ? nil : "no quiz responses imported yet"
    }
}

extension PracticalGrade {
    /// What a table cell shows: the grade that counts ("15.5", "13 (−2)" after a late penalty, "14 unmarked"
    /// while a report item awaits its mark, "12*" when set by hand), or the state's word ("pending", "0 missing").
    public var cell: String {
        if override != nil { return Points.text(grade) + "*" }
        guard state == .graded else { return state.word }
        var text = Points.text(grade)
        if penalty > 0 { text += " (−\(Points.text(penalty)))" }
        if !unmarkedItems.isEmpty { text += " unmarked" }
        return text
    }
}

extension QuizGrade {
    /// What a table cell shows: the grade, "12*" when set by hand, or the state's word.
    public var cell: String {
        if override != nil { return Points.text(grade) + "*" }
        return state == .graded ? Points.text(grade) : state.word
    }
}

extension StudentGrade {
    /// What a table cell shows for the final grade: the grade, "12*" when set by hand, or "pending" while a part is still to come.
    public var finalCell: String {
        if finalOverride != nil { return Points.text(final) + "*" }
        return isSettled ? Points.text(final) : GradeState.pending.word
    }
}
