import GradeServices
import Testing

/// Stubs made from a protocol's source: every requirement, its doc comment, defaults left alone.
struct StarterSourceTests {
    static let source = """
        import Foundation

        /// The toy practical.
        ///
        /// Conventions hold here.
        public protocol Toy: Sendable {
            /// Doubles x.
            func double(_ x: Double) -> Double

            /// A long one.
            func blend(first a: [Double],
                       second b: [Double]) -> [Double]

            /// Has a default.
            func describe(_ x: Double) -> String

            /// A property.
            var name: String { get }
        }

        extension Toy {
            public func describe(_ x: Double) -> String { "\\(x)" }
        }
        """

    @Test func everyRequirementIsStubbedUnderItsDocCommentAndDefaultsAreLeftOut() throws {
        let starter = try StarterSource.make(protocolNamed: "Toy", source: Self.source, file: "Toy.swift")
        #expect(starter.contains("import CourseKit\n"))
        #expect(starter.contains("/// The toy practical.\n///\n/// Conventions hold here.\nstruct Solution: Toy {"))
        #expect(starter.contains("    /// Doubles x.\n    func double(_ x: Double) -> Double {\n        fatalError(\"not implemented yet\")\n    }"))
        // A signature over two lines keeps its alignment, here and from a source indented otherwise.
        #expect(starter.contains("    func blend(first a: [Double],\n               second b: [Double]) -> [Double] {"))
        let twoSpaces = "protocol Narrow {\n  func blend(first a: [Double],\n             second b: [Double]) -> [Double]\n}"
        #expect(try StarterSource.make(protocolNamed: "Narrow", source: twoSpaces, file: "Narrow.swift")
            .contains("    func blend(first a: [Double],\n               second b: [Double]) -> [Double] {"))
        #expect(starter.contains("    /// A property.\n    var name: String {\n        fatalError(\"not implemented yet\")\n    }"))
        #expect(!starter.contains("describe"), "a requirement with a default is not stubbed over it")
        #expect(starter.components(separatedBy: "        fatalError(\"not implemented yet\")\n").count - 1 == 3)
    }

    @Test func aProtocolThatCannotBeStubbedSaysWhy() {
        #expect { try StarterSource.make(protocolNamed: "Missing", source: Self.source, file: "Toy.swift") } throws: { "\($0)" == "Toy.swift declares no protocol Missing" }
        let initialiser = "protocol Made { init(seed: Int) }"
        #expect { try StarterSource.make(protocolNamed: "Made", source: initialiser, file: "Made.swift") } throws: { "\($0)".contains("not a method or a property") }
        #expect { try StarterSource.make(protocolNamed: "Empty", source: "protocol Empty {}", file: "Empty.swift") } throws: { "\($0)".contains("no requirement") }
    }
}
