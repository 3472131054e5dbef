import Foundation
import StrataSQL

/// Turns SQLite errors into ``DatabaseError``s. SQLite names the failing columns in the message
/// (`UNIQUE constraint failed: articles.slug`) but never the value, and it reports no length or
/// range violations because it enforces none.
enum SQLiteErrorTranslator {
    // Extended result codes (https://sqlite.org/rescode.html).
    static let constraintUnique: Int32 = 2067, constraintPrimaryKey: Int32 = 1555
    static let constraintNotNull: Int32 = 1299, constraintForeignKey: Int32 = 787
    // Primary result codes.
    static let busy: Int32 = 5, locked: Int32 = 6, corrupt: Int32 = 11, cantOpen: Int32 = 14, notADatabase: Int32 = 26

    static func translate(_ error: any Error) -> any Error {
        guard let error = error as? SQLiteFailure else { return error }
        switch error.code {
        case constraintUnique, constraintPrimaryKey:
            let (table, columns) = failedColumns(error.message, prefix: "UNIQUE constraint failed: ")
            return DatabaseError(.unique, error.message, table: table, columns: columns)
        case constraintNotNull:
            let (table, columns) = failedColumns(error.message, prefix: "NOT NULL constraint failed: ")
            return DatabaseError(.notNull, error.message, table: table, columns: columns)
        case constraintForeignKey:
            return DatabaseError(.foreignKey, error.message)
        default:
            switch error.primaryCode {
            case busy, locked:
                return DatabaseError(.busy, error.message)
            case cantOpen, notADatabase, corrupt:
                return DatabaseError(.connection, error.message)
            default:
                return DatabaseError(.other, error.message)
            }
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
