/// The one home of what the grader accepts as a name.
public enum IdentifierRules {
    /// An id in specs, rubrics and the course policy (assignments, tasks, checks, manual items, quiz questions):
    /// lowercase ASCII letters, digits and '-', neither first nor last.
    public static func isSpecID(_ text: String) -> Bool {
        let allowed = text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return allowed && !text.isEmpty && text.first != "-" && text.last != "-"
    }

    /// A student id, which is also the name of the student's submission folder: safe in paths, tables and
    /// CSV, so no separators, quotes, spaces, commas, semicolons or control characters, and not hidden.
    public static func isStudentID(_ text: String) -> Bool {
        !text.isEmpty && text != "." && text != ".." && !text.hasPrefix(".")
            && text.unicodeScalars.allSatisfy { !"/\\\"' \t\n\r;,".unicodeScalars.contains($0) && $0.value >= 0x20 && $0.value != 0x7F }
    }
}
