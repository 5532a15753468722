import CourseDrivers
import Foundation
import Testing
@testable import Grader

/// The quiz: the bank's validation, the scoring rules, the response files and the item analysis,
/// all against hand-computed values.
@Suite struct QuizTests {
    static let smallBank = """
        title: Small quiz
        topics: [gradient-descent, newton]
        scoring: {multiple-answer: partial, negative-marking: true}
        questions:
          - id: q1
            topic: gradient-descent
            question: "Single, four options"
            options: {A: a, B: b, C: c, D: d}
            answer: A
          - id: q2
            topic: newton
            points: 2
            question: "Multiple, key A and C"
            options: {A: a, B: b, C: c, D: d}
            answer: [A, C]
          - id: q3
            topic: newton
            penalty: 0.5
            question: "Single, two options"
            options: {A: a, B: b}
            answer: B
        """

    static func bank(_ yaml: String = smallBank) throws -> QuizBank {
        try SpecLoader.diagnoseQuizBank(yaml: yaml, file: "mcq.yaml").get()
    }

    @Test func theShippedBankCoversTheCourse() throws {
        let bank = try QuizBank.load(from: TestSupport.course)
        #expect(bank.questions.count >= 30)
        #expect(Set(bank.questions.map(\.topic)) == Set([
            "gradient-descent", "optimality-convexity", "newton", "perceptron-xor", "activations-losses", "backpropagation",
            "vanishing-exploding", "sgd-minibatch", "momentum-adaptive", "cnn-pooling", "adversarial-gan",
        ]))
        #expect(bank.questions.contains { $0.isMultipleAnswer } && bank.questions.contains { !$0.isMultipleAnswer })
        #expect(SpecLoader.diagnoseQuizBank(at: TestSupport.repositoryRoot.appendingPathComponent("Assignments/mcq.yaml")).diagnostics.isEmpty)
    }

    @Test func singleAnswerQuestionsScoreTheKeyBlankAndWrong() throws {
        let bank = try Self.bank()
        let q1 = try #require(bank.question("q1"))
        #expect(q1.penalty == 1.0 / 3)                                    // points / (options − 1)
        let plain = QuizScoring(multipleAnswer: .allOrNothing, negativeMarking: false)
        let negative = QuizScoring(multipleAnswer: .allOrNothing, negativeMarking: true)
        #expect(q1.score(["A"], rules: plain) == 1 && q1.score([], rules: plain) == 0 && q1.score(["B"], rules: plain) == 0)
        #expect(q1.score(["B"], rules: negative) == -1.0 / 3 && q1.score([], rules: negative) == 0)
        #expect(q1.score(["A", "B"], rules: plain) == 0)                  // two marks on a single-answer question: wrong
        #expect(try #require(bank.question("q3")).score(["A"], rules: negative) == -0.5)   // its own penalty
    }

    @Test func multipleAnswerQuestionsScoreAllOrNothingOrPartially() throws {
        let q2 = try #require(try Self.bank().question("q2"))             // 2 points, key {A, C}, wrong options {B, D}
        #expect(q2.isMultipleAnswer && q2.penalty == 2.0 / 3)
        let all = QuizScoring(multipleAnswer: .allOrNothing, negativeMarking: false)
        #expect(q2.score(["A", "C"], rules: all) == 2 && q2.score(["A"], rules: all) == 0 && q2.score(["A", "B", "C"], rules: all) == 0)
        let partial = QuizScoring(multipleAnswer: .partial, negativeMarking: false)
        #expect(q2.score(["A"], rules: partial) == 1)                     // 2 · (1/2 − 0)
        #expect(q2.score(["A", "C", "D"], rules: partial) == 1)           // 2 · (1 − 1/2)
        #expect(q2.score(["A", "B"], rules: partial) == 0)                // 2 · (1/2 − 1/2)
        #expect(q2.score(["B"], rules: partial) == 0)                     // 2 · (0 − 1/2) = −1, floored at 0
        let partialNegative = QuizScoring(multipleAnswer: .partial, negativeMarking: true)
        #expect(q2.score(["B"], rules: partialNegative) == -2.0 / 3)      // −1, floored at −penalty
        #expect(q2.score(["B", "D"], rules: partialNegative) == -2.0 / 3)
        #expect(q2.score([], rules: partialNegative) == 0)
    }

    @Test func aWholeQuizIsFlooredAtZero() throws {
        let bank = try Self.bank()                                        // partial, negative marking; 4 points in all
        #expect(bank.maxPoints == 4)
        #expect(bank.score(["q1": ["A"], "q2": ["A"], "q3": ["B"]]) == 3)  // 1 + 1 + 1
        #expect(abs(bank.score(["q1": ["A"], "q2": ["B"], "q3": []]) - 1.0 / 3) < 1e-12)   // 1 − 2/3 + 0
        #expect(bank.score(["q1": ["B"], "q2": ["B"], "q3": ["A"]]) == 0)  // −1/3 − 2/3 − 1/2, floored
        var dropped = bank
        dropped.questions[0].dropped = "ambiguous stem"
        #expect(dropped.maxPoints == 3 && dropped.score(["q1": ["A"], "q2": ["A", "C"]]) == 2)
    }

    @Test func theBankIsValidatedAtItsLines() {
        let yaml = """
            title: Bad quiz
            topics: [gradient-descent]
            scoring: {multiple-answer: some, negative-marking: maybe}
            questions:
              - id: q1
                topic: gradient-descnt
                question: "Key not an option"
                options: {A: a, B: b}
                answer: C
              - id: q1
                topic: gradient-descent
                question: "Repeated id, one option"
                options: {A: a}
                answer: A
              - id: q3
                topic: gradient-descent
                question: "Lowercase option, repeated answer"
                options: {a: x, B: y}
                answer: [B, B]
            """
        #expect(SpecLoader.diagnoseQuizBank(yaml: yaml, file: "mcq.yaml").diagnostics.map(\.description) == [
            "mcq.yaml:3:28: error: unknown multiple-answer rule 'some' (use one of: all-or-nothing, partial)",
            "mcq.yaml:3:52: error: 'negative-marking' must be true or false",
            "mcq.yaml:5:3: warning: topic 'gradient-descent' has no question",
            "mcq.yaml:6:12: error: unknown topic 'gradient-descnt'; did you mean 'gradient-descent'? (use one of: gradient-descent)",
            "mcq.yaml:9:13: error: answer 'C' is not one of the options (A, B)",
            "mcq.yaml:13:14: error: a question needs at least two options",
            "mcq.yaml:18:15: error: option 'a' must be one capital letter, A to Z",
            "mcq.yaml:19:17: error: answer 'B' is listed twice",
        ])
    }

    static let roster = Roster(students: ["s1", "s2", "s3", "s4", "s5"].map { Roster.Student(id: $0, name: $0, email: "\($0)@example.edu") })

    @Test func responsesAreCheckedRowByRowAndNothingIsReturnedIfOneIsBad() throws {
        let bank = try Self.bank()
        let good = try CSVTable.parse("student_id,q1,q2,q3\ns1,A,a;c,\ns2, b ,C;A,B\n", file: "responses.csv")
        let sheets = try QuizResponseFile.parse(good, bank: bank, roster: Self.roster)
        #expect(sheets.map(\.studentID) == ["s1", "s2"])
        #expect(sheets[0].answers == ["q1": ["A"], "q2": ["A", "C"], "q3": []])
        #expect(sheets[1].answers == ["q1": ["B"], "q2": ["A", "C"], "q3": ["B"]] && sheets[1].line == 3)
        let bad = try CSVTable.parse("""
            student_id,q1,q2,q3
            s1,A,A;C,B
            zoe,A,,
            s1,B,,
            s2,E,A;A,B
            s3,AB,,A
            """, file: "responses.csv")
        #expect(throws: SpecError.self) { try QuizResponseFile.parse(bad, bank: bank, roster: Self.roster) }
        do { _ = try QuizResponseFile.parse(bad, bank: bank, roster: Self.roster) } catch let error as SpecError {
            #expect(error.diagnostics.map(\.description) == [
                "responses.csv:3:1: error: student 'zoe' is not on the roster",
                "responses.csv:4:1: error: student 's1' already has responses at line 2",
                "responses.csv:5:1: error: question 'q1': 'E' is not among its options (A, B, C, D)",
                "responses.csv:5:1: error: question 'q2': 'A' is given twice in 'A;A'",
                "responses.csv:6:1: error: question 'q1': 'AB' is not an option letter; write answers like B or A;C",
            ])
        }
        let columns = try CSVTable.parse("student_id,q1,q22\ns1,A,B\n", file: "responses.csv")
        do { _ = try QuizResponseFile.parse(columns, bank: bank, roster: Self.roster) } catch let error as SpecError {
            #expect(error.diagnostics.map(\.description) == [
                "responses.csv:1:1: error: column 'q22' is not a question of mcq.yaml; did you mean 'q2'?",
                "responses.csv:1:1: error: no column for questions q2, q3",
            ])
        }
    }

    @Test func csvProblemsAreReportedWithTheirLines() {
        func problems(_ text: String) -> [String] {
            do { _ = try CSVTable.parse(text, file: "f.csv"); return [] } catch let error as SpecError {
                return error.diagnostics.map(\.description)
            } catch { return ["\(error)"] }
        }
        #expect(problems("") == ["f.csv: error: the file is empty; expected a header row"])
        #expect(problems("student_id;q1;q2\ns1;A;B\n") == ["f.csv:1:1: error: the header has one column, 'student_id;q1;q2': the file looks separated by ';'; save it as CSV with commas"])
        #expect(problems("a,b,a\n1,2,3\n") == ["f.csv:1:1: error: column 'a' appears twice in the header (columns 1 and 3)"])
        #expect(problems("a,b\n1,2\n\n3\n4,5,6\n") == ["f.csv:4:1: error: this row has 1 field but the header has 2",
                                                        "f.csv:5:1: error: this row has 3 fields but the header has 2"])
        #expect(problems("a,b\n1,\"open\n2,3\n") == ["f.csv:2:1: error: a quoted field runs over 3 lines; is a closing quote missing?"])
        let table = try? CSVTable.parse("\u{FEFF}a,b\r\n1,\"x, y\"\r\n\r\n2,3\r\n", file: "f.csv")
        #expect(table?.header == ["a", "b"] && table?.records.map(\.line) == [2, 4] && table?.records[0].fields == ["1", "x, y"])
    }

    @Test func theRosterRefusesBadLines() throws {
        let roster = try Roster.parse(CSVTable.parse("student_id,name,email,group\nalice,Alice Martin,alice@example.edu,A\n", file: "roster.csv"))
        #expect(roster.students == [Roster.Student(id: "alice", name: "Alice Martin", email: "alice@example.edu", line: 2)])
        let bad = try CSVTable.parse("""
            student_id,name,email
            alice,Alice,alice@example.edu
            alice,Alice Again,alice2@example.edu
            bob smith,Bob,bob@example.edu
            carl,,carl@example.edu
            dana,Dana,dana.example.edu
            erin,Erin,ALICE@example.edu
            """, file: "roster.csv")
        do { _ = try Roster.parse(bad); Issue.record("a bad roster was accepted") } catch let error as SpecError {
            #expect(error.diagnostics.map(\.description) == [
                "roster.csv:3:1: error: student 'alice' is already listed at line 2",
                "roster.csv:4:1: error: 'bob smith' is not a valid student_id: no spaces, quotes, commas, semicolons, '/' or leading '.'",
                "roster.csv:5:1: error: student 'carl' has no name",
                "roster.csv:6:1: error: 'dana.example.edu' is not an email address",
                "roster.csv:7:1: error: email 'ALICE@example.edu' is already used at line 2",
            ])
        }
        let shipped = try Roster.load(TestSupport.repositoryRoot.appendingPathComponent("Submissions/roster.csv"))
        #expect(shipped.students.map(\.id) == ["alice", "bastien", "chloe", "dmitri", "emma", "farid", "gabriel", "hugo"])
    }

    /// Five students, four single-answer questions keyed A (1 = correct):
    ///
    ///          q1 q2 q3 q4 | total
    ///     s1    1  1  0  1 |  3
    ///     s2    1  1  0  1 |  3
    ///     s3    1  1  1  0 |  3
    ///     s4    1  0  1  0 |  2
    ///     s5    1  0  1  0 |  2
    ///
    /// p = 1, 0.6, 0.6, 0.4. Totals: mean 2.6, population variance 0.24.
    /// q2 against the rest (totals less q2: 2, 2, 2, 2, 2): the rest does not vary, so r is undefined.
    /// q3 (0, 0, 1, 1, 1) against the rest (3, 3, 2, 1, 1): Σ(x − x̄)(y − ȳ) = −2, Σ(x − x̄)² = 1.2,
    /// Σ(y − ȳ)² = 4, so r = −2 / √4.8 = −0.913 (negative: flagged).
    /// q4 (1, 1, 0, 0, 0) against the rest (2, 2, 3, 2, 2): −0.4, 1.2 and 0.8, so r = −0.4 / √0.96 = −0.408 (flagged).
    /// q1 is answered correctly by everyone (flagged), and its rest is the total (no variance of q1: r undefined).
    /// KR-20 = 4/3 · (1 − (0 + 0.24 + 0.24 + 0.24) / 0.24) = 4/3 · (1 − 3) = −2.6667.
    @Test func itemAnalysisMatchesHandComputedStatistics() throws {
        let bank = try Self.bank("""
            title: Four
            topics: [t]
            questions:
              - {id: q1, topic: t, question: "1", options: {A: a, B: b, C: c}, answer: A}
              - {id: q2, topic: t, question: "2", options: {A: a, B: b, C: c}, answer: A}
              - {id: q3, topic: t, question: "3", options: {A: a, B: b, C: c}, answer: A}
              - {id: q4, topic: t, question: "4", options: {A: a, B: b, C: c}, answer: A}
            """)
        let rows = [("s1", "A", "A", "B", "A"), ("s2", "A", "A", "C", "A"), ("s3", "A", "A", "A", "B"), ("s4", "A", "B", "A", ""), ("s5", "A", "B", "A", "C")]
        let sheets = rows.map { row in
            QuizSheet(studentID: row.0, answers: ["q1": [row.1], "q2": [row.2], "q3": [row.3], "q4": row.4.isEmpty ? [] : [row.4]])
        }
        let analysis = ItemAnalysis(bank: bank, sheets: sheets)
        #expect(analysis.studentCount == 5)
        #expect(analysis.items.map(\.difficulty) == [1, 0.6, 0.6, 0.4])
        #expect(abs(analysis.meanCorrect - 2.6) < 1e-12 && abs(analysis.standardDeviation - 0.24.squareRoot()) < 1e-12)
        #expect(analysis.items[0].discrimination == nil && analysis.items[1].discrimination == nil)
        #expect(abs(try #require(analysis.items[2].discrimination) - (-2 / (1.2 * 4).squareRoot())) < 1e-12)
        #expect(abs(try #require(analysis.items[3].discrimination) - (-0.4 / (1.2 * 0.8).squareRoot())) < 1e-12)
        #expect(abs(try #require(analysis.kr20) - (-8.0 / 3)) < 1e-12)
        #expect(analysis.items.map(\.flags) == [[.everyoneCorrect], [], [.negativeDiscrimination], [.negativeDiscrimination]])
        #expect(analysis.items[3].optionShares == ["A": 0.4, "B": 0.2, "C": 0.2] && analysis.items[3].blankShare == 0.2)
        #expect(analysis.items[2].optionShares == ["A": 0.6, "B": 0.2, "C": 0.2] && analysis.items[2].blankShare == 0)
    }

    /// Three students, two questions: totals 2, 1, 0; p = 2/3 each; population variance 2/3;
    /// KR-20 = 2 · (1 − (2/9 + 2/9) / (2/3)) = 2 · (1 − 2/3) = 2/3. Each question against the other: r = 0.5.
    @Test func kr20OfAConsistentQuiz() throws {
        let bank = try Self.bank("""
            title: Two
            topics: [t]
            questions:
              - {id: q1, topic: t, question: "1", options: {A: a, B: b}, answer: A}
              - {id: q2, topic: t, question: "2", options: {A: a, B: b}, answer: A}
            """)
        let sheets = [QuizSheet(studentID: "a", answers: ["q1": ["A"], "q2": ["A"]]),
                      QuizSheet(studentID: "b", answers: ["q1": ["A"], "q2": ["B"]]),
                      QuizSheet(studentID: "c", answers: ["q1": ["B"], "q2": ["B"]])]
        let analysis = ItemAnalysis(bank: bank, sheets: sheets)
        #expect(abs(try #require(analysis.kr20) - 2.0 / 3) < 1e-12)
        #expect(analysis.items.allSatisfy { abs(($0.discrimination ?? 0) - 0.5) < 1e-12 && $0.flags.isEmpty })
    }
}
