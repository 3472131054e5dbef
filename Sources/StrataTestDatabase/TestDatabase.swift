public import StrataPostgres
public import StrataSQL
import StrataSQLite
import Foundation

/// The database backend a test run uses: SQLite in memory, or — when
/// `STRATA_TEST_POSTGRES_URL` is set (scripts/test.sh sets it for its second pass) — a
/// PostgreSQL server where every test gets a schema of its own.
public enum TestDatabase {
    /// The PostgreSQL server of this run, if any.
    public static let postgresURL: String? = {
        let value = ProcessInfo.processInfo.environment["STRATA_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    /// Whether this run's tests use PostgreSQL.
    public static var isPostgres: Bool { postgresURL != nil }

    /// Settings for a fresh, empty schema on this run's PostgreSQL server (`nil` on SQLite runs).
    public static func postgresConfiguration() -> PostgresConfiguration? {
        guard let postgresURL else { return nil }
        var configuration = PostgresConfiguration()
        do {
            try configuration.apply(url: postgresURL)
        } catch {
            fatalError("STRATA_TEST_POSTGRES_URL: \(error)")
        }
        configuration.schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        configuration.minimumConnections = 0
        configuration.maximumConnections = 3
        // Names the test's sessions, so a stuck test's can be found in pg_stat_activity.
        configuration.applicationName = configuration.schema
        return configuration
    }

    /// A driver on a database of its own: in-memory SQLite, or a new Postgres schema.
    public static func driver() async throws -> any DatabaseDriver {
        if let postgres = postgresConfiguration() {
            return try await PostgresDriver.open(postgres)
        }
        return try await SQLiteDriver.open(SQLiteConfiguration(storage: .memory))
    }
}
