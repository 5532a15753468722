import ArgumentParser
import SafeText

extension ParsableCommand {
    /// Parses the command line and runs the command, as ArgumentParser's `main()` does, except that a
    /// Foundation file error no command turned into a message of its own is told by `FileErrorText` (the
    /// path, what happened, what to do), never in the system's words.
    static func mainTellingFileErrors() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: FileErrorText.sentence(for: error).map(CommandFailure.init) ?? error)
        }
    }
}
