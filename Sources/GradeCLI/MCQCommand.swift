import ArgumentParser
import Foundation
import GradeServices
import Grader
import StudentCLI

/// `grade mcq`: the end-of-course quiz.
struct MCQCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcq",
        abstract: "Import the quiz's responses and analyse its questions.",
        subcommands: [Import.self, Stats.self]
    )

    /// `grade mcq import responses.csv`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import quiz responses: one row per student, student_id then one column per question id.",
            discussion: """
                Answers are option letters: B, or A;C for several; a blank cell is a blank answer. The whole file is \
                checked against the bank and the roster first: if any row is wrong, every problem is listed with its \
                line and nothing is recorded. Students in the file have their responses replaced; others keep theirs.
                """
        )

        @Argument(help: ArgumentHelp("The CSV file of responses.", valueName: "file")) var file: String
        @OptionGroup var courseOptions: CourseOptions

        func run() throws {
            let records = try courseOptions.records()
            let done = try records.importQuizResponses(from: URL(fileURLWithPath: file))
            print("Imported the responses of \(done.students) student\(done.students == 1 ? "" : "s") (\(done.changed) changed)")
            if done.changed > 0 { FeedbackRefresh.rewrite("the course") { try records.refreshCourseDashboard(); return nil } }
            if !done.withoutResponses.isEmpty {
                Diagnostics.write("note: no responses for \(done.withoutResponses.joined(separator: ", ")); they score 0 on the quiz")
            }
        }
    }

    /// `grade mcq stats`.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Item analysis: difficulty, point-biserial discrimination, option frequencies and KR-20; flags weak questions.",
            discussion: """
                p is the proportion answering correctly (exactly the key). r is the correlation between a question and \
                the number of other questions a student got right. Option columns give the share of students choosing \
                each letter; * marks the key. A question is flagged when r < 0 (check its key and wording) or when \
                everyone or no one answers it correctly.
                """
        )

        @OptionGroup var courseOptions: CourseOptions

        func run() throws {
            let (analysis, bank) = try courseOptions.records().quizAnalysis()
            print(MCQReport.render(analysis, bank: bank))
        }
    }
}

/// The text `grade mcq stats` prints.
enum MCQReport {
    static func render(_ analysis: ItemAnalysis, bank: QuizBank) -> String {
        let letters = Array(Set(bank.scoredQuestions.flatMap(\.optionLetters))).sorted()
        func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
        var rows: [[String]] = []
        for item in analysis.items {
            guard let question = bank.question(item.questionID) else { continue }
            var row = [question.id, question.topic, question.isMultipleAnswer ? "multi" : "single",
                       String(format: "%.2f", item.difficulty), item.discrimination.map { String(format: "%+.2f", $0) } ?? "n/a"]
            row += letters.map { letter in
                guard let share = item.optionShares[letter] else { return "" }
                return percent(share) + (question.key.contains(letter) ? "*" : "")
            }
            row += [percent(item.blankShare), item.flags.map(\.rawValue).joined(separator: ", ")]
            rows.append(row)
        }
        let header = ["question", "topic", "type", "p", "r"] + letters + ["blank", "flags"]
        var lines = [
            "\(bank.title): \(analysis.studentCount) student\(analysis.studentCount == 1 ? "" : "s"), \(analysis.items.count) questions",
            "KR-20 reliability: \(analysis.kr20.map { String(format: "%.2f", $0) } ?? "n/a (scores do not vary)");"
                + " mean \(String(format: "%.1f", analysis.meanCorrect)) correct (sd \(String(format: "%.1f", analysis.standardDeviation)))",
            "",
            TextTable.render(header: header, rows: rows, rightAligned: Set(3..<(header.count - 1))),
        ]
        let flagged = analysis.items.filter { !$0.flags.isEmpty }
        lines.append("")
        if flagged.isEmpty {
            lines.append("No question is flagged.")
        } else {
            lines.append("\(flagged.count) question\(flagged.count == 1 ? "" : "s") flagged:")
            for item in flagged {
                let advice = item.flags.contains(.negativeDiscrimination)
                    ? "students who do well overall miss it more often: check its key and wording"
                    : "it separates no one"
                lines.append("  \(item.questionID): \(item.flags.map(\.rawValue).joined(separator: ", ")) — \(advice)")
            }
        }
        let dropped = bank.questions.filter { $0.dropped != nil }
        for question in dropped { lines.append("Dropped, not scored: \(question.id) (\(question.dropped ?? ""))") }
        return lines.joined(separator: "\n")
    }
}
