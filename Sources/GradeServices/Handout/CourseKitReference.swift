import Foundation
import SwiftParser
import SwiftSyntax

/// CourseKit's reference in Markdown, made from its sources' doc comments with SwiftSyntax: every public
/// type, protocol, extension, method, property and enum case, with its declaration and its documentation,
/// file by file. What students read beside the starter, so the two never disagree with the sources.
public enum CourseKitReference {
    /// The reference of `files` (name and Swift source), in the order given.
    public static func markdown(files: [(name: String, source: String)], title: String = "CourseKit reference") -> String {
        var out = "# \(title)\n\n"
        out += "Every public declaration of CourseKit, the module your solution imports, with its documentation. "
        out += "The same text is in the sources (`CourseKit/Sources/CourseKit/`), which you may read.\n"
        for file in files {
            let tree = Parser.parse(source: file.source)
            var sections: [String] = []
            for statement in tree.statements {
                guard let decl = statement.item.as(DeclSyntax.self) else { continue }
                sections += entries(decl, level: 2, insidePublic: false)
            }
            guard !sections.isEmpty else { continue }
            out += "\n---\n\n*\(file.name)*\n\n" + sections.joined(separator: "\n")
        }
        return out
    }

    /// The Markdown of `decl` and its public members: a heading at `level`, the declaration, its documentation.
    static func entries(_ decl: DeclSyntax, level: Int, insidePublic: Bool) -> [String] {
        let modifiers = decl.asProtocol(WithModifiersSyntax.self)?.modifiers.map(\.name.text) ?? []
        let isPublic = modifiers.contains("public") || modifiers.contains("open")
        let isPrivate = modifiers.contains { ["private", "fileprivate", "internal", "package"].contains($0) }
        if let group = decl.asProtocol(DeclGroupSyntax.self) {
            let isExtension = decl.is(ExtensionDeclSyntax.self)
            // An extension without an access modifier holds public members when they say so.
            guard isPublic || (isExtension && !isPrivate) || (insidePublic && !isPrivate) else { return [] }
            let membersArePublic = decl.is(ProtocolDeclSyntax.self) || (isExtension && isPublic)
            var members: [String] = []
            for member in group.memberBlock.members {
                members += entries(member.decl, level: min(level + 1, 4), insidePublic: membersArePublic)
            }
            if isExtension && members.isEmpty { return [] }
            let heading = String(repeating: "#", count: level) + " " + name(of: decl)
            return [heading + "\n\n" + code(header(of: group)) + documentation(decl.leadingTrivia)] + members
        }
        guard isPublic || (insidePublic && !isPrivate) else { return [] }
        let heading = String(repeating: "#", count: level) + " " + name(of: decl)
        return [heading + "\n\n" + code(signature(of: decl)) + documentation(decl.leadingTrivia)]
    }

    /// A heading's text: the type's or member's name, as code.
    static func name(of decl: DeclSyntax) -> String {
        if let d = decl.as(StructDeclSyntax.self) { return "`\(d.name.text)` (struct)" }
        if let d = decl.as(EnumDeclSyntax.self) { return "`\(d.name.text)` (enum)" }
        if let d = decl.as(ClassDeclSyntax.self) { return "`\(d.name.text)` (class)" }
        if let d = decl.as(ProtocolDeclSyntax.self) { return "`\(d.name.text)` (protocol)" }
        if let d = decl.as(ExtensionDeclSyntax.self) { return "extension `\(d.extendedType.trimmedDescription)`" }
        if let d = decl.as(FunctionDeclSyntax.self) { return "`\(StarterSource.signatureKey(d))`" }
        if decl.is(InitializerDeclSyntax.self) { return "`init`" }
        if decl.is(SubscriptDeclSyntax.self) { return "`subscript`" }
        if let d = decl.as(VariableDeclSyntax.self) { return "`\(d.bindings.map { $0.pattern.trimmedDescription }.joined(separator: ", "))`" }
        if let d = decl.as(EnumCaseDeclSyntax.self) { return "`case \(d.elements.map { $0.name.text }.joined(separator: ", "))`" }
        if let d = decl.as(TypeAliasDeclSyntax.self) { return "`\(d.name.text)` (type alias)" }
        return "declaration"
    }

    /// A type's or extension's declaration line, without its members.
    static func header(of group: some DeclGroupSyntax) -> String {
        let full = group.with(\.leadingTrivia, []).trimmedDescription
        let body = group.memberBlock.trimmedDescription
        return String(full.dropLast(body.count)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A member's declaration without its body, accessors or initial value.
    static func signature(of decl: DeclSyntax) -> String {
        let bare = decl.with(\.leadingTrivia, [])
        if let function = bare.as(FunctionDeclSyntax.self) { return function.with(\.body, nil).trimmedDescription }
        if let initializer = bare.as(InitializerDeclSyntax.self) { return initializer.with(\.body, nil).trimmedDescription }
        if let subscriptDecl = bare.as(SubscriptDeclSyntax.self) { return subscriptDecl.with(\.accessorBlock, nil).trimmedDescription }
        if let variable = bare.as(VariableDeclSyntax.self) {
            let bindings = PatternBindingListSyntax(variable.bindings.map { $0.with(\.accessorBlock, nil).with(\.initializer, nil) })
            return variable.with(\.bindings, bindings).trimmedDescription
        }
        return bare.trimmedDescription
    }

    /// `text` as a Swift code block.
    static func code(_ text: String) -> String { "```swift\n\(text)\n```\n" }

    /// The `///` lines of `trivia` as Markdown, after a blank line, or nothing.
    static func documentation(_ trivia: Trivia) -> String {
        let lines = trivia.compactMap { piece -> String? in
            guard case let .docLineComment(text) = piece else { return nil }
            let body = text.dropFirst(3)
            return String(body.hasPrefix(" ") ? body.dropFirst() : body)
        }
        return lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n") + "\n"
    }
}
