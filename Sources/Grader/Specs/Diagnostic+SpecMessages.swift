/// The messages of the spec and rubric loaders, one named factory per problem.
///
/// Tests pin these texts; change a message here and in its test together.
extension Diagnostic {
    // MARK: Reading the file

    static func fileNotFound(_ file: String) -> Diagnostic {
        .error("no such file", at: SourceLocation(file: file))
    }

    static func fileIsFolder(_ file: String) -> Diagnostic {
        .error("is a folder, not a YAML file", at: SourceLocation(file: file))
    }

    static func fileUnreadable(_ file: String, reason: String) -> Diagnostic {
        .error("cannot be read: \(reason)", at: SourceLocation(file: file))
    }

    static func notUTF8(at location: SourceLocation, byte: UInt8) -> Diagnostic {
        .error("the file is not UTF-8 text: byte 0x\(String(byte, radix: 16, uppercase: true)) cannot start or continue a character", at: location)
    }

    static func notYAML(at location: SourceLocation, problem: String) -> Diagnostic {
        .error("the file is not valid YAML: \(problem)", at: location)
    }

    static func repeatedYAMLKeys(_ keys: [String], at location: SourceLocation) -> Diagnostic {
        let names = keys.map { "'\($0)'" }.joined(separator: ", ")
        return .error("the file is not valid YAML: \(names) appear\(keys.count == 1 ? "s" : "") twice in the same mapping", at: location)
    }

    static func emptyDocument(_ file: String, expected: String) -> Diagnostic {
        .error("the file is empty; expected \(expected)", at: SourceLocation(file: file))
    }

    // MARK: Shape

    static func notAMapping(_ what: String, at location: SourceLocation) -> Diagnostic {
        .error("\(what) must be a mapping of keys to values", at: location)
    }

    static func notAList(_ key: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must be a list", at: location)
    }

    static func keyNotAName(at location: SourceLocation) -> Diagnostic {
        .error("a key must be a plain name", at: location)
    }

    static func unknownKey(_ key: String, in what: String, allowed: [String], at location: SourceLocation) -> Diagnostic {
        if let guess = NameSuggestion.closest(to: key, among: allowed) {
            return .error("unknown key '\(key)' in \(what); did you mean '\(guess)'?", at: location)
        }
        return .error("unknown key '\(key)' in \(what); expected one of: \(allowed.joined(separator: ", "))", at: location)
    }

    static func missingKey(_ key: String, in what: String, at location: SourceLocation) -> Diagnostic {
        .error("\(what) is missing required key '\(key)'", at: location)
    }

    static func missingValue(_ key: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' has no value", at: location)
    }

    // MARK: Values

    static func notText(_ key: String, found: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must be text, not \(found)", at: location)
    }

    static func emptyText(_ key: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must not be empty", at: location)
    }

    static func notANumber(_ key: String, found: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must be a number, not \(found)", at: location)
    }

    static func notFinite(_ key: String, found: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must be a finite number, not \(found)", at: location)
    }

    static func notAWholeNumber(_ key: String, found: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must be a whole number, not \(found)", at: location)
    }

    static func notASeed(found: String, at location: SourceLocation) -> Diagnostic {
        .error("'seed' must be a whole number from 0 to \(UInt64.max), not \(found)", at: location)
    }

    static func notPositive(_ key: String, value: Double, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must be greater than 0, not \(SpecNumber.format(value))", at: location)
    }

    static func negative(_ key: String, value: Double, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must be at least 0, not \(SpecNumber.format(value))", at: location)
    }

    static func invalidID(_ key: String, value: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(value)' is not a valid \(key): use lowercase letters, digits and '-', starting and ending with a letter or digit", at: location)
    }

    static func notADate(_ key: String, found: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must be a date written YYYY-MM-DD, not \(found)", at: location)
    }

    static func emptyList(_ key: String, of what: String, at location: SourceLocation) -> Diagnostic {
        .error("'\(key)' must list at least one \(what)", at: location)
    }

    // MARK: Assignment specs

    static func dueBeforeSession(due: CourseDate, session: CourseDate, at location: SourceLocation) -> Diagnostic {
        .error("due date \(due) is before the session date \(session)", at: location)
    }

    static func dueNotTwoWeeksAfterSession(due: CourseDate, session: CourseDate, at location: SourceLocation) -> Diagnostic {
        let days = session.days(until: due)
        return .warning("due date \(due) is \(days) day\(days == 1 ? "" : "s") after the session date \(session); reports are due 14 days after the session (\(session.adding(days: 14)))", at: location)
    }

    static func unknownCheckKind(_ text: String, known kinds: [String], at location: SourceLocation) -> Diagnostic {
        let guess = NameSuggestion.closest(to: text, among: kinds).map { "; did you mean '\($0)'?" } ?? ""
        return .error("unknown check kind '\(text)'\(guess) (use one of: \(kinds.joined(separator: ", ")))", at: location)
    }

    static func zeroTolerance(at location: SourceLocation) -> Diagnostic {
        .error("tolerance accepts nothing: 'absolute' and 'relative' are both 0", at: location)
    }

    static func noTasks(at location: SourceLocation) -> Diagnostic {
        .error("'tasks' must list at least one task", at: location)
    }

    static func duplicateTaskID(_ id: String, first: SourceLocation, at location: SourceLocation) -> Diagnostic {
        .error("task id '\(id)' is already used by the task at line \(first.line)", at: location)
    }

    static func duplicateCheckID(_ id: String, first: SourceLocation, at location: SourceLocation) -> Diagnostic {
        .error("check id '\(id)' is already used by the check at line \(first.line); check ids must be unique across the file", at: location)
    }

    static func checkWithoutCases(_ id: String, at location: SourceLocation) -> Diagnostic {
        .error("check '\(id)' has no cases: give it a 'public' list, a 'hidden' block, or both", at: location)
    }

    static func publicCaseWithoutSeed(at location: SourceLocation) -> Diagnostic {
        .error("public case is missing required key 'seed', which makes it the same for every student", at: location)
    }

    static func hiddenCaseWithSeed(at location: SourceLocation) -> Diagnostic {
        .error("hidden case recipe must not have a 'seed': hidden seeds come from the instructor secret", at: location)
    }

    static func badParameter(_ name: String, found: String, at location: SourceLocation) -> Diagnostic {
        .error("parameter '\(name)' must be a number, a [low, high] range or text, not \(found)", at: location)
    }

    static func rangeNotTwoNumbers(_ name: String, at location: SourceLocation) -> Diagnostic {
        .error("range '\(name)' must be two numbers, [low, high]", at: location)
    }

    static func emptyRange(_ name: String, low: Double, high: Double, at location: SourceLocation) -> Diagnostic {
        .error("range '\(name)' is [\(SpecNumber.format(low)), \(SpecNumber.format(high))]: low must not exceed high", at: location)
    }

    // MARK: Rubrics

    static func rubricForAnotherAssignment(_ id: String, specID: String, specFile: String, at location: SourceLocation) -> Diagnostic {
        .error("rubric is for assignment '\(id)' but \(specFile) defines '\(specID)'", at: location)
    }

    static func unknownRubricCheck(_ id: String, specFile: String, specChecks: [String], at location: SourceLocation) -> Diagnostic {
        let guess = NameSuggestion.closest(to: id, among: specChecks).map { "; did you mean '\($0)'?" } ?? ""
        return .error("rubric names check '\(id)' which \(specFile) does not define\(guess)", at: location)
    }

    static func missingRubricCheck(_ id: String, definedAt definition: SourceLocation, at location: SourceLocation) -> Diagnostic {
        .error("rubric gives no points for check '\(id)' (defined at \(definition)); add it under 'checks'", at: location)
    }

    static func duplicateRubricCheck(_ id: String, first: SourceLocation, at location: SourceLocation) -> Diagnostic {
        .error("check '\(id)' already has points at line \(first.line); list each check once", at: location)
    }

    static func duplicateManualID(_ id: String, first: SourceLocation, at location: SourceLocation) -> Diagnostic {
        .error("manual item id '\(id)' is already used by the item at line \(first.line)", at: location)
    }

    static func manualIDIsCheckID(_ id: String, at location: SourceLocation) -> Diagnostic {
        .error("manual item id '\(id)' is also a check id; give it another name", at: location)
    }

    static func unknownCreditRule(_ text: String, at location: SourceLocation) -> Diagnostic {
        let rules = CreditRule.allCases.map(\.rawValue)
        let guess = NameSuggestion.closest(to: text, among: rules).map { "; did you mean '\($0)'?" } ?? ""
        return .error("unknown credit rule '\(text)'\(guess) (use one of: \(rules.joined(separator: ", ")))", at: location)
    }

    static func wrongTotal(_ total: Double, automatic: Double, manual: Double, at location: SourceLocation) -> Diagnostic {
        let sum = SpecNumber.format(automatic + manual)
        return .error("total is \(SpecNumber.format(total)) but the points add up to \(sum) (checks \(SpecNumber.format(automatic)) + manual \(SpecNumber.format(manual)))", at: location)
    }
}

/// The closest known name to a misspelt one, for "did you mean" hints.
enum NameSuggestion {
    /// The name among `candidates` nearest to `name` by edit distance, if it is close enough to be a typo
    /// (at most 2 edits, and fewer than half the name's length).
    static func closest(to name: String, among candidates: [String]) -> String? {
        let scored = candidates.map { (candidate: $0, distance: editDistance(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.distance < $1.distance }),
              best.distance <= 2, best.distance * 2 < max(name.count, 2) else { return nil }
        return best.candidate
    }

    /// The Levenshtein distance between `a` and `b`, with a swap of neighbours counting as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
