extension Duration {
    /// The duration in milliseconds, with the fraction (request logs, `X-Response-Time`, limits).
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
