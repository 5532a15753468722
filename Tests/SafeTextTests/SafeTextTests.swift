import SafeText
import Testing

/// The one rule for showing submission text: what a terminal or spreadsheet would obey is shown instead.
struct SafeTextTests {
    @Test func plainTextIsUnchanged() {
        let text = "x_3 differs at coordinate 2: expected [1, 2], got [1, 3]\n\tÉcole — ∇f, ‖x‖ ≤ 1e-8 日本"
        #expect(SafeText.escaped(text) == text)
        #expect(SafeText.isSafe(text))
    }

    @Test func terminalEscapesAreShownNotObeyed() {
        let osc52 = "\u{1B}]52;c;cm0gLXJmIH4=\u{07}"
        #expect(SafeText.escaped(osc52) == "\\u{1B}]52;c;cm0gLXJmIH4=\\u{7}")
        #expect(SafeText.escaped("\r\u{1B}[2K[ok] all accepted") == "\\u{D}\\u{1B}[2K[ok] all accepted")
        #expect(SafeText.escaped("a\u{0}b\u{7F}c") == "a\\u{0}b\\u{7F}c")
    }

    @Test func aCRLFLineEndIsKeptButALoneCarriageReturnIsNot() {
        #expect(SafeText.escaped("line one\r\nline two") == "line one\r\nline two")
        #expect(SafeText.isSafe("a\r\nb"))
        #expect(SafeText.escaped("progress\rforged") == "progress\\u{D}forged")
        #expect(SafeText.escaped("end\r") == "end\\u{D}")
        #expect(SafeText.escaped("\r\r\n") == "\\u{D}\r\n")
    }

    @Test func c1ControlsAndBidiOverridesAreEscaped() {
        #expect(SafeText.escaped("\u{9B}31mred") == "\\u{9B}31mred")
        #expect(SafeText.escaped("\u{85}") == "\\u{85}")
        #expect(SafeText.escaped("admin\u{202E}txt.exe") == "admin\\u{202E}txt.exe")
        #expect(SafeText.escaped("\u{2066}x\u{2069}") == "\\u{2066}x\\u{2069}")
        #expect(!SafeText.isSafe("\u{202E}"))
    }

    @Test func everyUnsafeScalarIsEscapedAndTheResultIsSafe() {
        for value in UInt32(0)...0x30FF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let escaped = SafeText.escaped(String(Character(scalar)))
            #expect(SafeText.isSafe(escaped), "U+\(String(value, radix: 16))")
            #expect((escaped == String(Character(scalar))) == !SafeText.isUnsafe(scalar))
        }
    }
}

/// The one way points are written and read.
struct PointsTests {
    @Test(arguments: [(16.0, "16"), (15.8, "15.8"), (2.25, "2.25"), (2.005, "2.01"), (1.0 / 3, "0.33"), (-3, "-3"), (-0.001, "0"),
                      (Double.nan, "nan"), (-Double.infinity, "-inf")])
    func pointsHaveAtMostTwoDecimals(value: Double, text: String) {
        #expect(Points.text(value) == text)
    }

    @Test func aTypedMarkUsesADotOrACommaAndNothingElse() {
        #expect(Points.parse(" 3,5 ") == 3.5 && Points.parse("4") == 4 && Points.parse("+0.25") == 0.25 && Points.parse("-1") == -1)
        for text in ["", " ", "three", "1e3", "1 000", "nan", "inf", "3.5.1", "0x10", "½"] {
            #expect(Points.parse(text) == nil, "\(text)")
        }
    }
}

/// The one bound on a submission's text.
struct BoundedTextTests {
    @Test func textOverItsLimitIsCutAndSaysHowMuchWasLeftOut() {
        #expect(SafeText.bounded("abcdef", limit: 6) == "abcdef")
        #expect(SafeText.bounded("abcdefgh", limit: 3) == "abc… (5 more characters)")
        // Characters, not bytes: accented text under the limit is whole.
        #expect(SafeText.bounded("éééé", limit: 4) == "éééé")
        let huge = String(repeating: "part", count: 2_500_000)
        #expect(SafeText.bounded(huge, limit: 200) == String(repeating: "part", count: 50) + "… (9999800 more characters)")
        // One character of a million combining marks is a million scalars, and is cut as such.
        let stacked = "a" + String(repeating: "\u{301}", count: 1_000_000)
        #expect(stacked.count == 1 && SafeText.bounded(stacked, limit: 10).unicodeScalars.count < 40)
    }
}

/// Text that must stay on one line.
struct OneLineTextTests {
    @Test func lineBreaksAndTabsAreShownNotObeyed() {
        #expect(SafeText.escapedLine("a\nb\tc\r\nd") == "a\\u{A}b\\u{9}c\\u{D}\\u{A}d")
        #expect(SafeText.escapedLine("Solution.swift") == "Solution.swift")
        #expect(SafeText.escapedLine("x\u{1B}[2K.swift") == "x\\u{1B}[2K.swift")
    }
}
