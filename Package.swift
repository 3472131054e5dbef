// swift-tools-version:6.2
// Strata: a Strapi 5 compatible headless CMS in Swift.

import PackageDescription

// libvips' headers include glib's, whose configuration header lives in the multiarch directory.
// Passing them here (instead of a pkg-config system library) keeps SwiftPM from warning about
// the `-pthread` flags pkg-config reports.
#if arch(arm64)
let multiarch = "aarch64-linux-gnu"
#else
let multiarch = "x86_64-linux-gnu"
#endif

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "strata",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "strata", targets: ["strata"]),
        .library(name: "StrataServer", targets: ["StrataServer"]),
        .library(name: "StrataTesting", targets: ["StrataTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.0.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.0.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.0.0"),
    ],
    targets: [
        // Shared vocabulary: JSON values, UIDs, document ids, Strapi's error kinds.
        .target(
            name: "StrataCore",
            dependencies: [.product(name: "Logging", package: "swift-log"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // Strapi schema.json model: content types, components, attributes, registry.
        .target(name: "StrataSchema", dependencies: ["StrataCore"], swiftSettings: swiftSettings),
        // SQL vocabulary over SQLKit: dialect capabilities, values, rows, the driver protocol.
        .target(
            name: "StrataSQL",
            dependencies: [
                "StrataCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // SQLite driver (the SQLite build sqlite-nio vendors, called directly): connections with
        // prepared-statement caches, pool, dialect, error translation.
        // Calls into that SQLite which Swift cannot make (variadic `sqlite3_db_config`).
        .target(name: "CStrataSQLite"),
        .target(
            name: "StrataSQLite",
            dependencies: [
                "StrataSQL",
                "CStrataSQLite",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // PostgreSQL driver (postgres-nio's pooled client): dialect, introspection, error translation.
        .target(
            name: "StrataPostgres",
            dependencies: [
                "StrataCore",
                "StrataSQL",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Query engine: storage metadata, schema sync, filters/sort/pagination to SQL, entity writes.
        .target(name: "StrataDatabase", dependencies: ["StrataSchema", "StrataSQL"], swiftSettings: swiftSettings),
        // Document Service: documentId, draft & publish, locales, validation, middlewares, events.
        .target(
            name: "StrataDocuments",
            dependencies: [
                "StrataDatabase",
                // Pure bcrypt (C), no HTTP: Strapi stores password attributes as bcrypt hashes.
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        // Access control: Users & Permissions roles and users, API tokens, JWT, the Content API authorizer.
        .target(
            name: "StrataAccess",
            dependencies: [
                "StrataDocuments",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        // Data Management: Strapi-compatible export/import archives (tar, gzip, encryption) and the transfer engine.
        .target(
            name: "StrataDataTransfer",
            dependencies: [
                "StrataDocuments",
                "StrataUpload",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // The few libvips calls the Media Library needs, as plain C functions (libvips' API is variadic).
        // Built against the headers of Debian's libvips-dev (installed by scripts/setup.sh); libvips
        // itself is loaded with dlopen on the first image, so it costs nothing until then.
        .target(
            name: "CStrataVips",
            cSettings: [.unsafeFlags(["-I/usr/include/glib-2.0", "-I/usr/lib/\(multiarch)/glib-2.0/include"])],
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // Media Library: file entities, folders, upload providers (local, S3), responsive image formats.
        .target(
            name: "StrataUpload",
            dependencies: [
                "StrataDocuments",
                "CStrataVips",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Hummingbird glue: request context, qs decoder, Strapi error envelope.
        .target(
            name: "StrataHTTP",
            dependencies: [
                "StrataCore", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Content operations every transport calls (no HTTP): authorize, gate related types,
        // parse and validate the query, paginate, run the Document Service, sanitize.
        .target(
            name: "StrataOperations",
            dependencies: ["StrataCore", "StrataSchema", "StrataDatabase", "StrataDocuments"],
            swiftSettings: swiftSettings
        ),
        // The module seam: the protocol the core Content API and every plugin register through,
        // their routes (with permission actions and policies) and the registry the application folds over.
        .target(
            name: "StrataModule",
            dependencies: [
                "StrataCore", "StrataDocuments", "StrataOperations", "StrataHTTP",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // REST Content API routes per content type: thin adapters over the operations.
        .target(
            name: "StrataContentAPI",
            dependencies: [
                "StrataCore", "StrataSchema", "StrataDocuments", "StrataOperations", "StrataHTTP", "StrataModule",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Users & Permissions plugin's HTTP side: auth, users and roles routes, the Content API authenticator.
        .target(
            name: "StrataUsersPermissions",
            dependencies: ["StrataAccess", "StrataOperations", "StrataHTTP", "StrataModule", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        // The Media Library's HTTP side: `/api/upload` routes with streamed multipart bodies.
        .target(
            name: "StrataUploadAPI",
            dependencies: [
                "StrataUpload", "StrataAccess", "StrataOperations", "StrataHTTP", "StrataModule", "StrataSchema",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // Composition root: project loading, configuration, database, routes, lifecycle.
        // Webhooks: the strapi_webhooks store's service, called after document and media events.
        .target(
            name: "StrataWebhooks",
            dependencies: [
                "StrataDocuments",
                "StrataUpload",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StrataServer",
            dependencies: ["StrataContentAPI", "StrataOperations", "StrataModule", "StrataSQLite", "StrataPostgres", "StrataUsersPermissions", "StrataDataTransfer", "StrataUpload", "StrataUploadAPI", "StrataWebhooks"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "strata",
            dependencies: [
                "StrataServer",
                "StrataOperations",
                "StrataUsersPermissions",
                "StrataAccess",
                "StrataDataTransfer",
                "StrataUploadAPI",
                "StrataWebhooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // bench/: the benchmark ceiling (Hummingbird + Strata's SQLite driver, hand-written SQL and JSON, no CMS logic).
        .executableTarget(
            name: "strata-ceiling",
            dependencies: [
                "StrataSQL",
                "StrataSQLite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "bench/ceiling",
            swiftSettings: swiftSettings
        ),
        // Test support: the backend of a test run (SQLite, or Postgres with a schema per test).
        .target(name: "StrataTestDatabase", dependencies: ["StrataSQL", "StrataSQLite", "StrataPostgres"], swiftSettings: swiftSettings),
        // Test support: an in-process Strata with inline schemas and a per-test database.
        .target(
            name: "StrataTesting",
            dependencies: [
                "StrataServer",
                "StrataSQL",
                "StrataTestDatabase",
                "StrataPostgres",
                "StrataDatabase",
                "StrataDocuments",
                "StrataUsersPermissions",
                "StrataAccess",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "StrataCoreTests", dependencies: ["StrataCore"], swiftSettings: swiftSettings),
        .testTarget(name: "StrataSchemaTests", dependencies: ["StrataSchema"], swiftSettings: swiftSettings),
        .testTarget(name: "StrataDatabaseTests", dependencies: ["StrataDatabase", "StrataSQLite", "StrataTestDatabase"], swiftSettings: swiftSettings),
        .testTarget(
            name: "StrataDocumentsTests",
            dependencies: ["StrataDocuments", "StrataSQLite", "StrataTestDatabase", .product(name: "HummingbirdBcrypt", package: "hummingbird-auth")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StrataHTTPTests",
            dependencies: ["StrataHTTP", "StrataCore", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StrataDataTransferTests",
            dependencies: [
                "StrataDataTransfer", "StrataTesting", "StrataServer", "StrataDatabase", "StrataDocuments", "StrataSQL", "StrataWebhooks",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StrataUploadTests",
            dependencies: [
                "StrataUpload", "StrataUploadAPI", "StrataTesting", "StrataServer", "StrataDocuments", "StrataDataTransfer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StrataServerTests",
            dependencies: ["StrataServer", "StrataPostgres", "StrataSQL", "StrataTestDatabase", "StrataTesting", "StrataCore", .product(name: "SQLKit", package: "sql-kit")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "StrataAccessTests", dependencies: ["StrataAccess", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .testTarget(
            name: "StrataContentAPITests",
            dependencies: [
                "StrataTesting", "StrataTestDatabase", "StrataOperations", "StrataModule", "StrataServer", "StrataDocuments", "StrataDatabase", "StrataSchema", "StrataCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "CompressNIO", package: "compress-nio"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StrataWebhooksTests",
            dependencies: [
                "StrataTesting", "StrataWebhooks", "StrataDatabase", "StrataDocuments", "StrataCore", "StrataServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "StrataCLITests", dependencies: ["strata", "StrataTesting", "StrataDataTransfer", "StrataTestDatabase", "StrataPostgres", "StrataSQL"], swiftSettings: swiftSettings),
    ]
)
