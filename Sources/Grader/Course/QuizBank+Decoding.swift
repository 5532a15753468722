import Foundation
import Yams

/// Builds a ``QuizBank`` from a composed YAML tree, reporting every problem to a ``SpecNodeReader``.
final class QuizBankDecoder {
    static let bankKeys = ["title", "topics", "scoring", "questions"]
    static let scoringKeys = ["multiple-answer", "negative-marking"]
    static let questionKeys = ["id", "topic", "points", "penalty", "question", "options", "answer", "dropped"]

    private let reader: SpecNodeReader

    init(reader: SpecNodeReader) {
        self.reader = reader
    }

    /// The bank in `root`, or nil when the reader holds an error afterwards.
    func bank(_ root: Node) -> QuizBank? {
        guard let fields = reader.mapping(root, "quiz bank", allowed: Self.bankKeys) else { return nil }
        let title = fields.required("title", reader).flatMap { reader.text($0, key: "title") }
        let topics = fields.required("topics", reader).map(topicList) ?? []
        let scoring = fields["scoring"].flatMap(scoringRules) ?? QuizScoring()
        var questions: [QuizQuestion] = []
        if let node = fields.required("questions", reader), let items = reader.list(node, key: "questions") {
            if items.isEmpty { reader.report(.emptyList("questions", of: "question", at: reader.location(of: node))) }
            var seen: [String: SourceLocation] = [:]
            for item in items {
                guard let question = question(item, topics: topics) else { continue }
                if let first = seen[question.id] {
                    reader.report(.error("question id '\(question.id)' is already used by the question at line \(first.line)", at: question.location))
                } else {
                    seen[question.id] = question.location
                    questions.append(question)
                }
            }
            for topic in topics where !questions.contains(where: { $0.topic == topic }) {
                reader.report(.warning("topic '\(topic)' has no question", at: reader.location(of: node)))
            }
        }
        guard !reader.diagnostics.containsErrors, let title else { return nil }
        return QuizBank(title: title, topics: topics, scoring: scoring, questions: questions, location: fields.location)
    }

    private func topicList(_ node: Node) -> [String] {
        guard let items = reader.list(node, key: "topics") else { return [] }
        var topics: [String] = []
        for item in items {
            guard let topic = reader.identifier(item, key: "topic") else { continue }
            if topics.contains(topic) {
                reader.report(.error("topic '\(topic)' is listed twice", at: reader.location(of: item)))
            } else {
                topics.append(topic)
            }
        }
        return topics
    }

    private func scoringRules(_ node: Node) -> QuizScoring? {
        guard let fields = reader.mapping(node, "scoring", allowed: Self.scoringKeys) else { return nil }
        var rules = QuizScoring()
        if let node = fields["multiple-answer"], let text = reader.text(node, key: "multiple-answer") {
            if let rule = QuizScoring.MultipleAnswerRule(rawValue: text) {
                rules.multipleAnswer = rule
            } else {
                reader.report(.unknownChoice("multiple-answer rule", value: text,
                                             choices: QuizScoring.MultipleAnswerRule.allCases.map(\.rawValue), at: reader.location(of: node)))
            }
        }
        if let node = fields["negative-marking"] {
            if let flag = node.bool {
                rules.negativeMarking = flag
            } else {
                reader.report(.error("'negative-marking' must be true or false", at: reader.location(of: node)))
            }
        }
        return rules
    }

    private func question(_ node: Node, topics: [String]) -> QuizQuestion? {
        guard let fields = reader.mapping(node, "question", allowed: Self.questionKeys) else { return nil }
        let id = fields.required("id", reader).flatMap { reader.identifier($0, key: "id") }
        let topic = fields.required("topic", reader).flatMap { node -> String? in
            guard let topic = reader.text(node, key: "topic") else { return nil }
            if !topics.isEmpty, !topics.contains(topic) {
                reader.report(.unknownChoice("topic", value: topic, choices: topics, at: reader.location(of: node)))
            }
            return topic
        }
        let text = fields.required("question", reader).flatMap { reader.text($0, key: "question") }
        let points = fields["points"].map { reader.positiveNumber($0, key: "points") } ?? 1
        let penalty = fields["penalty"].flatMap { reader.nonNegativeNumber($0, key: "penalty") }
        let dropped = fields["dropped"].flatMap { reader.text($0, key: "dropped") }
        let options = fields.required("options", reader).flatMap(self.options)
        var key: Set<String>?
        var multiple = false
        if let node = fields.required("answer", reader) {
            (key, multiple) = answer(node, options: options)
        }
        guard let id, let topic, let text, let points, let options, let key else { return nil }
        return QuizQuestion(id: id, topic: topic, text: text, options: options, key: key, isMultipleAnswer: multiple,
                            points: points, penalty: penalty, dropped: dropped, location: fields.location)
    }

    private func options(_ node: Node) -> [String: String]? {
        guard let fields = reader.mapping(node, "options", allowed: nil) else { return nil }
        var options: [String: String] = [:]
        for entry in fields.entries {
            guard Self.isOptionLetter(entry.name) else {
                reader.report(.error("option '\(entry.name)' must be one capital letter, A to Z", at: reader.location(of: entry.key)))
                continue
            }
            if let text = reader.text(entry.value, key: entry.name) { options[entry.name] = text }
        }
        if fields.entries.count < 2 {
            reader.report(.error("a question needs at least two options", at: reader.location(of: node)))
            return nil
        }
        return options.count == fields.entries.count ? options : nil
    }

    /// The key: one letter (single answer) or a list of distinct letters (multiple answer), each an option.
    private func answer(_ node: Node, options: [String: String]?) -> (Set<String>?, Bool) {
        let letters: [Node]
        let multiple: Bool
        if case let .sequence(sequence) = node {
            letters = Array(sequence)
            multiple = true
            if letters.isEmpty {
                reader.report(.error("'answer' must list at least one option", at: reader.location(of: node)))
                return (nil, true)
            }
        } else {
            letters = [node]
            multiple = false
        }
        var key = Set<String>()
        var valid = true
        for item in letters {
            guard let letter = reader.text(item, key: "answer") else { valid = false; continue }
            guard Self.isOptionLetter(letter), options == nil || options?[letter] != nil else {
                let known = options.map { $0.keys.sorted().joined(separator: ", ") } ?? "A to Z"
                reader.report(.error("answer '\(letter)' is not one of the options (\(known))", at: reader.location(of: item)))
                valid = false
                continue
            }
            if !key.insert(letter).inserted {
                reader.report(.error("answer '\(letter)' is listed twice", at: reader.location(of: item)))
                valid = false
            }
        }
        if valid, let options, multiple, key.count == options.count {
            reader.report(.warning("every option is correct; the question tests nothing", at: reader.location(of: node)))
        }
        return (valid ? key : nil, multiple)
    }

    static func isOptionLetter(_ text: String) -> Bool {
        text.count == 1 && text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
    }
}

extension QuizBank {
    /// The bank of `layout`'s course at `path` (the course policy's `quiz.bank`).
    public static func load(from layout: CourseLayout, path: String = QuizWeight.defaultBankPath) throws -> QuizBank {
        try SpecLoader.diagnoseQuizBank(at: URL(fileURLWithPath: path, relativeTo: layout.root)).get()
    }
}
