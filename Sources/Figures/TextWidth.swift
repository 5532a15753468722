import Foundation

/// How wide text is drawn in a sans-serif font, estimated from above (a figure has no font metrics: the
/// reader's browser picks the font), and text broken into lines that fit a width.
///
/// Each character counts as wide as the widest common sans-serif fonts (DejaVu Sans, Arial, Helvetica)
/// draw it, or wider: a label laid out with these widths is never clipped and never runs into its
/// neighbour, whatever font the page is read in.
enum TextWidth {
    /// The width of `text` drawn at `size` pixels, at least as wide as it is drawn.
    static func of(_ text: String, size: Double) -> Double {
        text.unicodeScalars.reduce(0) { $0 + em($1) } * size
    }

    /// The width of `scalar`, in ems.
    static func em(_ scalar: Unicode.Scalar) -> Double {
        switch scalar {
        case "i", "j", "l", "I", "!", "'", "|", ".", ",", ":", ";": return 0.34
        case " ", "f", "t", "r", "(", ")", "[", "]", "-", "/", "\\": return 0.45
        case "m", "w", "M", "W", "@", "%": return 1.02
        case "A"..."Z": return 0.8
        case "0"..."9", "a"..."z": return 0.66
        default:
            // Combining marks and subscripts are narrow; East Asian ideographs and kana are a full em; anything
            // else (Greek, mathematical operators, dashes) as wide as a capital.
            if scalar.properties.generalCategory == .nonspacingMark { return 0 }
            if (0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                || (0xFF00...0xFF60).contains(scalar.value) || scalar.value >= 0x1F000 { return 1.05 }
            return 0.85
        }
    }

    /// `text` in lines no wider than `width` at `size` pixels: broken at spaces, and inside a word only
    /// when the word alone is wider. An empty text is one empty line.
    static func lines(_ text: String, size: Double, width: Double) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let joined = line.isEmpty ? word : line + " " + word
            if of(joined, size: size) <= width {
                line = joined
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = ""
            for character in word {
                if !line.isEmpty, of(line + String(character), size: size) > width {
                    lines.append(line)
                    line = ""
                }
                line.append(character)
            }
        }
        lines.append(line)
        return lines
    }
}
