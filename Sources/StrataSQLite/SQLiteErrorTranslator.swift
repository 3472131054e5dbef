import Foundation
import SQLiteNIO
import StrataSQL

/// Turns SQLite errors into ``DatabaseError``s. SQLite names the failing columns in the message
/// (`UNIQUE constraint failed: articles.slug`) but never the value, and it reports no length or
/// range violations because it enforces none.
enum SQLiteErrorTranslator {
    static func translate(_ error: any Error) -> any Error {
        guard let error = error as? SQLiteError else { return error }
        switch error.reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed:
            let (table, columns) = failedColumns(error.message, prefix: "UNIQUE constraint failed: ")
            return DatabaseError(.unique, error.message, table: table, columns: columns)
        case .constraintNotNullFailed:
            let (table, columns) = failedColumns(error.message, prefix: "NOT NULL constraint failed: ")
            return DatabaseError(.notNull, error.message, table: table, columns: columns)
        case .constraintForeignKeyFailed:
            return DatabaseError(.foreignKey, error.message)
        case .busy, .busyTimeout, .locked, .busyInRecovery, .busyInSnapshot:
            return DatabaseError(.busy, error.message)
        case .cantOpen, .cantOpenDirectory, .cantOpenInvalidPath, .notADatabase, .corrupt:
            return DatabaseError(.connection, error.message)
        default:
            return DatabaseError(.other, error.message)
        }
    }

    /// Parses `table.column, table.other` after the prefix.
    private static func failedColumns(_ message: String, prefix: String) -> (String?, [String]) {
        guard let range = message.range(of: prefix) else { return (nil, []) }
        var table: String?
        var columns: [String] = []
        for part in message[range.upperBound...].split(separator: ",") {
            let pieces = part.trimmingCharacters(in: .whitespaces).split(separator: ".", maxSplits: 1)
            if pieces.count == 2 {
                table = String(pieces[0])
                columns.append(String(pieces[1]))
            }
        }
        return (table, columns)
    }
}
