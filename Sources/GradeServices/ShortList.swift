/// The one rule for listing many problems to a person: the first `shown`, then how many more there are,
/// so that a file of a million bad rows costs a screen, not a million lines.
public enum ShortList {
    /// How many items are shown.
    public static let shown = 50

    /// The first `shown` of `items`, then "… and N more" when there are more.
    public static func lines(_ items: [String], shown: Int = shown) -> [String] {
        guard items.count > shown else { return items }
        return Array(items.prefix(shown)) + ["… and \(items.count - shown) more"]
    }
}
