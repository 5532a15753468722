import Foundation
import Yams

/// Builds a ``Rubric`` from a composed YAML tree and checks it against its assignment's spec,
/// reporting every problem to a ``SpecNodeReader``.
final class RubricDecoder {
    static let rubricKeys = ["assignment", "total", "checks", "manual"]
    static let checkKeys = ["check", "points", "credit"]
    static let manualKeys = ["id", "title", "points"]

    private let reader: SpecNodeReader
    private let spec: AssignmentSpec
    /// The spec's file name, as messages name it.
    private let specFile: String
    /// Whether every entry's points were read, so that the total can be checked.
    private var allPointsRead = true
    /// The points of every check entry whose points were read, even if another of its fields is wrong.
    private var automaticPoints = 0.0
    /// The points of every manual item whose points were read, even if another of its fields is wrong.
    private var manualPoints = 0.0

    init(reader: SpecNodeReader, spec: AssignmentSpec) {
        self.reader = reader
        self.spec = spec
        specFile = URL(fileURLWithPath: spec.location.file).lastPathComponent
    }

    /// The rubric in `root`, or nil when the reader holds an error afterwards.
    func rubric(_ root: Node) -> Rubric? {
        guard let fields = reader.mapping(root, "rubric", allowed: Self.rubricKeys) else { return nil }
        let assignmentID = fields.required("assignment", reader).flatMap(assignment)
        let totalNode = fields.required("total", reader)
        let total = totalNode.flatMap { reader.positiveNumber($0, key: "total") }
        if total == nil { allPointsRead = false }
        var checks: [RubricCheck] = []
        if let checksNode = fields.required("checks", reader) {
            checks = self.checks(checksNode, listedAt: fields.key("checks") ?? checksNode)
        }
        let manual = fields["manual"].map(self.manual) ?? []
        if let total, let totalNode, allPointsRead, !Self.pointsAgree(total, automaticPoints + manualPoints) {
            reader.report(.wrongTotal(total, automatic: automaticPoints, manual: manualPoints, at: reader.location(of: totalNode)))
        }
        guard !reader.diagnostics.containsErrors, let assignmentID, let total else { return nil }
        return Rubric(assignmentID: assignmentID, total: total, checks: checks, manual: manual, location: fields.location)
    }

    /// Whether a rubric's total and its sum of points agree, allowing for the rounding of decimal points such as 0.1 + 0.2.
    static func pointsAgree(_ total: Double, _ sum: Double) -> Bool {
        abs(total - sum) <= 1e-9 * max(1, abs(total))
    }

    private func assignment(_ node: Node) -> String? {
        guard let id = reader.text(node, key: "assignment") else { return nil }
        if id != spec.id {
            reader.report(.rubricForAnotherAssignment(id, specID: spec.id, specFile: specFile, at: reader.location(of: node)))
        }
        return id
    }

    /// The check entries; every check of the spec must appear exactly once. Missing checks are
    /// reported at `listKey`, the `checks:` line.
    private func checks(_ node: Node, listedAt listKey: Node) -> [RubricCheck] {
        guard let items = reader.list(node, key: "checks") else { return [] }
        var seen: [String: SourceLocation] = [:]
        var entries: [RubricCheck] = []
        for item in items {
            guard let fields = reader.mapping(item, "rubric check", allowed: Self.checkKeys) else { continue }
            let checkID = fields.required("check", reader).flatMap { node -> String? in
                guard let id = reader.text(node, key: "check") else { return nil }
                let location = reader.location(of: node)
                if spec.check(id: id) == nil {
                    reader.report(.unknownRubricCheck(id, specFile: specFile, specChecks: spec.allChecks.map(\.check.id), at: location))
                } else if let first = seen[id] {
                    reader.report(.duplicateRubricCheck(id, first: first, at: location))
                } else {
                    seen[id] = location
                }
                return id
            }
            let points = points(fields)
            automaticPoints += points ?? 0
            let credit = fields["credit"].map(self.credit) ?? .proportional
            if let checkID, let points, let credit {
                entries.append(RubricCheck(checkID: checkID, points: points, credit: credit, location: fields.location))
            }
        }
        for (_, check) in spec.allChecks where seen[check.id] == nil {
            reader.report(.missingRubricCheck(check.id, definedAt: check.location, at: reader.location(of: listKey)))
        }
        return entries
    }

    private func credit(_ node: Node) -> CreditRule? {
        guard let text = reader.text(node, key: "credit") else { return nil }
        guard let rule = CreditRule(rawValue: text) else {
            reader.report(.unknownCreditRule(text, at: reader.location(of: node)))
            return nil
        }
        return rule
    }

    private func manual(_ node: Node) -> [ManualItem] {
        guard let items = reader.list(node, key: "manual") else { return [] }
        var seen: [String: SourceLocation] = [:]
        var manual: [ManualItem] = []
        for item in items {
            guard let fields = reader.mapping(item, "manual item", allowed: Self.manualKeys) else { continue }
            let id = fields.required("id", reader).flatMap { node -> String? in
                guard let id = reader.identifier(node, key: "id") else { return nil }
                let location = reader.location(of: node)
                if let first = seen[id] {
                    reader.report(.duplicateManualID(id, first: first, at: location))
                } else if spec.check(id: id) != nil {
                    reader.report(.manualIDIsCheckID(id, at: location))
                } else {
                    seen[id] = location
                }
                return id
            }
            let title = fields.required("title", reader).flatMap { reader.text($0, key: "title") }
            let points = points(fields)
            manualPoints += points ?? 0
            if let id, let title, let points {
                manual.append(ManualItem(id: id, title: title, points: points, location: fields.location))
            }
        }
        return manual
    }

    /// The entry's `points`, more than 0; notes when they cannot be read.
    private func points(_ fields: SpecMapping) -> Double? {
        let points = fields.required("points", reader).flatMap { reader.positiveNumber($0, key: "points") }
        if points == nil { allPointsRead = false }
        return points
    }
}
