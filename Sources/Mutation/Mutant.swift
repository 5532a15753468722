/// The kinds of single change the mutation benchmark makes, each a classic slip in numerical code.
public enum MutationOperator: String, Sendable, CaseIterable, Codable {
    /// `+` ↔ `-`, `+=` ↔ `-=`, and a unary minus dropped: a flipped sign.
    case sign
    /// `a - b` → `b - a`, `a / b` → `b / a`: swapped operands of an operator that does not commute.
    case swap
    /// `a * b` → `a` or `b`, `a / b` → `a`: a dropped factor or divisor.
    case factor
    /// `<` ↔ `<=`, `>` ↔ `>=`, `..<` ↔ `...`, and an integer literal 0, 1 or 2 moved by one: an off-by-one bound.
    case bound
    /// `<` → `>=`, `>` → `<=`, `==` ↔ `!=`, `&&` ↔ `||`, a `!` dropped: a reversed condition.
    case condition
}

/// One single-change mutant of one source file.
public struct Mutant: Sendable, Hashable {
    /// The file's name, as the submission has it.
    public var file: String
    /// Where the change is, 1-based.
    public var line: Int
    public var column: Int
    /// The kind of change.
    public var mutation: MutationOperator
    /// The expression as written, on one line.
    public var original: String
    /// The expression as mutated, on one line.
    public var replacement: String
    /// The function (or computed property) the change is in, nil at the top level.
    public var function: String?
    /// The whole file with the change made.
    public var mutatedSource: String

    /// A name that stays the same as long as the file does: `Descent.swift:24:11 bound: k < n → k <= n`.
    public var id: String { "\(file):\(line):\(column) \(mutation.rawValue): \(original) → \(replacement)" }
}
