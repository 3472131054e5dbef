import Foundation
public import Logging

/// Strata's log lines on standard output, in swift-log's `StreamLogHandler` format
/// (`<time> <level> <label>: <key=value…> [<source>] <message>`).
///
/// Unlike `StreamLogHandler`, setting metadata stores it without formatting it: Hummingbird tags
/// every request's logger with its id, and formatting that eagerly cost 2 % of a request's CPU
/// even when nothing was logged.
public struct StrataLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private static let output = OutputLock()

    public init(label: String, logLevel: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error { merged["error"] = "\(error)" }
        let details = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        Self.output.write("\(Self.timestamp()) \(event.level) \(label):\(details) [\(event.source)] \(event.message)\n")
    }

    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whole lines, never interleaved, flushed at once (logs are read live).
    private final class OutputLock: Sendable {
        private let lock = NSLock()

        func write(_ text: String) {
            lock.lock()
            defer { lock.unlock() }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
