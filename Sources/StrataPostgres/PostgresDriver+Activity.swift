public import Logging
import PostgresNIO

extension PostgresDriver {
    /// What the server says the sessions named `configuration.applicationName` are doing: one
    /// line per session with its state, what it waits on and which sessions block it. Read on a
    /// connection of its own, so it works while the pool is exhausted or stuck. For diagnosing a
    /// request that never finishes; a failure to ask is returned as a line, not thrown.
    public static func activity(_ configuration: PostgresConfiguration, logger: Logger = Logger(label: "strata.postgres")) async -> [String] {
        var inspector = configuration
        inspector.applicationName = configuration.applicationName + " (activity)"
        let connection: PostgresConnection
        do {
            connection = try await connectDirectly(inspector, tls: try tlsConfiguration(inspector), logger: logger)
        } catch {
            return ["cannot ask PostgreSQL for its sessions: \(error)"]
        }
        // Everything as text: this is for reading, and the columns' types vary between versions.
        let sql = """
            SELECT a.pid::text, coalesce(a.state, '?'), coalesce(a.wait_event_type || ':' || a.wait_event, '-'),
                   coalesce(extract(epoch FROM now() - a.state_change)::int::text, '?'),
                   coalesce(extract(epoch FROM now() - a.xact_start)::int::text, '-'),
                   coalesce((SELECT string_agg(b.pid || ' (' || b.application_name || ', ' || coalesce(b.state, '?') || ': ' || left(b.query, 80) || ')', '; ')
                             FROM pg_stat_activity b WHERE b.pid = ANY(pg_blocking_pids(a.pid))), '-'),
                   left(regexp_replace(a.query, '\\s+', ' ', 'g'), 200)
            FROM pg_stat_activity a WHERE a.application_name = $1 ORDER BY a.backend_start
            """
        var binds = PostgresBindings()
        binds.append(UntypedText(configuration.applicationName))
        let lines: [String]
        do {
            var read: [String] = []
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            for try await (pid, state, wait, stateSeconds, transactionSeconds, blockers, query) in rows.decode((String, String, String, String, String, String, String).self) {
                read.append("session \(pid): \(state) for \(stateSeconds) s, transaction open \(transactionSeconds) s, waiting on \(wait), blocked by \(blockers); last statement: \(query)")
            }
            lines = read.isEmpty ? ["no PostgreSQL sessions named \"\(configuration.applicationName)\""] : read
        } catch {
            lines = ["cannot read pg_stat_activity: \(PostgresErrorTranslator.reason(error))"]
        }
        try? await connection.close()
        return lines
    }
}
