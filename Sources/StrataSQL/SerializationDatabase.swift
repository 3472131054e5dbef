import Logging
import NIOCore
import NIOPosix
import SQLKit

/// A stand-in `SQLDatabase` that only supplies a dialect, so SQLKit's serializer can turn
/// expressions into SQL text and binds that Strata's drivers then run.
struct SerializationDatabase: SQLDatabase {
    let dialect: any SQLDialect
    /// The dialect's identifier quote as text (`"`), read once for ``SQLName``.
    let identifierQuote: String?
    static let sharedLogger = Logger(label: "strata.sql")
    var logger: Logger { Self.sharedLogger }

    init(dialect: any SQLDialect) {
        self.dialect = dialect
        identifierQuote = (dialect.identifierQuote as? SQLRaw)?.sql
    }
    // The serializer never schedules work; the protocol just requires a loop.
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        eventLoop.makeFailedFuture(SerializationOnlyError())
    }

    struct SerializationOnlyError: Error {}
}

