import StrataCore
import StrataPostgres
import Testing
@testable import StrataServer

@Suite("config/database.json and DATABASE_* variables")
struct DatabaseConfigurationTests {
    func resolve(_ database: JSONValue?, _ environment: [String: String] = [:]) throws -> StrataConfiguration.Database {
        let files = ConfigurationFiles(files: database.map { ["database": $0] } ?? [:])
        return try StrataConfiguration.resolve(files: files, environment: ProjectEnvironment(values: environment), projectDirectory: "/srv/site").database
    }

    @Test("SQLite by default, at .tmp/data.db in the project")
    func sqliteDefault() throws {
        let database = try resolve(nil)
        #expect(database.client == .sqlite)
        #expect(database.filename == "/srv/site/.tmp/data.db")
        #expect(database.postgres == nil)
    }

    @Test("Strapi's generated environment variables select and configure Postgres")
    func environment() throws {
        let database = try resolve(nil, [
            "DATABASE_CLIENT": "postgres", "DATABASE_HOST": "db.internal", "DATABASE_PORT": "6543", "DATABASE_NAME": "cms",
            "DATABASE_USERNAME": "editor", "DATABASE_PASSWORD": "s3cret", "DATABASE_SCHEMA": "content",
            "DATABASE_SSL": "true", "DATABASE_SSL_REJECT_UNAUTHORIZED": "false", "DATABASE_POOL_MIN": "0", "DATABASE_POOL_MAX": "20",
        ])
        #expect(database.client == .postgres)
        #expect(database.postgres == PostgresConfiguration(
            host: "db.internal", port: 6543, database: "cms", username: "editor", password: "s3cret",
            tls: .require(verify: false), schema: "content", maximumConnections: 20, minimumConnections: 0))
    }

    @Test("DATABASE_URL gives every setting; explicit settings win over it")
    func url() throws {
        let fromURL = try resolve(nil, ["DATABASE_CLIENT": "postgres", "DATABASE_URL": "postgresql://app:p%40ss@10.0.0.5:5433/prod?sslmode=require"])
        #expect(fromURL.postgres == PostgresConfiguration(host: "10.0.0.5", port: 5433, database: "prod", username: "app", password: "p@ss", tls: .require(verify: false)))
        let overridden = try resolve(nil, ["DATABASE_CLIENT": "postgres", "DATABASE_URL": "postgres://app@10.0.0.5/prod", "DATABASE_NAME": "staging"])
        #expect(overridden.postgres?.database == "staging")
        #expect(overridden.postgres?.port == 5432)
        #expect(overridden.postgres?.applicationName == "strata", "sessions are named strata by default")
        let named = try resolve(nil, ["DATABASE_CLIENT": "postgres", "DATABASE_URL": "postgres://app@10.0.0.5/prod?application_name=cms-eu"])
        #expect(named.postgres?.applicationName == "cms-eu")
    }

    @Test("config/database.json in Strapi's shape: connection, ssl object, pool, acquireConnectionTimeout")
    func file() throws {
        let database = try resolve([
            "connection": [
                "client": "postgres",
                "connection": ["host": "pg", "port": "5434", "database": "strapi5", "user": "strapi", "password": "pw",
                               "ssl": ["rejectUnauthorized": true], "schema": "public"],
                "pool": ["min": 1, "max": 5],
                "acquireConnectionTimeout": 2500,
            ],
        ], ["DATABASE_HOST": "ignored"])
        #expect(database.postgres == PostgresConfiguration(
            host: "pg", port: 5434, database: "strapi5", username: "strapi", password: "pw", tls: .require(verify: true),
            maximumConnections: 5, minimumConnections: 1, connectTimeoutSeconds: 3, acquireTimeoutMilliseconds: 2500))
    }

    @Test("ssl certificates come from the ssl object or DATABASE_SSL_CA/_CERT/_KEY")
    func certificates() throws {
        let fromFile = try resolve(["connection": ["client": "postgres", "connection": ["ssl": ["ca": "/etc/ssl/db-ca.pem", "rejectUnauthorized": true]]]])
        #expect(fromFile.postgres?.tlsCertificateAuthority == "/etc/ssl/db-ca.pem")
        #expect(fromFile.postgres?.tls == .require(verify: true))
        let fromEnvironment = try resolve(nil, ["DATABASE_CLIENT": "postgres", "DATABASE_SSL": "true", "DATABASE_SSL_CERT": "/c.pem", "DATABASE_SSL_KEY": "/k.pem"])
        #expect(fromEnvironment.postgres?.tls == .require(verify: true))
        #expect(fromEnvironment.postgres?.tlsCertificate == "/c.pem")
        #expect(fromEnvironment.postgres?.tlsKey == "/k.pem")
        // Without DATABASE_SSL the certificates are not used: no TLS, as with Strapi's generated config.
        #expect(try resolve(nil, ["DATABASE_CLIENT": "postgres", "DATABASE_SSL_CA": "/ca.pem"]).postgres?.tls == .disable)
    }

    @Test("bad settings are one clear configuration error", arguments: [
        (["DATABASE_CLIENT": "mysql"], "unsupported client \"mysql\""),
        (["DATABASE_CLIENT": "postgres", "DATABASE_PORT": "five"], "DATABASE_PORT must be an integer"),
        (["DATABASE_CLIENT": "postgres", "DATABASE_URL": "mysql://x@y/z"], "DATABASE_URL must look like postgres://"),
        (["DATABASE_CLIENT": "postgres", "DATABASE_POOL_MAX": "0"], "pool.max must be at least 1"),
    ])
    func errors(environment: [String: String], message: String) throws {
        #expect {
            try resolve(nil, environment)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
