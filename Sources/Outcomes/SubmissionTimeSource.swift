/// Where a submission's time comes from.
public enum SubmissionTimeSource: String, Sendable, Hashable, Codable {
    /// `submitted_at` in `submission.yaml` (written by the course's submission system).
    case submissionYAML = "submission.yaml"
    /// The newest modification time of the folder's files.
    case fileTime = "file-time"

    /// The source in words, for feedback.
    public var explanation: String {
        switch self {
        case .submissionYAML: "submitted_at in submission.yaml"
        case .fileTime: "the newest file's modification time (submission.yaml gives no submitted_at)"
        }
    }
}
