import Foundation
import Yams

/// Builds a ``CoursePolicy`` from a composed YAML tree, reporting every problem to a ``SpecNodeReader``.
final class CoursePolicyDecoder {
    static let practicalKeys = ["id", "session", "weight"]
    static let quizKeys = ["weight", "bank"]
    static let lateKeys = ["due-after-days", "deadline", "grace-minutes", "penalty-percent-per-day", "zero-after-days"]
    static let roundingKeys = ["step", "mode"]
    static let moodleKeys = ["locale", "date-formats", "headers"]

    private let reader: SpecNodeReader

    init(reader: SpecNodeReader) {
        self.reader = reader
    }

    /// The policy in `root`, or nil when the reader holds an error afterwards.
    func policy(_ root: Node) -> CoursePolicy? {
        guard let fields = reader.mapping(root, "course policy", allowed: CoursePolicy.keys) else { return nil }
        var policy = CoursePolicy(location: fields.location)
        if let node = fields["name"], let name = reader.text(node, key: "name") { policy.name = name }
        if let node = fields["roster"], let path = relativePath(node, key: "roster") { policy.rosterPath = path }
        if let node = fields["time-zone"], let zone = timeZone(node) { policy.timeZone = zone }
        if let node = fields["practicals"] { policy.practicals = practicals(node) }
        if let node = fields["quiz"] { policy.quiz = quiz(node) }
        if let node = fields["scale"], let scale = reader.positiveNumber(node, key: "scale") { policy.scale = scale }
        if let node = fields["late"], let late = late(node) { policy.late = late }
        if let node = fields["rounding"], let rounding = rounding(node) { policy.rounding = rounding }
        if let node = fields["limits"], let limits = reader.limitSettings(node, allowed: LimitSettings.policyKeys) { policy.limits = limits }
        if let node = fields["moodle"], let moodle = moodle(node) { policy.moodle = moodle }
        checkWeights(policy, fields: fields)
        return reader.diagnostics.containsErrors ? nil : policy
    }

    /// Weights must add up to 100 once the course lists anything that carries one.
    private func checkWeights(_ policy: CoursePolicy, fields: SpecMapping) {
        guard !policy.practicals.isEmpty || policy.quiz != nil, !reader.diagnostics.containsErrors else { return }
        let practicalWeights = policy.practicals.reduce(0) { $0 + $1.weight }
        let total = practicalWeights + (policy.quiz?.weight ?? 0)
        guard abs(total - 100) > 1e-9 else { return }
        let node = fields.key("quiz") ?? fields.key("practicals")
        reader.report(.weightsNotHundred(practicals: practicalWeights, quiz: policy.quiz?.weight ?? 0,
                                         at: node.map(reader.location(of:)) ?? fields.location))
    }

    private func practicals(_ node: Node) -> [PracticalWeight] {
        guard let items = reader.list(node, key: "practicals") else { return [] }
        if items.isEmpty { reader.report(.emptyList("practicals", of: "practical", at: reader.location(of: node))) }
        var seen: [String: SourceLocation] = [:]
        var practicals: [PracticalWeight] = []
        for item in items {
            guard let fields = reader.mapping(item, "practical", allowed: Self.practicalKeys) else { continue }
            let id = fields.required("id", reader).flatMap { reader.identifier($0, key: "id") }
            let session = fields.required("session", reader).flatMap { reader.date($0, key: "session") }
            let weight = fields.required("weight", reader).flatMap { reader.nonNegativeNumber($0, key: "weight") }
            if let id, let idNode = fields["id"] {
                if let first = seen[id] {
                    reader.report(.duplicatePracticalID(id, first: first, at: reader.location(of: idNode)))
                } else {
                    seen[id] = reader.location(of: idNode)
                }
            }
            if let id, let session, let weight {
                practicals.append(PracticalWeight(id: id, session: session, weight: weight, location: fields.location))
            }
        }
        return practicals
    }

    private func quiz(_ node: Node) -> QuizWeight? {
        guard let fields = reader.mapping(node, "quiz", allowed: Self.quizKeys) else { return nil }
        let weight = fields.required("weight", reader).flatMap { reader.nonNegativeNumber($0, key: "weight") }
        let bank = fields["bank"].map { relativePath($0, key: "bank") } ?? QuizWeight.defaultBankPath
        guard let weight, let bank else { return nil }
        return QuizWeight(weight: weight, bankPath: bank, location: fields.location)
    }

    private func late(_ node: Node) -> LatePolicy? {
        guard let fields = reader.mapping(node, "late policy", allowed: Self.lateKeys) else { return nil }
        var late = LatePolicy()
        if let node = fields["due-after-days"], let days = reader.wholeNumber(node, key: "due-after-days") { late.dueAfterDays = days }
        if let node = fields["deadline"], let minutes = timeOfDay(node, key: "deadline") { late.deadlineMinutes = minutes }
        if let node = fields["grace-minutes"], let minutes = reader.wholeNumber(node, key: "grace-minutes") { late.graceMinutes = minutes }
        if let node = fields["penalty-percent-per-day"], let percent = reader.nonNegativeNumber(node, key: "penalty-percent-per-day") {
            if percent > 100 {
                reader.report(.percentAboveHundred("penalty-percent-per-day", value: percent, at: reader.location(of: node)))
            } else {
                late.penaltyPercentPerDay = percent
            }
        }
        if let node = fields["zero-after-days"], let days = reader.wholeNumber(node, key: "zero-after-days") { late.zeroAfterDays = days }
        return late
    }

    private func moodle(_ node: Node) -> MoodleSettings? {
        guard let fields = reader.mapping(node, "moodle", allowed: Self.moodleKeys) else { return nil }
        var settings = MoodleSettings()
        if let node = fields["locale"], let locale = reader.text(node, key: "locale") { settings.locale = locale }
        if let node = fields["date-formats"], let items = reader.list(node, key: "date-formats") {
            let formats = items.compactMap { reader.text($0, key: "date-formats") }
            if formats.isEmpty { reader.report(.emptyList("date-formats", of: "date pattern", at: reader.location(of: node))) } else { settings.dateFormats = formats }
        }
        if let node = fields["headers"], let headers = reader.mapping(node, "headers", allowed: nil) {
            for entry in headers.entries {
                guard let english = reader.text(entry.value, key: entry.name) else { continue }
                guard MoodleSettings.englishHeaders.contains(english) else {
                    reader.report(.unknownChoice(entry.name, value: english, choices: MoodleSettings.englishHeaders, at: reader.location(of: entry.value)))
                    continue
                }
                settings.headers[entry.name] = english
            }
        }
        return settings
    }

    private func rounding(_ node: Node) -> RoundingRule? {
        guard let fields = reader.mapping(node, "rounding", allowed: Self.roundingKeys) else { return nil }
        var rule = RoundingRule()
        if let node = fields["step"], let step = reader.positiveNumber(node, key: "step") { rule.step = step }
        if let node = fields["mode"], let text = reader.text(node, key: "mode") {
            if let mode = RoundingRule.Mode(rawValue: text) {
                rule.mode = mode
            } else {
                reader.report(.unknownChoice("mode", value: text, choices: RoundingRule.Mode.allCases.map(\.rawValue), at: reader.location(of: node)))
            }
        }
        return rule
    }

    private func timeZone(_ node: Node) -> TimeZone? {
        guard let name = reader.text(node, key: "time-zone") else { return nil }
        guard let zone = TimeZone(identifier: name) else {
            reader.report(.unknownTimeZone(name, at: reader.location(of: node)))
            return nil
        }
        return zone
    }

    /// `HH:MM` as minutes after midnight.
    private func timeOfDay(_ node: Node, key: String) -> Int? {
        guard let text = reader.text(node, key: key) else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute) else {
            reader.report(.notATimeOfDay(key, found: text, at: reader.location(of: node)))
            return nil
        }
        return hour * 60 + minute
    }

    /// A path inside the course folder: relative, without `..`.
    private func relativePath(_ node: Node, key: String) -> String? {
        guard let path = reader.text(node, key: key) else { return nil }
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            reader.report(.pathOutsideCourse(key, path: path, at: reader.location(of: node)))
            return nil
        }
        return path
    }
}

extension SpecNodeReader {
    /// A finite number at least 0.
    func nonNegativeNumber(_ node: Node, key: String) -> Double? {
        guard let value = number(node, key: key) else { return nil }
        guard value >= 0 else {
            report(.negative(key, value: value, at: location(of: node)))
            return nil
        }
        return value
    }

    /// A whole number at least 0.
    func wholeNumber(_ node: Node, key: String) -> Int? {
        guard let value = number(node, key: key) else { return nil }
        guard value == value.rounded(), abs(value) < 1e9 else {
            report(.notAWholeNumber(key, found: SpecNumber.format(value), at: location(of: node)))
            return nil
        }
        guard value >= 0 else {
            report(.negative(key, value: value, at: location(of: node)))
            return nil
        }
        return Int(value)
    }
}

extension Diagnostic {
    // MARK: Course policy

    static func weightsNotHundred(practicals: Double, quiz: Double, at location: SourceLocation) -> Diagnostic {
        let total = SpecNumber.format(practicals + quiz)
        return .error("weights add up to \(total), not 100 (practicals \(SpecNumber.format(practicals)) + quiz \(SpecNumber.format(quiz)))", at: location)
    }

    static func duplicatePracticalID(_ id: String, first: SourceLocation, at location: SourceLocation) -> Diagnostic {
        .error("practical '\(id)' is already listed at line \(first.line)", at: location)
    }

    static func percentAboveHundred(_ key: String, value: Double, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' is a percentage and must be at most 100, not \(SpecNumber.format(value))", at: location)
    }

    static func unknownChoice(_ key: String, value: String, choices: [String], at location: SourceLocation) -> Diagnostic {
        let guess = NameSuggestion.closest(to: value, among: choices).map { "; did you mean '\($0)'?" } ?? ""
        return .error("unknown \(key) '\(value)'\(guess) (use one of: \(choices.joined(separator: ", ")))", at: location)
    }

    static func unknownTimeZone(_ name: String, at location: SourceLocation) -> Diagnostic {
        .error("unknown time zone '\(name)'; use an IANA name such as Europe/Paris", at: location)
    }

    static func notATimeOfDay(_ key: String, found: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must be a time of day written HH:MM (24-hour), not '\(found)'", at: location)
    }

    static func pathOutsideCourse(_ key: String, path: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must be a path inside the course folder (relative, without '..'), not '\(path)'", at: location)
    }

    static func sessionDisagrees(_ id: String, policySession: CourseDate, specSession: CourseDate, specFile: String,
                                 at location: SourceLocation) -> Diagnostic {
        .error("practical '\(id)' has session \(policySession) here but \(specSession) in \(specFile); make them agree", at: location)
    }

    static func dueDisagrees(_ id: String, policyDue: CourseDate, specDue: CourseDate, specFile: String, at location: SourceLocation) -> Diagnostic {
        .error("practical '\(id)' is due \(policyDue) under the late policy (session + due-after-days) but \(specDue) in \(specFile); make them agree", at: location)
    }
}

extension CoursePolicy {
    /// Problems between this policy and `spec`: a session or due date that disagrees with the policy's.
    ///
    /// A spec the policy does not list has nothing to disagree with; it simply does not count towards the course grade.
    public func diagnose(against spec: AssignmentSpec) -> [Diagnostic] {
        guard let entry = practical(spec.id) else { return [] }
        let specFile = URL(fileURLWithPath: spec.location.file).lastPathComponent
        var diagnostics: [Diagnostic] = []
        if entry.session != spec.session {
            diagnostics.append(.sessionDisagrees(spec.id, policySession: entry.session, specSession: spec.session, specFile: specFile,
                                                 at: entry.location))
        }
        let due = entry.session.adding(days: late.dueAfterDays)
        if entry.session == spec.session, due != spec.due {
            diagnostics.append(.dueDisagrees(spec.id, policyDue: due, specDue: spec.due, specFile: specFile, at: entry.location))
        }
        return diagnostics
    }
}
