import Foundation

/// Where a submission's time comes from.
public enum SubmissionTimeSource: String, Sendable, Hashable, Codable {
    /// `submitted_at` in `submission.yaml` (written by the course's submission system).
    case submissionYAML = "submission.yaml"
    /// The newest modification time of the folder's files.
    case fileTime = "file-time"
    /// "Last modified (submission)" in the course site's grading worksheet, recorded by `grade collect`.
    case moodleWorksheet = "moodle-worksheet"

    /// Whether the student cannot write the time: the course site's record is trusted; `submission.yaml`
    /// and file times are not (a student can backdate the first, and archives and copies change the second).
    public var isTrusted: Bool { self == .moodleWorksheet }

    /// The time a submission's lateness uses: the trusted one when there is one, else the folder's own.
    public static func choose(trusted: (Date, SubmissionTimeSource)?, folder: (Date, SubmissionTimeSource)?) -> (date: Date, source: SubmissionTimeSource)? {
        if let trusted { return (trusted.0, trusted.1) }
        return folder.map { ($0.0, $0.1) }
    }

    /// The source in words, for feedback.
    public var explanation: String {
        switch self {
        case .submissionYAML: "submitted_at in submission.yaml"
        case .fileTime: "the newest file's modification time (submission.yaml gives no submitted_at)"
        case .moodleWorksheet: "the course site's record of your submission (Moodle's grading worksheet)"
        }
    }
}
