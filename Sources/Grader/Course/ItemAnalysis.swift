import Foundation

/// Classical item analysis of a quiz: how hard each question was, whether it separates students who
/// know the course from those who do not, which options drew answers, and how reliable the quiz is.
///
/// An answer counts as correct when it earns full credit (it is exactly the key). With n students:
/// - difficulty p is the proportion correct;
/// - discrimination is the point-biserial correlation between a question (1 correct, 0 not) and the
///   student's number of correct answers on the *other* questions (the corrected item–rest
///   correlation, so a question is not correlated with itself); undefined when either does not vary;
/// - KR-20 = k/(k−1) · (1 − Σ p(1−p) / σ²), with k questions and σ² the population variance of the
///   number correct (Kuder and Richardson, 1937); undefined with fewer than 2 questions or σ² = 0.
///
/// A question is flagged when its discrimination is negative (students who do well overall get it
/// wrong more often: a wrong key or a misleading stem), or when everyone or no one answers it correctly
/// (it separates no one).
public struct ItemAnalysis: Sendable {
    /// The statistics of one question.
    public struct Item: Sendable {
        /// The question.
        public var questionID: String
        /// The proportion of students answering correctly.
        public var difficulty: Double
        /// The corrected point-biserial correlation, nil when undefined.
        public var discrimination: Double?
        /// The proportion of students choosing each option, by letter.
        public var optionShares: [String: Double]
        /// The proportion leaving the question blank.
        public var blankShare: Double
        /// Why the question is flagged; empty when it is not.
        public var flags: [Flag]
    }

    /// Why a question deserves a look.
    public enum Flag: String, Sendable, Hashable {
        /// Discrimination below 0.
        case negativeDiscrimination = "negative discrimination"
        /// Everyone answered correctly.
        case everyoneCorrect = "everyone correct"
        /// No one answered correctly.
        case noOneCorrect = "no one correct"
    }

    /// How many students answered.
    public let studentCount: Int
    /// One entry per question that counts, in bank order.
    public let items: [Item]
    /// KR-20, nil when undefined.
    public let kr20: Double?
    /// The mean number of correct answers.
    public let meanCorrect: Double
    /// The population standard deviation of the number of correct answers.
    public let standardDeviation: Double

    /// The analysis of `sheets` against the counted questions of `bank`.
    public init(bank: QuizBank, sheets: [QuizSheet]) {
        let questions = bank.scoredQuestions
        let n = Double(sheets.count)
        studentCount = sheets.count
        let correct: [[Double]] = questions.map { question in
            sheets.map { question.isCorrect($0.answers[question.id] ?? []) ? 1 : 0 }
        }
        let totals = sheets.indices.map { student in correct.reduce(0) { $0 + $1[student] } }
        let mean = n > 0 ? totals.reduce(0, +) / n : 0
        let variance = n > 0 ? totals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n : 0
        meanCorrect = mean
        standardDeviation = variance.squareRoot()
        var items: [Item] = []
        var sumPQ = 0.0
        for (index, question) in questions.enumerated() {
            let scores = correct[index]
            let p = n > 0 ? scores.reduce(0, +) / n : 0
            sumPQ += p * (1 - p)
            let rest = zip(totals, scores).map { $0 - $1 }
            let r = Self.correlation(scores, rest)
            var shares: [String: Double] = [:]
            for letter in question.optionLetters {
                shares[letter] = n > 0 ? Double(sheets.filter { $0.answers[question.id]?.contains(letter) == true }.count) / n : 0
            }
            let blank = n > 0 ? Double(sheets.filter { ($0.answers[question.id] ?? []).isEmpty }.count) / n : 0
            var flags: [Flag] = []
            if let r, r < 0 { flags.append(.negativeDiscrimination) }
            if n > 0, p == 1 { flags.append(.everyoneCorrect) }
            if n > 0, p == 0 { flags.append(.noOneCorrect) }
            items.append(Item(questionID: question.id, difficulty: p, discrimination: r, optionShares: shares, blankShare: blank, flags: flags))
        }
        self.items = items
        let k = Double(questions.count)
        kr20 = k >= 2 && variance > 0 ? k / (k - 1) * (1 - sumPQ / variance) : nil
    }

    /// The Pearson correlation of `x` and `y`, nil when either does not vary.
    static func correlation(_ x: [Double], _ y: [Double]) -> Double? {
        let n = Double(x.count)
        guard n > 1 else { return nil }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 1e-12, syy > 1e-12 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}
