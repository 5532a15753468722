import Foundation
import SwiftParser
import SwiftSyntax

/// The starter file of a practical: `struct Solution: <Protocol>` with every requirement of the protocol,
/// as CourseKit declares it, stubbed with `fatalError("not implemented yet")` under its doc comment, and the
/// protocol's own documentation (the course's conventions) above the struct.
///
/// The stubs are made from CourseKit's source with SwiftSyntax, so they cannot drift from the protocol
/// the grader checks: a requirement added to the protocol is in the next starter. A requirement that an
/// extension of the protocol implements (a default) is left out, so the stub does not hide it.
public enum StarterSource {
    /// Why no starter can be made.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        /// What is wrong, and where.
        public let description: String
        /// Whether the source does not declare the protocol at all (another file may).
        public var isMissingProtocol = false
    }

    /// The starter for protocol `name`, declared in `source` (the text of CourseKit's `file`).
    public static func make(protocolNamed name: String, source: String, file: String) throws -> String {
        let tree = Parser.parse(source: source)
        guard let declaration = tree.statements.compactMap({ $0.item.as(ProtocolDeclSyntax.self) }).first(where: { $0.name.text == name }) else {
            throw Problem(description: "\(file) declares no protocol \(name)", isMissingProtocol: true)
        }
        let defaults = Set(tree.statements.compactMap { $0.item.as(ExtensionDeclSyntax.self) }
            .filter { $0.extendedType.trimmedDescription == name }
            .flatMap { $0.memberBlock.members.compactMap { $0.decl.as(FunctionDeclSyntax.self).map(signatureKey) } })
        var stubs: [String] = []
        for member in declaration.memberBlock.members {
            if let function = member.decl.as(FunctionDeclSyntax.self) {
                guard !defaults.contains(signatureKey(function)) else { continue }
                var header = function.with(\.leadingTrivia, []).with(\.body, nil)
                header.modifiers = []
                stubs.append(documentation(member.decl.leadingTrivia, indent: "    ")
                             + "    " + reindented(header.trimmedDescription, from: indentation(member.decl.leadingTrivia), to: "    ")
                             + " {\n        fatalError(\"not implemented yet\")\n    }")
            } else if let variable = member.decl.as(VariableDeclSyntax.self) {
                guard let binding = variable.bindings.first, let type = binding.typeAnnotation?.type.trimmedDescription else {
                    throw Problem(description: "\(file): a property requirement of \(name) without a type cannot be stubbed")
                }
                stubs.append(documentation(member.decl.leadingTrivia, indent: "    ")
                             + "    var \(binding.pattern.trimmedDescription): \(type) {\n        fatalError(\"not implemented yet\")\n    }")
            } else {
                throw Problem(description: "\(file): a requirement of \(name) that is not a method or a property cannot be stubbed: \(member.decl.trimmedDescription.prefix(80))")
            }
        }
        guard !stubs.isEmpty else { throw Problem(description: "\(file): protocol \(name) has no requirement to stub") }
        return """
            // The starter of \(name): every requirement is stubbed with fatalError("not implemented yet").
            // Replace each body with your code; the doc comments are CourseKit's and give every formula.
            // `grade --local` checks this folder's .swift files on the public cases.
            import CourseKit

            \(documentation(declaration.leadingTrivia, indent: ""))struct Solution: \(name) {
            \(stubs.joined(separator: "\n\n"))
            }

            """
    }

    /// A method's name and argument labels ("armijoStep(on:at:direction:)"), which a default in an extension shares.
    static func signatureKey(_ function: FunctionDeclSyntax) -> String {
        function.name.text + "(" + function.signature.parameterClause.parameters.map { $0.firstName.text + ":" }.joined() + ")"
    }

    /// The `///` lines of `trivia`, each on its own line with `indent`, or nothing.
    static func documentation(_ trivia: Trivia, indent: String) -> String {
        trivia.compactMap { piece -> String? in
            if case let .docLineComment(text) = piece { return indent + text + "\n" }
            return nil
        }.joined()
    }

    /// The spaces before a declaration on its line, which `trivia` (its leading trivia) ends with.
    static func indentation(_ trivia: Trivia) -> Int {
        var spaces = 0
        for piece in trivia.reversed() {
            guard case let .spaces(count) = piece else { break }
            spaces += count
        }
        return spaces
    }

    /// `text` (a declaration that was indented by `original` spaces) with its continuation lines moved to
    /// sit under `indent`, so that a multi-line signature stays aligned in the struct.
    static func reindented(_ text: String, from original: Int, to indent: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            guard index > 0 else { return String(line) }
            let leading = line.prefix { $0 == " " }.count
            return indent + String(line.dropFirst(min(leading, original)))
        }.joined(separator: "\n")
    }
}
