import Foundation

/// Counts and sizes per stage, printed as the CLI's closing table.
public struct TransferSummary: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var count: Int = 0
        public var bytes: Int64 = 0
        /// Sub-rows: entities by uid, schemas by model type, assets by extension.
        public var breakdown: [String: (count: Int, bytes: Int64)] = [:]

        public static func == (lhs: Row, rhs: Row) -> Bool {
            lhs.count == rhs.count && lhs.bytes == rhs.bytes
                && lhs.breakdown.keys.sorted() == rhs.breakdown.keys.sorted()
                && lhs.breakdown.allSatisfy { key, value in rhs.breakdown[key].map { $0.count == value.count && $0.bytes == value.bytes } ?? false }
        }

        mutating func add(_ key: String, bytes: Int64) {
            count += 1
            self.bytes += bytes
            breakdown[key, default: (0, 0)].count += 1
            breakdown[key, default: (0, 0)].bytes += bytes
        }
    }

    public var schemas = Row()
    public var entities = Row()
    public var assets = Row()
    public var links = Row()
    public var configuration = Row()
    /// Records dropped on import (unknown types, ignored admin types, links to missing rows).
    public var skipped: [String] = []

    public init() {}

    /// The stages in transfer order with their display names.
    public var stages: [(name: String, row: Row)] {
        [("schemas", schemas), ("entities", entities), ("assets", assets), ("links", links), ("configuration", configuration)]
    }

    /// Strapi-style table: `Type | Count | Size`, with per-type sub-rows and a total.
    public func table() -> String {
        var lines: [(String, String, String)] = [("Type", "Count", "Size")]
        var totalCount = 0
        var totalBytes: Int64 = 0
        for (name, row) in stages {
            lines.append((name, String(row.count), Self.formatBytes(row.bytes)))
            for key in row.breakdown.keys.sorted() {
                let sub = row.breakdown[key]!
                lines.append(("-- \(key)", String(sub.count), Self.formatBytes(sub.bytes)))
            }
            totalCount += row.count
            totalBytes += row.bytes
        }
        lines.append(("Total", String(totalCount), Self.formatBytes(totalBytes)))
        let widths = [lines.map(\.0.count).max()!, lines.map(\.1.count).max()!, lines.map(\.2.count).max()!]
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: width - text.count) }
        let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+"
        var output = [rule]
        for (index, line) in lines.enumerated() {
            output.append("| \(pad(line.0, widths[0])) | \(pad(line.1, widths[1])) | \(pad(line.2, widths[2])) |")
            if index == 0 || index == lines.count - 2 { output.append(rule) }
        }
        output.append(rule)
        return output.joined(separator: "\n")
    }

    /// `1.2 MB`-style sizes.
    public static func formatBytes(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

/// Progress of a running transfer, reported after each record or asset.
public struct TransferProgress: Sendable {
    public let stage: String
    public let count: Int
    public let bytes: Int64
}
