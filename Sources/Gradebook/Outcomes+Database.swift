import GRDB
import Outcomes

// Verdicts, statuses, run modes and time sources are stored as their raw text. A stored value this
// version does not know is a decoding error of the gradebook, never a silent default.
extension Verdict: DatabaseValueConvertible {}
extension SubmissionStatus: DatabaseValueConvertible {}
extension SubmissionTimeSource: DatabaseValueConvertible {}
extension GradingMode: DatabaseValueConvertible {}
