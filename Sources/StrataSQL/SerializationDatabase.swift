import Logging
import NIOCore
import NIOPosix
import SQLKit

/// A stand-in `SQLDatabase` that only supplies a dialect, so SQLKit's serializer can turn
/// expressions into SQL text and binds that Strata's drivers then run.
///
/// A class, so ``SQLName`` finds it behind the serializer's `any SQLDatabase` with a class cast
/// rather than copying a struct out of the existential for every name.
final class SerializationDatabase: SQLDatabase, Sendable {
    let dialect: any SQLDialect
    /// The dialect's identifier quote as text (`"`), read once for ``SQLName``.
    let identifierQuote: String?
    /// The quote when it is one ASCII character, as both of Strata's dialects have it.
    let identifierQuoteByte: UInt8?
    static let sharedLogger = Logger(label: "strata.sql")
    var logger: Logger { Self.sharedLogger }

    init(dialect: any SQLDialect) {
        self.dialect = dialect
        identifierQuote = (dialect.identifierQuote as? SQLRaw)?.sql
        identifierQuoteByte = identifierQuote.flatMap { $0.utf8.count == 1 && $0.utf8.first! < 0x80 ? $0.utf8.first : nil }
    }
    // The serializer never schedules work; the protocol just requires a loop.
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        eventLoop.makeFailedFuture(SerializationOnlyError())
    }

    struct SerializationOnlyError: Error {}
}

