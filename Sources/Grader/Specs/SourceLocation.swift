/// A place in a course file: a file path, and a line and column counted from 1.
///
/// Line 0 stands for the file as a whole, for problems such as a missing file that have no line.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file's path, as the caller named it (relative paths stay relative).
    public var file: String
    /// The line, counted from 1; 0 when the location is the whole file.
    public var line: Int
    /// The column, counted from 1 in Unicode scalars; 0 when the location is the whole file.
    public var column: Int

    /// A location at `line` and `column` of `file`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The whole of `file`, for problems that have no line.
    public init(file: String) {
        self.init(file: file, line: 0, column: 0)
    }

    /// `file:line:column`, or just `file` for a whole-file location.
    public var description: String {
        line == 0 ? file : "\(file):\(line):\(column)"
    }

    /// Orders locations by file, then line, then column, the order a compiler lists its diagnostics in.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
