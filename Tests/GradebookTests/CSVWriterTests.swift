import Testing
@testable import Gradebook

/// RFC 4180 quoting, formula-injection escaping, control characters shown as escapes (a lone carriage
/// return among them; a CRLF line end is kept) and number formatting, one rule at a time.
@Suite struct CSVWriterTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("", ""),
        ("Jean-Luc", "Jean-Luc"),
        ("a=b", "a=b"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("\"", "\"\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("carriage\rreturn", "carriage\\u{D}return"),
        ("windows\r\nline", "\"windows\r\nline\""),
    ])
    func textIsQuotedWhenItMustBe(text: String, field: String) {
        #expect(CSVWriter.field(.text(text)) == field)
    }

    @Test(arguments: [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "\\u{D}cmd"),
        ("\r\ncmd", "\"'\r\ncmd\""),
        ("=A1,B1", "\"'=A1,B1\""),
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
        ("'=already", "'=already"),
    ])
    func textThatASpreadsheetWouldRunStaysText(text: String, field: String) {
        #expect(CSVWriter.field(.text(text)) == field)
    }

    @Test(arguments: [
        (20, "20"),
        (100, "100"),
        (17.5, "17.5"),
        (2.25, "2.25"),
        (20.0 / 3, "6.67"),
        (0, "0"),
        (-3, "-3"),
        (-0.001, "0"),
        (0.004, "0"),
        (0.005, "0.01"),
        (1_000_000, "1000000"),
        (Double.nan, ""),
        (Double.infinity, ""),
    ] as [(Double, String)])
    func numbersHaveAtMostTwoDecimalsAndAreNeverEscaped(value: Double, field: String) {
        #expect(CSVWriter.field(.number(value)) == field)
    }

    @Test func recordsEndWithCRLF() {
        var writer = CSVWriter()
        writer.append([.text("id"), .text("note"), .text("points")])
        writer.append([.text("alice"), .empty, .number(-2.5)])
        writer.append([.text("bob"), .text("-2.5"), .empty])
        #expect(writer.text == "id,note,points\r\nalice,,-2.5\r\nbob,'-2.5,\r\n")
    }
}
