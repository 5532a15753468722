import CourseDrivers
import CourseKit
import Figures
import FiguresTestSupport
import Foundation
import Gradebook
import GradeServices
import Grader
import SubmissionRuntime
import Testing
@testable import GradeCLI
import TestTiers

/// Students' feedback pages: always current with the gradebook, and drawn right in a real browser.
@Suite(.serialized, .courseDrivers, .integration) struct FeedbackPageTests {
    func run(_ arguments: [String]) throws {
        var command = try GradeCommand.parseAsRoot(arguments)
        try command.run()
    }

    static func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func anExtensionAMarkAndAnOverrideChangeThePageWithoutARegrade() throws {
        let course = try EndToEndTests.courseCopy()
        let c = ["--course", course.path]
        // Bastien hands in 12 h after the deadline (2026-10-19 23:59, Paris): 1 started day late.
        try Data("name: Bastien Leroy\nsubmitted_at: 2026-10-20T12:00:00+02:00\n".utf8)
            .write(to: course.appendingPathComponent("Submissions/practical1/bastien/submission.yaml"))
        try run(["practical1", "--student", "bastien"] + c)
        let folder = course.appendingPathComponent(".grade/feedback/practical1")
        let page = folder.appendingPathComponent("bastien.html"), text = folder.appendingPathComponent("bastien.txt")
        var html = try Self.read(page)
        #expect(html.contains("Due 2026-10-19 23:59: 1 started day late, so the practical's grade loses 10% of the scale"))
        #expect(html.contains("<td>Late penalty</td><td class=\"number\">−2</td>"))
        // 13.33 automatic points of 20, less 2 for the day late.
        #expect(html.contains("<td>Practical grade</td><td class=\"number\">11.33 / 20</td>"))
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        let graded = try #require(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "bastien"))

        try run(["extension", "practical1", "bastien", "--days", "2", "--reason", "illness, certificate seen"] + c)
        html = try Self.read(page)
        #expect(html.contains("Due 2026-10-21 23:59, with your extension of 2 days: on time."))
        #expect(!html.contains("Late penalty"))
        #expect(try Self.read(text).contains("Due 2026-10-21 23:59, with your extension of 2 days: on time."))

        let marks = course.appendingPathComponent("marks.csv")
        try Data("student_id,report,comment\nbastien,3,\"Clear plots; the Armijo constant's role is not discussed <b>\"\n".utf8).write(to: marks)
        try run(["marks", "import", "practical1", marks.path] + c)
        html = try Self.read(page)
        #expect(html.contains("<td class=\"number\">3 / 4</td>"))
        #expect(html.contains("the marker's comment: </strong>Clear plots; the Armijo constant's role is not discussed &lt;b&gt;"))
        #expect(html.contains("<td>Practical grade</td><td class=\"number\">16.33 / 20</td>"))
        #expect(try Self.read(text).contains("the marker's comment: Clear plots"))
        // A mark set again by hand keeps the marker's comment, and its reason (for the audit log) is not shown.
        try run(["marks", "set", "practical1", "bastien", "report", "3.5", "--reason", "second reading by the TA"] + c)
        html = try Self.read(page)
        #expect(html.contains("<td class=\"number\">3.5 / 4</td>") && html.contains("Clear plots; the Armijo constant"))
        #expect(!html.contains("second reading"))

        try run(["override", "practical1", "bastien", "15", "--reason", "oral re-examination on 2 December"] + c)
        html = try Self.read(page)
        #expect(html.contains("<td>Set by hand</td><td class=\"number\">15 / 20</td>"))
        #expect(html.contains("The grade was set by hand: oral re-examination on 2 December."))
        #expect(html.contains("<td>Practical grade</td><td class=\"number\">15 / 20</td>"))
        // Marks imported without comments show none: the file's name, the audit reason, is not a comment.
        try run(["marks", "import", "practical1", course.appendingPathComponent("Submissions/marks/practical1.csv").path] + c)
        html = try Self.read(page)
        #expect(!html.contains("imported from") && html.contains("Clear plots; the Armijo constant"), "a blank comment keeps the one recorded")

        // None of this graded anything again: one run, the same submission.
        #expect(try gradebook.runs(assignmentID: "practical1").count == 1)
        #expect(try gradebook.latestSubmission(assignmentID: "practical1", studentID: "bastien")?.submissionID == graded.submissionID)
        // Deleted pages come back from the gradebook alone.
        try FileManager.default.removeItem(at: page)
        try run(["feedback", "practical1", "--student", "bastien"] + c)
        #expect(try Self.read(page) == html)
    }

    @Test func unchangedSubmissionsKeepTheirColumnsAndPrintTheirFeedback() throws {
        let course = try EndToEndTests.courseCopy()
        let c = ["--course", course.path]
        try run(["practical1", "--student", "bastien"] + c)
        let layout = CourseLayout(root: course)
        let outcome = try AssignmentGrading(layout: layout, gradebookPath: layout.gradebookURL.path, registry: .course)
            .run(AssignmentGrading.Request(assignment: "practical1", students: ["bastien"]))
        #expect(outcome.reports.isEmpty && outcome.skipped.map(\.studentID) == ["bastien"])
        let table = ResultsTable.render(outcome.table)
        let row = try #require(table.split(separator: "\n").first { $0.hasPrefix("bastien") })
        #expect(row.split(separator: " ", omittingEmptySubsequences: true).prefix(8).joined(separator: " ") == "bastien 2 4 1.33 4 2 13.33 13.33")
        #expect(row.contains("graded, unchanged"))
        #expect(outcome.feedbackTexts["bastien"]?.contains("Armijo backtracking line search: 1.33 / 4") == true)
    }

    @Test func thePagesRenderInChromiumWithEveryFigureAndTheIteratesTheyPlot() throws {
        let chromium = try HeadlessChromium.find()
        let course = try EndToEndTests.courseCopy()
        try run(["practical1", "--student", "alice", "--course", course.path])
        try run(["practical1", "--student", "bastien", "--course", course.path])
        let folder = course.appendingPathComponent(".grade/feedback/practical1")
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        let reports = Dictionary(uniqueKeysWithValues: try gradebook.currentReports(assignmentID: "practical1").map { ($0.studentID, try RecordedReport.decode($0.report!)) })

        // The detector works: a page that breaks the policy logs to the console, and a blank page's screenshot is small.
        let control = folder.appendingPathComponent("control.html")
        try Data("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head><body><script>1</script></body></html>".utf8).write(to: control)
        #expect(try !chromium.render(control).consoleMessages.isEmpty)
        let blank = folder.appendingPathComponent("blank.png")
        try chromium.screenshot(control, to: blank)
        let blankSize = try #require(try FileManager.default.attributesOfItem(atPath: blank.path)[.size] as? Int)

        for student in ["alice", "bastien"] {
            let page = folder.appendingPathComponent("\(student).html")
            let rendering = try chromium.render(page)
            #expect(rendering.consoleMessages.isEmpty, "\(student): \(rendering.consoleMessages)")
            let figures = try #require(reports[student]).checks.flatMap(\.cases).flatMap(\.figures)
            let drawn = DrawnSVG(text: rendering.dom).elements("svg").filter { ($0["class"] ?? "").hasPrefix("figure") }
            #expect(figures.count >= 20, "practical 1's public cases draw contours, gradient norms and decision boundaries")
            #expect(drawn.count == figures.count, "\(student): \(drawn.count) figures drawn of \(figures.count)")
            let png = folder.appendingPathComponent("\(student).png")
            try chromium.screenshot(page, to: png)
            let size = try #require(try FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int)
            #expect(size > 20 * blankSize, "\(student)'s screenshot (\(size) bytes) is not blank (\(blankSize) bytes)")
        }

        // Alice's first gradient-descent case, as the browser drew it, is the reference's own iterates.
        let spec = try SpecLoader.loadAssignment(at: course.appendingPathComponent("Assignments/practical1.yaml"), kinds: PracticalRegistry.course.checkKinds)
        let check = try #require(spec.allChecks.first { $0.check.id == "gd-trajectory" }?.check)
        let driver = Practical1Driver(context: DriverContext())
        let prepared = try driver.prepareCase(for: check, recipe: check.publicCases[0], seed: check.publicCases[0].seed ?? 0)
        guard case let .iterates(iterates) = driver.referenceAnswer(to: prepared.call) else { Issue.record("not iterates"); return }
        #expect(iterates.count > 20 && iterates[0].count == 2)
        let dom = try chromium.render(folder.appendingPathComponent("alice.html")).dom
        let article = try #require(dom.components(separatedBy: "<article").first { $0.contains("(trajectory check gd-trajectory)") })
        let contour = try #require(article.components(separatedBy: "<figure>").first { $0.contains("public 1: gradientDescent: iterates over the level lines") })
        let svg = DrawnSVG(text: contour)
        let indices = OptimisationFigures.drawnIndices(iterates.count)
        for name in ["your iterates", "reference"] {
            let runs = svg.data(ofSeries: name)
            #expect(runs.count == 1 && runs[0].count == indices.count, "\(name): \(runs.map(\.count)) points for \(indices.count) iterates")
            let area = try #require(svg.elements("rect").first { $0["class"] == "plot-area" })
            let window = area["data-x-window"]!.split(separator: " ").map { Double($0)! }
            // A tenth of a pixel, the drawing's precision, in data units.
            let precision = (window[1] - window[0]) / Double(area["width"]!)! * 0.15
            for (point, index) in zip(runs.first ?? [], indices) {
                #expect(abs(point.0 - iterates[index][0]) < precision && abs(point.1 - iterates[index][1]) < precision,
                        "\(name) x_\(index): drawn \(point), iterate \(iterates[index].storage)")
            }
        }

        // The dashboards: every graded student linked, a grader fault listed, every histogram drawn, clean in the browser.
        let runID = try #require(try gradebook.runs(assignmentID: "practical1").last).id
        try gradebook.recordFault(studentID: "chloe", message: "the grader could not read its data <b>", inRun: runID)
        try run(["feedback", "practical1", "--course", course.path])
        let dashboard = try chromium.render(folder.appendingPathComponent("index.html"))
        #expect(dashboard.consoleMessages.isEmpty, "\(dashboard.consoleMessages)")
        #expect(dashboard.dom.contains("<a href=\"alice.html\">alice</a>") && dashboard.dom.contains("<a href=\"bastien.html\">bastien</a>"))
        #expect(dashboard.dom.contains("chloe: the grader could not read its data &lt;b&gt;"))
        let histograms = DrawnSVG(text: dashboard.dom).elements("svg").filter { ($0["class"] ?? "").hasPrefix("figure") }
        #expect(histograms.count == 2 + spec.tasks.count + spec.allChecks.count, "grades, automatic points, each task and each check")
        let overview = try chromium.render(course.appendingPathComponent(".grade/feedback/index.html"))
        #expect(overview.consoleMessages.isEmpty, "\(overview.consoleMessages)")
        #expect(overview.dom.contains("<a href=\"practical1/index.html\">") && overview.dom.contains("<a href=\"practical1/alice.html\">"))
        #expect(overview.dom.contains("practical2 not graded yet") || overview.dom.contains("Practical 2: multilayer perceptrons, backpropagation and MNIST: not graded yet"))
        try? FileManager.default.removeItem(at: course)
    }

    @Test func whatTheBrowserLaysOutAt1280And390PixelsIsWholeAtOneScaleAndApart() throws {
        let chromium = try HeadlessChromium.find()
        let course = try EndToEndTests.courseCopy()
        for student in ["alice", "bastien"] { try run(["practical1", "--student", student, "--course", course.path]) }
        let folder = course.appendingPathComponent(".grade/feedback/practical1")
        let pages = ["alice", "bastien", "index"].map { folder.appendingPathComponent("\($0).html") } + [course.appendingPathComponent(".grade/feedback/index.html")]
        for width in [1280, 390] {
            for page in pages {
                let name = "\(page.deletingLastPathComponent().lastPathComponent)/\(page.lastPathComponent) at \(width) px"
                let layout = try chromium.layout(of: page, width: width)
                #expect(layout.viewportWidth == Double(width), "\(name): the frame is the screen")
                #expect(layout.scrollWidth <= layout.viewportWidth, "\(name): nothing is wider than the screen (\(layout.scrollWidth) px)")

                // Every figure at one scale, whatever its shape; its title, legend and labels inside it and apart.
                if let least = layout.figures.map(\.scale).min(), let most = layout.figures.map(\.scale).max() {
                    #expect(most / least < 1.005, "\(name): figures drawn at scales from \(least) to \(most)")
                }
                for figure in layout.figures {
                    #expect(!figure.heading.isEmpty, "\(name): \(figure.title) has its title drawn")
                    for text in figure.texts {
                        #expect(figure.box.contains(text.box), "\(name): \(figure.title): '\(text.text)' \(text.box) outside the figure \(figure.box)")
                    }
                    for (index, text) in figure.texts.enumerated() {
                        for other in figure.texts[(index + 1)...] where text.box.overlaps(other.box) {
                            Issue.record("\(name): \(figure.title): '\(text.text)' \(text.box) overlaps '\(other.text)' \(other.box)")
                        }
                    }
                    for (index, entry) in figure.legend.enumerated() {
                        for other in figure.legend[(index + 1)...] where entry.overlaps(other) {
                            Issue.record("\(name): \(figure.title): legend entries \(entry) and \(other) overlap")
                        }
                    }
                }

                // Every table's every column on the screen, or within reach in a box on the screen that scrolls
                // sideways; the checks of a practical on the screen itself.
                for table in layout.tables {
                    let right = table.cells.map(\.right).max() ?? 0
                    if let scroller = table.scroller, !table.header.contains("cases by verdict") {
                        #expect(scroller.left >= -0.5 && scroller.right <= layout.viewportWidth + 0.5, "\(name): the box of '\(table.header)' is \(scroller)")
                    } else {
                        #expect(right <= layout.viewportWidth + 0.5, "\(name): the table '\(table.header)' ends at \(right) px")
                    }
                }

                // Every link within the page leads down to what it names.
                for link in layout.links {
                    let target = try #require(link.target, "\(name): nothing has the id of \(link.href)")
                    #expect(target.top > link.box.bottom, "\(name): \(link.href) is below its link")
                }
            }
        }
        // Bastien fails checks: the summary at the top links to each of them.
        let bastien = try chromium.layout(of: folder.appendingPathComponent("bastien.html"), width: 390)
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        let report = try RecordedReport.decode(try #require(try gradebook.currentReports(assignmentID: "practical1").first { $0.studentID == "bastien" }?.report))
        let failing = report.checks.filter { $0.passedCount < $0.cases.count }.map { "#check-\($0.checkID)" }
        #expect(!failing.isEmpty && bastien.links.map(\.href) == failing)
        try? FileManager.default.removeItem(at: course)
    }
}

