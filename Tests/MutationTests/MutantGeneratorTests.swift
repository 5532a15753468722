import Testing
@testable import Mutation

/// The mutants made of small sources: every operator where it fits, each a splice of the original text.
struct MutantGeneratorTests {
    static func ids(_ source: String) -> [String] {
        MutantGenerator.mutants(of: source, file: "F.swift").map(\.id)
    }

    @Test func aSubtractionIsFlippedAndSwapped() {
        let source = "func f(a: Double, b: Double) -> Double {\n    return a - b\n}\n"
        let mutants = MutantGenerator.mutants(of: source, file: "F.swift")
        // A mutant is named by where its change starts: the swap at the expression, the sign at its operator.
        #expect(mutants.map(\.id) == [
            "F.swift:2:12 swap: a - b → b - a",
            "F.swift:2:14 sign: a - b → a + b",
        ])
        #expect(mutants[0].mutatedSource == "func f(a: Double, b: Double) -> Double {\n    return b - a\n}\n")
        #expect(mutants.allSatisfy { $0.function == "f" })
    }

    @Test func precedenceIsRespectedWhenOperandsMove() {
        // `x - eta * g` is `x - (eta * g)`: swapping gives `(eta * g) - x`; dropping a factor of `eta * g` keeps the rest.
        let mutants = MutantGenerator.mutants(of: "func step() -> Double { x - eta * g }\n", file: "F.swift")
        let changed = mutants.map { $0.mutatedSource.dropFirst("func step() -> Double { ".count).dropLast(" }\n".count) }
        #expect(changed == ["(eta * g) - x", "x + eta * g", "x - eta", "x - g"])
        // An operand that is itself an operation keeps its grouping in parentheses.
        let swapped = MutantGenerator.mutants(of: "func f() -> Double { (a - b) / (c + d) - e }\n", file: "F.swift").first { $0.mutation == .swap && $0.original.hasSuffix("- e") }
        #expect(swapped?.replacement == "e - ((a - b) / (c + d))")
        let divided = MutantGenerator.mutants(of: "func f() -> Double { a - b / c }\n", file: "F.swift").filter { $0.mutation == .swap }
        #expect(divided.map(\.replacement) == ["(b / c) - a", "c / b"])
    }

    @Test func comparisonsRangesAndLiteralsAreMovedByOne() {
        let ids = Self.ids("func f(n: Int) {\n    for i in 0..<n where i <= 2 { if !done && i == n { } }\n}\n")
        #expect(ids == [
            "F.swift:2:14 bound: 0 → 1",
            "F.swift:2:15 bound: 0..<n → 0...n",
            "F.swift:2:28 bound: i <= 2 → i < 2",
            "F.swift:2:28 condition: i <= 2 → i > 2",
            "F.swift:2:31 bound: 2 → 3",
            "F.swift:2:31 bound: 2 → 1",
            "F.swift:2:38 condition: !done → done",
            "F.swift:2:44 condition: !done && i == n → !done || i == n",
            "F.swift:2:49 condition: i == n → i != n",
        ])
    }

    @Test func signsAreDroppedButNegativeLiteralsAreMovedByOne() {
        let ids = Self.ids("func f() { let d = -g; x -= h; let s = stride(from: 3, through: 0, by: -1) }\n")
        #expect(ids == [
            "F.swift:1:20 sign: -g → g",
            "F.swift:1:26 sign: x -= h → x += h",
            "F.swift:1:65 bound: 0 → 1",
            "F.swift:1:73 bound: -1 → -2",
            "F.swift:1:73 bound: -1 → -0",
        ])
    }

    @Test func codeOutsideFunctionsKeepsItsLiteralsAndDuplicatesAreOne() {
        // A stored property's literal is a constant, not a bound; `a * a` dropped either way is one mutant.
        let mutants = MutantGenerator.mutants(of: "let zero = 0\nvar square: Double { a * a }\n", file: "F.swift")
        #expect(mutants.map(\.id) == ["F.swift:2:22 factor: a * a → a"])
        #expect(mutants[0].function == "square")
    }

    @Test func namesStayOnOneLine() {
        let mutants = MutantGenerator.mutants(of: "func f() -> Double {\n    a\n        - b\n}\n", file: "F.swift")
        let sign = mutants.first { $0.mutation == .sign }
        #expect(sign?.id == "F.swift:3:9 sign: a - b → a + b")
        #expect(sign?.mutatedSource == "func f() -> Double {\n    a\n        + b\n}\n")
    }
}
