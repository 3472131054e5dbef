import Foundation
import PostgresNIO
import StrataSQL

/// Turns postgres-nio errors into ``DatabaseError``s by SQLSTATE, and explains connection
/// failures in one line (postgres-nio's own description deliberately says nothing).
enum PostgresErrorTranslator {
    static func translate(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        guard error.code == .server, let info = error.serverInfo else {
            return DatabaseError(.connection, "PostgreSQL: \(reason(error))")
        }
        let state = info[.sqlState] ?? ""
        let message = info[.message] ?? "error \(state)"
        let table = info[.tableName]
        switch state {
        case "23505":
            return DatabaseError(.unique, message, table: table, columns: keyColumns(info[.detail]))
        case "23502":
            return DatabaseError(.notNull, message, table: table, columns: info[.columnName].map { [$0] } ?? [])
        case "23503":
            return DatabaseError(.foreignKey, message, table: table)
        case "40001", "40P01", "55P03":
            // Serialization failure, deadlock, lock not available: the transaction may be retried.
            return DatabaseError(.busy, message, table: table)
        case "08000", "08001", "08003", "08004", "08006", "28000", "28P01", "3D000", "53300", "57P01", "57P02", "57P03":
            return DatabaseError(.connection, "PostgreSQL: \(message)")
        case _ where state.hasPrefix("22"):
            return DatabaseError(.invalidValue, message, table: table)
        default:
            return DatabaseError(.other, message, table: table)
        }
    }

    /// `Key (document_id, locale)=(…) already exists.` → the column names.
    static func keyColumns(_ detail: String?) -> [String] {
        guard let detail, let open = detail.range(of: "Key ("), let close = detail.range(of: ")=", range: open.upperBound..<detail.endIndex) else {
            return []
        }
        return detail[open.upperBound..<close.lowerBound].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// What went wrong, without the query or its parameters.
    static func reason(_ error: any Error) -> String {
        if let database = error as? DatabaseError { return database.message }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying {
            // NIO's connection errors list every address tried; say what happened in a few words.
            let text = "\(underlying)"
            if text.contains("Connection refused") { return "connection refused (is PostgreSQL running and listening there?)" }
            if text.contains("UnknownHost") { return "unknown host" }
            if text.contains("timeout") || text.contains("timedOut") { return "timed out" }
            return text
        }
        switch error.code {
        case .connectionError: return "the connection failed"
        case .serverClosedConnection: return "the server closed the connection"
        case .sslUnsupported: return "the server does not support TLS"
        case .authMechanismRequiresPassword: return "the server requires a password"
        case .unsupportedAuthMechanism: return "the server asks for an authentication method that is not supported"
        case .poolClosed: return "the connection pool is closed"
        default: return "\(error.code)"
        }
    }
}
