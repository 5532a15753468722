/// The practicals a grader knows, looked up by the protocol a spec names in `protocol:`.
///
/// Two registries are made from the course's practicals: `course` (module CourseDrivers), whose drivers
/// draw cases and answer them with the reference engine, and `replaying`, whose drivers serve the public
/// cases stored in a student's kit. Adding a practical is writing its rules (a line in `CourseRules.all`)
/// and its driver (a line in `course`). Everything else (the commands, spec loading and rehearsal, the
/// fairness sweep) finds practicals through a registry.
public struct PracticalRegistry: Sendable {
    /// The drivers, in the order practicals are listed.
    public let drivers: [any PracticalDriver.Type]

    /// A registry of `drivers`, whose protocol names must differ.
    public init(_ drivers: [any PracticalDriver.Type]) {
        var seen = Set<String>()
        for driver in drivers {
            precondition(seen.insert(driver.protocolName).inserted, "two practicals are graded with protocol '\(driver.protocolName)'")
        }
        self.drivers = drivers
    }

    /// This registry and `driver`.
    public func adding(_ driver: any PracticalDriver.Type) -> PracticalRegistry { PracticalRegistry(drivers + [driver]) }

    /// The protocol names, as specs spell them.
    public var protocolNames: [String] { drivers.map { $0.protocolName } }

    /// The check kinds some registered practical uses: the kinds a spec may name.
    public var checkKinds: Set<CheckKind> { drivers.reduce(into: []) { $0.formUnion($1.checkKinds) } }

    /// The driver of the practical whose protocol is `protocolName`.
    public func driver(for protocolName: String) -> (any PracticalDriver.Type)? {
        drivers.first { $0.protocolName == protocolName }
    }

    /// The driver of `spec`'s practical, or a spec error at its `protocol:` that lists the known protocols.
    public func driver(for spec: AssignmentSpec) throws -> any PracticalDriver.Type {
        guard let driver = driver(for: spec.protocolName) else {
            throw SpecError(diagnostics: [Diagnostic(severity: .error, location: spec.location,
                                                     message: "no practical is graded with protocol '\(spec.protocolName)'; known: \(protocolNames.joined(separator: ", "))")])
        }
        return driver
    }
}
