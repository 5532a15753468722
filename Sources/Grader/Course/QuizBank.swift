import Foundation

/// The end-of-course multiple-choice quiz: its questions, answer keys and scoring rules, from `Assignments/mcq.yaml`.
///
/// ```yaml
/// title: End-of-course quiz
/// topics: [gradient-descent, newton, ...]        # every question's topic must be listed here
/// scoring:
///   multiple-answer: all-or-nothing               # or partial (default: all-or-nothing)
///   negative-marking: false                       # default: false
/// questions:
///   - id: gd-step-size                            # unique; it is the column name in response files
///     topic: gradient-descent
///     points: 1                                   # default 1
///     penalty: 0.25                               # optional; used with negative marking (default: points / (options − 1))
///     question: "For f(x) = ½ L x², which fixed step sizes make gradient descent converge?"
///     options: {A: "...", B: "...", C: "...", D: "..."}   # letters A to Z, at least two
///     answer: B                                   # one letter: single answer; a list [A, C]: multiple answer
///     dropped: "the key was wrong"                # optional: the question no longer counts, for this reason
/// ```
public struct QuizBank: Sendable, Hashable {
    /// The quiz's title.
    public var title: String
    /// The course topics questions are filed under.
    public var topics: [String]
    /// How answers turn into points.
    public var scoring: QuizScoring
    /// The questions, in file order.
    public var questions: [QuizQuestion]
    /// Where the bank starts (its file is `location.file`).
    public var location: SourceLocation

    /// A bank with the given fields.
    public init(title: String, topics: [String], scoring: QuizScoring, questions: [QuizQuestion], location: SourceLocation) {
        self.title = title
        self.topics = topics
        self.scoring = scoring
        self.questions = questions
        self.location = location
    }

    /// The questions that count (not dropped).
    public var scoredQuestions: [QuizQuestion] { questions.filter { $0.dropped == nil } }

    /// The points available: the sum over questions that count.
    public var maxPoints: Double { scoredQuestions.reduce(0) { $0 + $1.points } }

    /// The question whose id is `id`, if any.
    public func question(_ id: String) -> QuizQuestion? { questions.first { $0.id == id } }

    /// The raw points of a whole quiz: the sum of every counted question's score, floored at 0.
    public func score(_ answers: [String: Set<String>]) -> Double {
        max(0, scoredQuestions.reduce(0) { $0 + $1.score(answers[$1.id] ?? [], rules: scoring) })
    }
}

/// How a quiz's answers turn into points.
public struct QuizScoring: Sendable, Hashable {
    /// How a multiple-answer question scores an answer that is not exactly its key.
    public enum MultipleAnswerRule: String, Sendable, Hashable, CaseIterable {
        /// Only the exact set of correct options earns anything.
        case allOrNothing = "all-or-nothing"
        /// Each correct option chosen earns its share; each wrong option chosen takes away a share of the wrong ones.
        case partial
    }

    /// The rule of multiple-answer questions.
    public var multipleAnswer: MultipleAnswerRule
    /// Whether a wrong answer costs points (the quiz as a whole is still floored at 0).
    public var negativeMarking: Bool

    /// Rules with the given values; defaults all-or-nothing, no negative marking.
    public init(multipleAnswer: MultipleAnswerRule = .allOrNothing, negativeMarking: Bool = false) {
        self.multipleAnswer = multipleAnswer
        self.negativeMarking = negativeMarking
    }
}

/// One question of the quiz.
public struct QuizQuestion: Sendable, Hashable {
    /// The id, which names its column in response files.
    public var id: String
    /// The course topic.
    public var topic: String
    /// The stem.
    public var text: String
    /// The option letters, sorted.
    public var optionLetters: [String]
    /// The option texts by letter.
    public var optionTexts: [String: String]
    /// The correct letters.
    public var key: Set<String>
    /// Whether the question asks for every correct option (its key was written as a list).
    public var isMultipleAnswer: Bool
    /// The points a correct answer earns.
    public var points: Double
    /// The points a wrong answer costs under negative marking.
    public var penalty: Double
    /// Why the question no longer counts, if it was dropped.
    public var dropped: String?
    /// Where the question is in the bank.
    public var location: SourceLocation

    /// A question with the given fields; `penalty` defaults to `points / (options − 1)`.
    public init(id: String, topic: String, text: String, options: [String: String], key: Set<String>, isMultipleAnswer: Bool,
                points: Double = 1, penalty: Double? = nil, dropped: String? = nil, location: SourceLocation) {
        self.id = id
        self.topic = topic
        self.text = text
        optionLetters = options.keys.sorted()
        optionTexts = options
        self.key = key
        self.isMultipleAnswer = isMultipleAnswer
        self.points = points
        self.penalty = penalty ?? points / Double(max(1, options.count - 1))
        self.dropped = dropped
        self.location = location
    }

    /// The points `answer` (the letters chosen; empty when left blank) earns under `rules`.
    ///
    /// - A blank answer scores 0.
    /// - The exact key earns `points`.
    /// - Any other answer scores 0, or `−penalty` under negative marking; except that a multiple-answer
    ///   question under partial scoring earns `points × (right chosen / right − wrong chosen / wrong)`,
    ///   floored at 0, or at `−penalty` under negative marking.
    public func score(_ answer: Set<String>, rules: QuizScoring) -> Double {
        if answer.isEmpty { return 0 }
        if answer == key { return points }
        let floor = rules.negativeMarking ? -penalty : 0
        guard isMultipleAnswer, rules.multipleAnswer == .partial else { return floor }
        let wrongOptions = optionLetters.count - key.count
        let right = Double(answer.intersection(key).count) / Double(key.count)
        let wrong = wrongOptions == 0 ? 0 : Double(answer.subtracting(key).count) / Double(wrongOptions)
        return max(floor, points * (right - wrong))
    }

    /// Whether `answer` is the exact key (full credit).
    public func isCorrect(_ answer: Set<String>) -> Bool { answer == key }
}
