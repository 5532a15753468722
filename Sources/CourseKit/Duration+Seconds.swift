extension Duration {
    /// The duration in seconds, as a `Double`: handy for watching a time budget.
    ///
    /// ```swift
    /// let start = ContinuousClock.now
    /// // …
    /// if start.duration(to: .now).inSeconds > 0.9 * seconds { break }
    /// ```
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
