/// A fault of the grading machine (data, toolkit, compiler, sandbox) found before or while grading: never a student's result.
public struct GraderFault: Error, CustomStringConvertible {
    /// What is wrong and what to fix.
    public let description: String
}
