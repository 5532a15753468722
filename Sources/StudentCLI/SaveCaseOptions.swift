import ArgumentParser
import Grader

/// `--case <check>/public-<n> --save FILE`: one public case written whole, for a student to replay it.
public struct SaveCaseOptions: ParsableArguments {
    @Option(name: .customLong("case"), help: ArgumentHelp("With --save: the public case to save, as <check>/public-<n> (such as gradient-descent/public-2).", valueName: "case"))
    var savedCase: String?

    @Option(name: .long, help: ArgumentHelp("With --case: write the case's call, every input in full, to this JSON file (load it with SavedCase in SubmissionRuntime) instead of checking.", valueName: "file"))
    var save: String?

    public init() {}

    /// Whether either option is given.
    public var isGiven: Bool { savedCase != nil || save != nil }

    /// The case and the file, when both are given and the case is named right.
    public var request: (name: PublicCaseName, file: String)? {
        guard let savedCase, let save, let name = PublicCaseName(savedCase) else { return nil }
        return (name, save)
    }

    /// Checks the options, given whether --json is asked for too (their command's `validate()` calls it,
    /// after its own rules).
    public func check(json: Bool) throws {
        if (savedCase == nil) != (save == nil) { throw ValidationError("--case names the public case and --save the file to write: give both") }
        if let savedCase, PublicCaseName(savedCase) == nil {
            throw ValidationError("'\(savedCase)' is not a public case: write <check>/public-<n>, such as gradient-descent/public-2")
        }
        if save != nil && json { throw ValidationError("--save writes the case as JSON already; leave out --json") }
    }
}

/// A public case named on the command line: `<check>/public-<n>` (or `public <n>`, as feedback writes it).
public struct PublicCaseName: Equatable {
    /// The check's id.
    public let check: String
    /// The public case's number, from 1.
    public let number: Int

    /// The case `text` names, or nil when it names none.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, IdentifierRules.isSpecID(parts[0]) else { return nil }
        let label = parts[1].replacingOccurrences(of: " ", with: "-")
        guard label.hasPrefix("public-"), let number = Int(label.dropFirst("public-".count)), number >= 1 else { return nil }
        (check, self.number) = (parts[0], number)
    }
}
