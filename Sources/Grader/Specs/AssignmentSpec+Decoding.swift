import Yams

/// Builds an ``AssignmentSpec`` from a composed YAML tree, reporting every problem to a ``SpecNodeReader``.
///
/// Each task, check and case recipe is read on its own, so a bad one never hides the others'
/// problems. The result is nil whenever the reader holds an error.
final class AssignmentSpecDecoder {
    static let specKeys = ["id", "title", "protocol", "session", "due", "defaults", "tasks"]
    static let defaultsKeys = ["tolerance", "timeout"]
    static let taskKeys = ["id", "title", "checks"]
    static let checkKeys = ["id", "title", "kind", "call", "tolerance", "timeout", "limits", "settings", "expect", "public", "hidden"]
    static let toleranceKeys = ["absolute", "relative"]
    static let hiddenKeys = ["count", "problems"]
    /// The days from a practical's session to its due date under the course policy.
    static let daysToDue = 14

    private let reader: SpecNodeReader
    /// The check kinds a check may name.
    private let kinds: Set<CheckKind>
    /// The first place each task id was used.
    private var taskIDs: [String: SourceLocation] = [:]
    /// The first place each check id was used; check ids are unique across the whole file.
    private var checkIDs: [String: SourceLocation] = [:]

    init(reader: SpecNodeReader, kinds: Set<CheckKind>) {
        self.reader = reader
        self.kinds = kinds
    }

    /// The spec in `root`, or nil when the reader holds an error afterwards.
    func spec(_ root: Node) -> AssignmentSpec? {
        guard let fields = reader.mapping(root, "assignment spec", allowed: Self.specKeys) else { return nil }
        let id = fields.required("id", reader).flatMap { reader.identifier($0, key: "id") }
        let title = fields.required("title", reader).flatMap { reader.text($0, key: "title") }
        let protocolName = fields.required("protocol", reader).flatMap { reader.text($0, key: "protocol") }
        let session = fields.required("session", reader).flatMap { reader.date($0, key: "session") }
        let dueNode = fields.required("due", reader)
        let due = dueNode.flatMap { reader.date($0, key: "due") }
        if let session, let due, let dueNode {
            if due < session {
                reader.report(.dueBeforeSession(due: due, session: session, at: reader.location(of: dueNode)))
            } else if session.days(until: due) != Self.daysToDue {
                reader.report(.dueNotTwoWeeksAfterSession(due: due, session: session, at: reader.location(of: dueNode)))
            }
        }
        let defaults = fields["defaults"].map(self.defaults) ?? CheckDefaults(location: fields.location)
        let tasks = fields.required("tasks", reader).map(self.tasks) ?? []

        guard !reader.diagnostics.containsErrors, let id, let title, let protocolName, let session, let due,
              let defaults else { return nil }
        return AssignmentSpec(id: id, title: title, protocolName: protocolName, session: session, due: due,
                              defaults: defaults, tasks: tasks, location: fields.location)
    }

    private func defaults(_ node: Node) -> CheckDefaults? {
        guard let fields = reader.mapping(node, "'defaults'", allowed: Self.defaultsKeys) else { return nil }
        let toleranceNode = fields["tolerance"], timeoutNode = fields["timeout"]
        let tolerance = toleranceNode.flatMap(self.tolerance)
        let timeout = timeoutNode.flatMap { reader.positiveNumber($0, key: "timeout") }
        guard toleranceNode == nil || tolerance != nil, timeoutNode == nil || timeout != nil else { return nil }
        return CheckDefaults(tolerance: tolerance ?? CheckDefaults.builtInTolerance,
                             timeoutSeconds: timeout ?? CheckDefaults.builtInTimeoutSeconds, location: fields.location)
    }

    private func tasks(_ node: Node) -> [TaskSpec] {
        guard let items = reader.list(node, key: "tasks") else { return [] }
        if items.isEmpty { reader.report(.noTasks(at: reader.location(of: node))) }
        return items.compactMap(task)
    }

    private func task(_ node: Node) -> TaskSpec? {
        guard let fields = reader.mapping(node, "task", allowed: Self.taskKeys) else { return nil }
        let id = fields.required("id", reader).flatMap { idNode in
            reader.identifier(idNode, key: "id").map { claim($0, at: idNode, in: &taskIDs, duplicate: Diagnostic.duplicateTaskID) }
        }
        let title = fields.required("title", reader).flatMap { reader.text($0, key: "title") }
        var checks: [CheckSpec] = []
        if let checksNode = fields.required("checks", reader), let items = reader.list(checksNode, key: "checks") {
            if items.isEmpty { reader.report(.emptyList("checks", of: "check", at: reader.location(of: checksNode))) }
            checks = items.compactMap(check)
        }
        guard let id, let title else { return nil }
        return TaskSpec(id: id, title: title, checks: checks, location: fields.location)
    }

    private func check(_ node: Node) -> CheckSpec? {
        guard let fields = reader.mapping(node, "check", allowed: Self.checkKeys) else { return nil }
        let id = fields.required("id", reader).flatMap { idNode in
            reader.identifier(idNode, key: "id").map { claim($0, at: idNode, in: &checkIDs, duplicate: Diagnostic.duplicateCheckID) }
        }
        let title = fields["title"].flatMap { reader.text($0, key: "title") }
        let kind = fields.required("kind", reader).flatMap(self.kind)
        let callNode = fields.required("call", reader)
        let call = callNode.flatMap { reader.text($0, key: "call") }
        let tolerance = fields["tolerance"].flatMap(self.tolerance)
        let timeout = fields["timeout"].flatMap { reader.positiveNumber($0, key: "timeout") }
        let limits = fields["limits"].flatMap { reader.limitSettings($0, allowed: LimitSettings.checkKeys) } ?? LimitSettings()
        let settings = fields["settings"].map(self.settings) ?? [:]
        let expect = fields["expect"].map(expectations) ?? [:]
        let publicCases = fields["public"].map { recipes($0, key: "public", isPublic: true) } ?? []
        let hidden = fields["hidden"].flatMap(self.hiddenCases)
        // A `public` that is not a list is reported by `recipes`; here only a check with no cases at all.
        let noPublicCases = fields["public"].map { if case let .sequence(items) = $0 { items.isEmpty } else { false } } ?? true
        if let id, noPublicCases, fields["hidden"] == nil {
            reader.report(.checkWithoutCases(id, at: fields.location))
        }
        guard let id, let kind, let call, let callNode else { return nil }
        return CheckSpec(id: id, title: title, kind: kind, call: call, callLocation: reader.location(of: callNode),
                         tolerance: tolerance, timeoutSeconds: timeout, limits: limits, settings: settings, expect: expect,
                         publicCases: publicCases, hidden: hidden, location: fields.location)
    }

    private func kind(_ node: Node) -> CheckKind? {
        guard let text = reader.text(node, key: "kind") else { return nil }
        let kind = CheckKind(rawValue: text)
        guard kinds.contains(kind) else {
            reader.report(.unknownCheckKind(text, known: kinds.map(\.rawValue).sorted(), at: reader.location(of: node)))
            return nil
        }
        return kind
    }

    private func tolerance(_ node: Node) -> Tolerance? {
        guard let fields = reader.mapping(node, "'tolerance'", allowed: Self.toleranceKeys) else { return nil }
        func allowance(_ key: String) -> Double? {
            guard let node = fields.required(key, reader), let value = reader.number(node, key: key) else { return nil }
            guard value >= 0 else {
                reader.report(.negative(key, value: value, at: reader.location(of: node)))
                return nil
            }
            return value
        }
        let absolute = allowance("absolute"), relative = allowance("relative")
        guard let absolute, let relative else { return nil }
        guard absolute > 0 || relative > 0 else {
            reader.report(.zeroTolerance(at: fields.location))
            return nil
        }
        return Tolerance(absolute: absolute, relative: relative)
    }

    private func settings(_ node: Node) -> [String: ParameterValue] {
        guard let fields = reader.mapping(node, "'settings'", allowed: nil) else { return [:] }
        var settings: [String: ParameterValue] = [:]
        for entry in fields.entries {
            settings[entry.name] = reader.parameter(entry.value, name: entry.name)
        }
        return settings
    }

    private func expectations(_ node: Node) -> [String: Double] {
        guard let fields = reader.mapping(node, "'expect'", allowed: nil) else { return [:] }
        var expect: [String: Double] = [:]
        for entry in fields.entries {
            expect[entry.name] = reader.number(entry.value, key: entry.name)
        }
        return expect
    }

    private func hiddenCases(_ node: Node) -> HiddenCases? {
        guard let fields = reader.mapping(node, "'hidden'", allowed: Self.hiddenKeys) else { return nil }
        let count = fields.required("count", reader).flatMap { reader.positiveWholeNumber($0, key: "count") }
        var recipes: [CaseRecipe] = []
        if let problems = fields.required("problems", reader) {
            recipes = self.recipes(problems, key: "problems", isPublic: false)
            if case let .sequence(items) = problems, items.isEmpty {
                reader.report(.emptyList("problems", of: "recipe", at: reader.location(of: problems)))
            }
        }
        guard let count, !recipes.isEmpty else { return nil }
        return HiddenCases(count: count, recipes: recipes, location: fields.location)
    }

    private func recipes(_ node: Node, key: String, isPublic: Bool) -> [CaseRecipe] {
        reader.list(node, key: key)?.compactMap { recipe($0, isPublic: isPublic) } ?? []
    }

    private func recipe(_ node: Node, isPublic: Bool) -> CaseRecipe? {
        guard let fields = reader.mapping(node, "case recipe", allowed: nil) else { return nil }
        let problem = fields.required("problem", reader).flatMap { reader.text($0, key: "problem") }
        var seed: UInt64?
        if isPublic {
            if let node = fields["seed"] {
                seed = reader.seed(node)
            } else {
                reader.report(.publicCaseWithoutSeed(at: fields.location))
            }
        } else if let key = fields.key("seed") {
            reader.report(.hiddenCaseWithSeed(at: reader.location(of: key)))
        }
        var parameters: [String: ParameterValue] = [:]
        for entry in fields.entries where entry.name != "problem" && entry.name != "seed" {
            parameters[entry.name] = reader.parameter(entry.value, name: entry.name)
        }
        guard let problem else { return nil }
        return CaseRecipe(problem: problem, seed: seed, parameters: parameters, location: fields.location)
    }

    /// Records that `id` is used at `node`, reporting `duplicate` if it was used before; returns `id`.
    private func claim(_ id: String, at node: Node, in seen: inout [String: SourceLocation],
                       duplicate: (String, SourceLocation, SourceLocation) -> Diagnostic) -> String {
        let location = reader.location(of: node)
        if let first = seen[id] {
            reader.report(duplicate(id, first, location))
        } else {
            seen[id] = location
        }
        return id
    }
}
