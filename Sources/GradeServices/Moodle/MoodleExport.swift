import Foundation
import Gradebook
import Grader
import SafeText
import ZIPFoundation

/// A practical's grades and feedback in the files Moodle's assignment imports: the grading worksheet
/// filled in ("Upload grading worksheet") and the feedback files archive ("Upload multiple feedback
/// files in a zip").
public enum MoodleExport {
    /// What an export wrote, and whom it left out.
    public struct Result: Sendable {
        /// The file's contents.
        public var data: Data
        /// Students written, by id.
        public var written: [String]
        /// Worksheet rows left as they were, in words (no roster student, or no grade of this practical).
        public var leftOut: [String]
    }

    /// The worksheet with `Grade` (the practical's grade on the course scale, scaled to the row's
    /// `Maximum Grade`), `Feedback comments` (a summary) and `Last modified (grade)` (the export's time)
    /// filled in for every row matched to a graded student; every other cell as Moodle wrote it.
    public static func worksheet(_ worksheet: MoodleWorksheet, practical: String, grades: CourseGrades, roster: Roster,
                                 policy: CoursePolicy, now: Date = Date()) throws -> Result {
        guard !grades.pendingPracticals.contains(practical) else { throw ServiceFailure("\(practical) has not been graded yet: there are no grades to export") }
        var leftOut: [String] = []
        let matches = MoodleCollection.match(worksheet.rows, roster: roster, unmatched: &leftOut)
        let rows = Dictionary(grades.students.map { ($0.student.id, $0) }, uniquingKeysWith: { first, _ in first })
        var cells: [String: [String: String]] = [:]
        var written: [String] = []
        // Moodle reads "Last modified (grade)" with PHP's strtotime, which reads English dates in any course language.
        let modified = MoodleWorksheet.text(now, settings: MoodleSettings(), timeZone: policy.timeZone)
        for row in worksheet.rows {
            guard let student = matches[row.participantID], let grade = rows[student.id]?.practicals.first(where: { $0.practicalID == practical }) else { continue }
            let maximum = row.maximumGrade ?? policy.scale
            cells[row.participantID] = ["Grade": String(format: "%.2f", grade.grade / policy.scale * maximum),
                                        "Feedback comments": comment(grade, policy: policy),
                                        "Last modified (grade)": modified]
            written.append(student.id)
        }
        let text = try worksheet.written(replacing: cells)
        return Result(data: Data(text.utf8), written: written.sorted(), leftOut: leftOut)
    }

    /// The practical's grade in one line: "Automatic checks 14.5, report 3 (of 20): 17.5/20; 1 day late: −2; practical grade 15.5/20".
    public static func comment(_ grade: PracticalGrade, policy: CoursePolicy) -> String {
        let scale = Points.text(policy.scale)
        var parts: [String] = []
        switch grade.state {
        case .pending: parts.append("Not graded yet")
        case .missing: parts.append("No submission")
        case .graded:
            parts.append("Automatic checks \(Points.text(grade.automaticPoints ?? 0)), report \(Points.text(grade.manualPoints ?? 0))"
                         + (grade.unmarkedItems.isEmpty ? "" : " (not marked yet)") + ": \(Points.text(grade.beforePenalty))/\(scale)")
            if let timing = grade.timing, grade.penalty > 0 { parts.append("\(timing.summary): −\(Points.text(grade.penalty))") }
        }
        if grade.override != nil { parts.append("set by the instructor") }
        parts.append("practical grade \(Points.text(grade.grade))/\(scale)")
        return parts.joined(separator: "; ")
    }

    /// The feedback archive: for each worksheet row matched to a student with recorded feedback, the file
    /// `<full name>_<participant id>_assignsubmission_file_/<fileName>`, Moodle's own naming of the
    /// participant's submission folder, which its feedback import reads the participant id from.
    public static func feedbackArchive(_ worksheet: MoodleWorksheet, roster: Roster, feedback: [String: String], fileName: String = "feedback.txt",
                                       now: Date = Date()) throws -> Result {
        var leftOut: [String] = []
        let matches = MoodleCollection.match(worksheet.rows, roster: roster, unmatched: &leftOut)
        let archive = try Archive(data: Data(), accessMode: .create)
        var written: [String] = []
        for row in worksheet.rows {
            guard let student = matches[row.participantID], let text = feedback[student.id] else { continue }
            let data = Data(text.utf8)
            let path = "\(folderName(fullName: row.fullName, participantID: row.participantID))/\(fileName)"
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: now, compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
            written.append(student.id)
        }
        guard let data = archive.data else { throw ServiceFailure("the feedback archive could not be built") }
        return Result(data: data, written: written.sorted(), leftOut: leftOut)
    }

    /// Moodle's folder of a participant's file submission: the name with `_` and path separators made
    /// spaces (as Moodle writes names), then `_<participant id>_assignsubmission_file_`.
    public static func folderName(fullName: String, participantID: String) -> String {
        let name = String(fullName.map { "_/\\:".contains($0) || $0.isNewline ? " " : $0 })
        return "\(name)_\(participantID)_assignsubmission_file_"
    }
}
