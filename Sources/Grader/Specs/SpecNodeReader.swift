import Foundation
import Yams

/// Reads values out of a composed YAML tree, turning each problem into a diagnostic at its node's
/// line and column and carrying on, so that one bad value never hides the others.
///
/// Scalars are decoded with Yams' own `YAMLDecoder` (so numbers, integers and seeds follow YAML's
/// rules, and a quoted `"1e-9"` is text, not a number); mappings and lists are walked by hand to
/// keep every node's position and to report unknown keys.
final class SpecNodeReader {
    /// The path diagnostics name.
    let file: String
    /// Every problem found so far, in the order found.
    private(set) var diagnostics: [Diagnostic] = []
    private let decoder = YAMLDecoder()

    /// A reader whose diagnostics name `file`.
    init(file: String) {
        self.file = file
    }

    /// Records a problem.
    func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Where `node` starts.
    func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: file) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    /// `node` as a mapping whose keys must be among `allowed` (any key when nil); reports
    /// non-mappings and unknown keys.
    func mapping(_ node: Node, _ what: String, allowed: [String]?) -> SpecMapping? {
        guard case let .mapping(mapping) = node else {
            report(.notAMapping(what, at: location(of: node)))
            return nil
        }
        var entries: [SpecMapping.Entry] = []
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key, !isNull(key) else {
                report(.keyNotAName(at: location(of: key)))
                continue
            }
            if let allowed, !allowed.contains(scalar.string) {
                report(.unknownKey(scalar.string, in: what, allowed: allowed, at: location(of: key)))
                continue
            }
            entries.append(SpecMapping.Entry(name: scalar.string, key: key, value: value))
        }
        return SpecMapping(what: what, location: location(of: node), entries: entries)
    }

    /// The items of the list under `key`; reports anything that is not a list.
    func list(_ node: Node, key: String) -> [Node]? {
        guard case let .sequence(sequence) = node else {
            report(isNull(node) ? .missingValue(key, at: location(of: node)) : .notAList(key, at: location(of: node)))
            return nil
        }
        return Array(sequence)
    }

    /// Non-empty text.
    func text(_ node: Node, key: String) -> String? {
        guard scalar(node, key: key, mismatch: Diagnostic.notText) != nil else { return nil }
        guard let text = decoded(String.self, from: node) else {
            report(.notText(key, found: describe(node), at: location(of: node)))
            return nil
        }
        guard !text.isEmpty else {
            report(.emptyText(key, at: location(of: node)))
            return nil
        }
        return text
    }

    /// An id: lowercase letters, digits and '-', starting and ending with a letter or digit.
    func identifier(_ node: Node, key: String) -> String? {
        guard let text = text(node, key: key) else { return nil }
        guard IdentifierRules.isSpecID(text) else {
            report(.invalidID(key, value: text, at: location(of: node)))
            return nil
        }
        return text
    }

    /// A finite number.
    func number(_ node: Node, key: String) -> Double? {
        guard scalar(node, key: key, mismatch: Diagnostic.notANumber) != nil else { return nil }
        guard let value = decoded(Double.self, from: node) else {
            report(.notANumber(key, found: describe(node), at: location(of: node)))
            return nil
        }
        guard value.isFinite else {
            report(.notFinite(key, found: describe(node), at: location(of: node)))
            return nil
        }
        return value
    }

    /// A finite number greater than 0.
    func positiveNumber(_ node: Node, key: String) -> Double? {
        guard let value = number(node, key: key) else { return nil }
        guard value > 0 else {
            report(.notPositive(key, value: value, at: location(of: node)))
            return nil
        }
        return value
    }

    /// A whole number greater than 0.
    func positiveWholeNumber(_ node: Node, key: String) -> Int? {
        guard scalar(node, key: key, mismatch: Diagnostic.notAWholeNumber) != nil else { return nil }
        guard let value = decoded(Int.self, from: node) else {
            report(.notAWholeNumber(key, found: describe(node), at: location(of: node)))
            return nil
        }
        guard value > 0 else {
            report(.notPositive(key, value: Double(value), at: location(of: node)))
            return nil
        }
        return value
    }

    /// A seed: a whole number that fits in 64 unsigned bits.
    func seed(_ node: Node) -> UInt64? {
        guard scalar(node, key: "seed", mismatch: { _, found, location in .notASeed(found: found, at: location) }) != nil else { return nil }
        guard let value = decoded(UInt64.self, from: node) else {
            report(.notASeed(found: describe(node), at: location(of: node)))
            return nil
        }
        return value
    }

    /// A `YYYY-MM-DD` date, quoted or not.
    func date(_ node: Node, key: String) -> CourseDate? {
        guard scalar(node, key: key, mismatch: Diagnostic.notADate) != nil else { return nil }
        guard let date = decoded(CourseDate.self, from: node) else {
            report(.notADate(key, found: describe(node), at: location(of: node)))
            return nil
        }
        return date
    }

    /// A parameter: a number, a `[low, high]` range with low ≤ high, or text.
    func parameter(_ node: Node, name: String) -> ParameterValue? {
        switch node {
        case .scalar where isNull(node):
            report(.missingValue(name, at: location(of: node)))
            return nil
        case .scalar:
            if let value = decoded(Double.self, from: node) {
                guard value.isFinite else {
                    report(.notFinite(name, found: describe(node), at: location(of: node)))
                    return nil
                }
                return .number(value)
            }
            return decoded(String.self, from: node).map(ParameterValue.text)
        case let .sequence(sequence):
            let bounds = sequence.compactMap { decoded(Double.self, from: $0) }.filter(\.isFinite)
            guard sequence.count == 2, bounds.count == 2 else {
                report(.rangeNotTwoNumbers(name, at: location(of: node)))
                return nil
            }
            guard bounds[0] <= bounds[1] else {
                report(.emptyRange(name, low: bounds[0], high: bounds[1], at: location(of: node)))
                return nil
            }
            return .range(bounds[0], bounds[1])
        case .mapping, .alias:
            report(.badParameter(name, found: describe(node), at: location(of: node)))
            return nil
        }
    }

    /// `node` as a non-null scalar; reports a missing value, or `mismatch` for a list or mapping in its place.
    private func scalar(_ node: Node, key: String,
                        mismatch: (String, String, SourceLocation) -> Diagnostic) -> Node.Scalar? {
        guard case let .scalar(scalar) = node else {
            report(mismatch(key, describe(node), location(of: node)))
            return nil
        }
        guard !isNull(node) else {
            report(.missingValue(key, at: location(of: node)))
            return nil
        }
        return scalar
    }

    /// `node` decoded by Yams as a `T`, or nil when it is not one.
    private func decoded<T: Decodable>(_ type: T.Type, from node: Node) -> T? {
        try? decoder.decode(type, from: node)
    }

    /// Whether `node` is an unquoted null: nothing, `~` or `null`.
    private func isNull(_ node: Node) -> Bool {
        node.null != nil
    }

    /// The node as a message shows what was found: `'tight'`, `a list` or `a mapping`.
    private func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar): return "'\(scalar.string)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }
}

/// One YAML mapping being read: its entries by name, and where it is.
struct SpecMapping {
    /// A key and its value.
    struct Entry {
        var name: String
        var key: Node
        var value: Node
    }

    /// What the mapping is, for messages: "check", "rubric", ...
    let what: String
    /// Where the mapping starts.
    let location: SourceLocation
    /// The entries whose keys are allowed, in file order.
    let entries: [Entry]

    /// The value of `name`, if present.
    subscript(name: String) -> Node? {
        entries.first { $0.name == name }?.value
    }

    /// The key node of `name`, if present, to point at the key's line.
    func key(_ name: String) -> Node? {
        entries.first { $0.name == name }?.key
    }

    /// The value of `name`; reports it missing otherwise.
    func required(_ name: String, _ reader: SpecNodeReader) -> Node? {
        guard let value = self[name] else {
            reader.report(.missingKey(name, in: what, at: location))
            return nil
        }
        return value
    }
}
