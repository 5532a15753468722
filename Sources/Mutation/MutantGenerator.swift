import SwiftOperators
import SwiftParser
import SwiftSyntax

/// Makes every single-change mutant of a Swift source file: each operator of `MutationOperator` applied
/// at each place it fits, one at a time. The file is parsed by SwiftParser and its operator sequences
/// folded with Swift's standard precedences (SwiftOperators), so that "swap the operands of this `-`" or
/// "drop this factor" means what a reader of the code would mean; every change is a splice of the
/// original text, so the rest of the file stays byte for byte as written.
///
/// Mutants are not type-checked here: some do not compile (`Vector / Vector`), and the benchmark counts
/// those apart. Two changes that give the same file are one mutant.
public enum MutantGenerator {
    /// Every mutant of `source`, the contents of the file named `file`, in source order.
    public static func mutants(of source: String, file: String) -> [Mutant] {
        let tree = Parser.parse(source: source)
        let folded = OperatorTable.standardOperators.foldAll(tree, errorHandler: { _ in })
        let collector = Collector(converter: SourceLocationConverter(fileName: file, tree: folded))
        collector.walk(folded)
        let bytes = Array(source.utf8)
        var seen: Set<String> = []
        var mutants: [Mutant] = []
        // Ordered by place, then by the order made there, then as walked: the same file always gives the same list and names.
        let ordered = collector.edits.enumerated().sorted { ($0.element.start, $0.element.order, $0.offset) < ($1.element.start, $1.element.order, $1.offset) }
        for edit in ordered.map(\.element) {
            let mutated = String(decoding: bytes[..<edit.start] + Array(edit.text.utf8) + bytes[edit.end...], as: UTF8.self)
            guard mutated != source, seen.insert(mutated).inserted else { continue }
            let location = collector.converter.location(for: AbsolutePosition(utf8Offset: edit.start))
            let shownEnd = edit.start + edit.text.utf8.count + (edit.contextEnd - edit.end)
            let replacement = String(decoding: Array(mutated.utf8)[edit.contextStart..<shownEnd], as: UTF8.self)
            mutants.append(Mutant(file: file, line: location.line, column: location.column, mutation: edit.mutation,
                                  original: oneLine(String(decoding: bytes[edit.contextStart..<edit.contextEnd], as: UTF8.self)),
                                  replacement: oneLine(replacement), function: edit.function, mutatedSource: mutated))
        }
        return mutants
    }

    /// `text` on one line, runs of white space as one space, at most 80 characters.
    public static func oneLine(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
        return words.count <= 80 ? words : String(words.prefix(79)) + "…"
    }
}

/// One replacement of the bytes `start..<end` by `text`; `contextStart..<contextEnd` is the expression shown in the mutant's name.
struct Edit {
    var start: Int
    var end: Int
    var text: String
    var mutation: MutationOperator
    var contextStart: Int
    var contextEnd: Int
    var function: String?
    /// The order of edits made at one place.
    var order: Int
}

/// Walks a folded tree and records the edits each mutation operator makes.
final class Collector: SyntaxVisitor {
    let converter: SourceLocationConverter
    private(set) var edits: [Edit] = []

    init(converter: SourceLocationConverter) {
        self.converter = converter
        super.init(viewMode: .sourceAccurate)
    }

    /// Operators whose replacement is another operator, by kind.
    static let replacements: [String: [(MutationOperator, String)]] = [
        "+": [(.sign, "-")], "-": [(.sign, "+")],
        "+=": [(.sign, "-=")], "-=": [(.sign, "+=")],
        "<": [(.bound, "<="), (.condition, ">=")], "<=": [(.bound, "<"), (.condition, ">")],
        ">": [(.bound, ">="), (.condition, "<=")], ">=": [(.bound, ">"), (.condition, "<")],
        "==": [(.condition, "!=")], "!=": [(.condition, "==")],
        "&&": [(.condition, "||")], "||": [(.condition, "&&")],
        "..<": [(.bound, "...")], "...": [(.bound, "..<")],
    ]

    override func visit(_ node: InfixOperatorExprSyntax) -> SyntaxVisitorContinueKind {
        guard let op = node.operator.as(BinaryOperatorExprSyntax.self) else { return .visitChildren }
        let symbol = op.operator.text
        let context = (Self.start(node), Self.end(node))
        let function = Self.enclosingFunction(of: Syntax(node))
        var order = 0
        func add(_ start: Int, _ end: Int, _ text: String, _ mutation: MutationOperator) {
            edits.append(Edit(start: start, end: end, text: text, mutation: mutation, contextStart: context.0, contextEnd: context.1,
                              function: function, order: order))
            order += 1
        }
        for (mutation, replacement) in Self.replacements[symbol] ?? [] {
            add(Self.start(op), Self.end(op), replacement, mutation)
        }
        let left = Self.operand(node.leftOperand), right = Self.operand(node.rightOperand)
        let middle = Self.text(from: Self.end(node.leftOperand), to: Self.start(node.rightOperand), in: node)
        switch symbol {
        case "-", "/":
            add(context.0, context.1, right + middle + left, .swap)
            if symbol == "/" { add(context.0, context.1, left, .factor) }
        case "*":
            add(context.0, context.1, left, .factor)
            add(context.0, context.1, right, .factor)
        default:
            break
        }
        return .visitChildren
    }

    override func visit(_ node: PrefixOperatorExprSyntax) -> SyntaxVisitorContinueKind {
        let symbol = node.operator.text
        guard symbol == "-" || symbol == "!" else { return .visitChildren }
        // A negative literal is the literal's business (off by one), not a sign to drop.
        if symbol == "-", node.expression.is(IntegerLiteralExprSyntax.self) || node.expression.is(FloatLiteralExprSyntax.self) {
            return .visitChildren
        }
        edits.append(Edit(start: Self.start(node.operator), end: Self.end(node.operator), text: "", mutation: symbol == "-" ? .sign : .condition,
                          contextStart: Self.start(node), contextEnd: Self.end(node), function: Self.enclosingFunction(of: Syntax(node)), order: 0))
        return .visitChildren
    }

    override func visit(_ node: IntegerLiteralExprSyntax) -> SyntaxVisitorContinueKind {
        guard let value = Int(node.literal.text), (0...2).contains(value), Self.enclosingFunction(of: Syntax(node)) != nil else { return .skipChildren }
        // A negative literal is shown with its sign: `-1 → -2`.
        let negation = node.parent?.as(PrefixOperatorExprSyntax.self).flatMap { $0.operator.text == "-" ? $0 : nil }
        let start = Self.start(node), end = Self.end(node)
        for (order, moved) in [value + 1, value - 1].enumerated() where moved >= 0 {
            edits.append(Edit(start: start, end: end, text: String(moved), mutation: .bound,
                              contextStart: negation.map { Self.start($0) } ?? start, contextEnd: end,
                              function: Self.enclosingFunction(of: Syntax(node)), order: order))
        }
        return .skipChildren
    }

    /// The function, initialiser or computed property a node is in.
    static func enclosingFunction(of node: Syntax) -> String? {
        var current = node.parent
        while let candidate = current {
            if let function = candidate.as(FunctionDeclSyntax.self) { return function.name.text }
            if candidate.is(InitializerDeclSyntax.self) { return "init" }
            if let binding = candidate.as(PatternBindingSyntax.self), binding.accessorBlock != nil {
                return binding.pattern.trimmedDescription
            }
            current = candidate.parent
        }
        return nil
    }

    /// An operand's text, in parentheses when moved somewhere its operators could bind differently.
    static func operand(_ expression: ExprSyntax) -> String {
        let text = expression.trimmedDescription
        let compound = expression.is(InfixOperatorExprSyntax.self) || expression.is(TernaryExprSyntax.self)
            || expression.is(AsExprSyntax.self) || expression.is(IsExprSyntax.self) || expression.is(TryExprSyntax.self)
            || expression.is(AwaitExprSyntax.self)
        return compound ? "(\(text))" : text
    }

    static func start(_ node: some SyntaxProtocol) -> Int { node.positionAfterSkippingLeadingTrivia.utf8Offset }
    static func end(_ node: some SyntaxProtocol) -> Int { node.endPositionBeforeTrailingTrivia.utf8Offset }

    /// The source text between two offsets inside `node` (an operator and its surrounding spaces).
    static func text(from start: Int, to end: Int, in node: some SyntaxProtocol) -> String {
        let bytes = Array(node.syntaxTextBytes)
        let base = node.position.utf8Offset
        guard start >= base, end >= start, end - base <= bytes.count else { return " " }
        return String(decoding: bytes[(start - base)..<(end - base)], as: UTF8.self)
    }
}
