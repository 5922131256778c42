// swift-tools-version:6.2
// The picture of the layers (DESIGN.md): services → read models → contexts → EventLog → SharedKernel;
// backends implement EventLog and never import a context.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "KIP",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "kip-building", targets: ["kip-building"]),
    .executable(name: "kip-succession", targets: ["kip-succession"]),
    .executable(name: "kip-deposits", targets: ["kip-deposits"]),
    .executable(name: "kipctl", targets: ["kipctl"]),
    .executable(name: "kip-bench", targets: ["kip-bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
    .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
  ],
  targets: [
    // MARK: - Core
    .target(
      name: "SharedKernel",
      swiftSettings: swiftSettings),
    .target(
      name: "JapaneseCalendar",
      dependencies: ["SharedKernel"],
      swiftSettings: swiftSettings),
    .target(
      name: "EventLog",
      dependencies: [
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: swiftSettings),
    .target(
      name: "Projections",
      dependencies: [
        "EventLog",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: swiftSettings),
    .target(
      name: "ProjectionFixtures",
      dependencies: ["EventLog", "Projections", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: swiftSettings),

    // MARK: - Contexts
    .target(
      name: "Accounts",
      dependencies: ["EventLog", "SharedKernel"],
      swiftSettings: swiftSettings),

    .target(
      name: "Building",
      dependencies: ["EventLog", "JapaneseCalendar", "SharedKernel", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: swiftSettings),
    .target(
      name: "Succession",
      dependencies: ["EventLog", "JapaneseCalendar", "SharedKernel", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: swiftSettings),
    .target(
      name: "DepositLedger",
      dependencies: ["BankFiles", "EventLog", "JapaneseCalendar", "SharedKernel", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: swiftSettings),
    .target(
      name: "BankFiles",
      dependencies: ["JapaneseCalendar", "SharedKernel"],
      swiftSettings: swiftSettings),

    // MARK: - Read models
    .target(
      name: "AccountsReadModels",
      dependencies: ["Accounts", "EventLog", "SharedKernel"],
      swiftSettings: swiftSettings),

    .target(
      name: "BuildingReadModels",
      dependencies: ["Building", "EventLog", "Projections", "SharedKernel", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: swiftSettings),
    .target(
      name: "SuccessionReadModels",
      dependencies: ["Succession", "EventLog", "Projections", "SharedKernel", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: swiftSettings),

    .target(
      name: "DepositReadModels",
      dependencies: ["DepositLedger", "EventLog", "Projections", "SharedKernel", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: swiftSettings),

    // MARK: - Backends
    .target(
      name: "EventLogSQLite",
      dependencies: [
        "EventLog",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings),
    .target(
      name: "EventLogPostgres",
      dependencies: [
        "EventLog",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings),
    .target(
      name: "EventLogBackends",
      dependencies: [
        "EventLog",
        "EventLogPostgres",
        "EventLogSQLite",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings),
    .target(
      name: "PersonalDataKeys",
      dependencies: [
        "EventLog",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: swiftSettings),
    .target(
      name: "EventLogTesting",
      dependencies: ["EventLog"],
      swiftSettings: swiftSettings),

    // MARK: - Services
    .target(
      name: "Credentials",
      dependencies: [
        "SharedKernel",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings),
    .target(
      name: "UserAdministration",
      dependencies: ["Accounts", "AccountsReadModels", "Credentials", "EventLog", "SharedKernel"],
      swiftSettings: swiftSettings),
    .target(
      name: "ServiceKit",
      dependencies: [
        "Accounts",
        "AccountsReadModels",
        "Credentials",
        "UserAdministration",
        "EventLog",
        "EventLogBackends",
        "JapaneseCalendar",
        "Projections",
        "SharedKernel",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: swiftSettings),
    .target(
      name: "BuildingService",
      dependencies: [
        "Building", "BuildingReadModels", "EventLog", "JapaneseCalendar", "Projections", "ServiceKit", "SharedKernel",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Services/Building/BuildingService",
      swiftSettings: swiftSettings),
    .executableTarget(
      name: "kip-building",
      dependencies: ["BuildingService", "ServiceKit"],
      path: "Services/Building/kip-building",
      swiftSettings: swiftSettings),
    .target(
      name: "SuccessionService",
      dependencies: [
        "Succession", "SuccessionReadModels", "EventLog", "JapaneseCalendar", "Projections", "ServiceKit", "SharedKernel",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Services/Succession/SuccessionService",
      swiftSettings: swiftSettings),
    .executableTarget(
      name: "kip-succession",
      dependencies: ["SuccessionService", "ServiceKit"],
      path: "Services/Succession/kip-succession",
      swiftSettings: swiftSettings),
    .target(
      name: "DepositsService",
      dependencies: [
        "BankFiles", "DepositLedger", "DepositReadModels", "EventLog", "JapaneseCalendar", "Projections", "ServiceKit", "SharedKernel",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      path: "Services/Deposits/DepositsService",
      swiftSettings: swiftSettings),
    .executableTarget(
      name: "kip-deposits",
      dependencies: ["DepositsService", "ServiceKit"],
      path: "Services/Deposits/kip-deposits",
      swiftSettings: swiftSettings),

    .target(
      name: "KIPClient",
      dependencies: ["Projections"],
      swiftSettings: swiftSettings),

    // MARK: - Tools
    .executableTarget(
      name: "kipctl",
      dependencies: [
        "DepositLedger",
        "Accounts",
        "AccountsReadModels",
        "BankFiles",
        "Building",
        "BuildingReadModels",
        "Credentials",
        "EventLog",
        "EventLogBackends",
        "EventLogSQLite",
        "JapaneseCalendar",
        "KIPClient",
        "ProjectionFixtures",
        "Projections",
        "SharedKernel",
        "Succession",
        "SuccessionReadModels",
        "UserAdministration",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Tools/kipctl",
      swiftSettings: swiftSettings),
    .executableTarget(
      name: "kip-bench",
      dependencies: [
        "EventLog",
        "EventLogPostgres",
        "EventLogSQLite",
        "ProjectionFixtures",
        "Projections",
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Tools/kip-bench",
      exclude: ["pgbench"],
      swiftSettings: swiftSettings),

    // MARK: - Tests
    .target(
      name: "TestSupport",
      path: "Tests/Support",
      swiftSettings: swiftSettings),
    .target(
      name: "BrowserSupport",
      dependencies: ["TestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client")],
      path: "Tests/BrowserSupport",
      swiftSettings: swiftSettings),
    .testTarget(
      name: "SharedKernelTests",
      dependencies: [
        "SharedKernel",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "JapaneseCalendarTests",
      dependencies: [
        "JapaneseCalendar",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      resources: [.copy("Resources")],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "EventLogTests",
      dependencies: [
        "EventLog",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "BuildingTests",
      dependencies: ["Building", "EventLog", "JapaneseCalendar", "SharedKernel"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "SuccessionTests",
      dependencies: ["Succession", "EventLog", "JapaneseCalendar", "SharedKernel", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DepositLedgerTests",
      dependencies: [
        "DepositLedger", "EventLog", "JapaneseCalendar", "SharedKernel",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "BankFilesTests",
      dependencies: ["BankFiles", "JapaneseCalendar", "SharedKernel"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "SuccessionServiceTests",
      dependencies: [
        "TestSupport", "Accounts", "SuccessionService", "Succession", "SuccessionReadModels", "Projections", "Credentials", "EventLog",
        "EventLogSQLite", "ServiceKit", "SharedKernel", "UserAdministration", .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DepositsServiceTests",
      dependencies: [
        "TestSupport", "Accounts", "BankFiles", "DepositsService", "DepositLedger", "Credentials", "EventLog", "EventLogSQLite", "ServiceKit", "SharedKernel",
        "UserAdministration", .product(name: "HummingbirdTesting", package: "hummingbird"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "BuildingServiceTests",
      dependencies: [
        "TestSupport", "Accounts", "BuildingService", "Credentials", "EventLog", "EventLogSQLite", "ServiceKit", "SharedKernel",
        "UserAdministration", .product(name: "HummingbirdTesting", package: "hummingbird"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "AccountsTests",
      dependencies: ["Accounts", "EventLog", "SharedKernel"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "CredentialsTests",
      dependencies: ["TestSupport", "Credentials", "SharedKernel", .product(name: "HummingbirdOTP", package: "hummingbird-auth")],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "UserAdministrationTests",
      dependencies: [
        "TestSupport", "Accounts", "AccountsReadModels", "Credentials", "EventLog", "EventLogSQLite", "SharedKernel",
        "UserAdministration", .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "EventLogSQLiteTests",
      dependencies: ["TestSupport", "EventLogSQLite", "EventLogTesting", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "EventLogPostgresTests",
      dependencies: ["TestSupport", "EventLog", "EventLogPostgres", "EventLogTesting"],
      swiftSettings: swiftSettings),
    .executableTarget(
      name: "projection-worker",
      dependencies: ["EventLog", "EventLogSQLite", "Projections", "ProjectionFixtures", .product(name: "GRDB", package: "GRDB.swift")],
      path: "Tests/Fixtures/projection-worker",
      swiftSettings: swiftSettings),
    .testTarget(
      name: "ProjectionsTests",
      dependencies: ["TestSupport", 
        "EventLog", "EventLogSQLite", "Projections", "ProjectionFixtures", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "KipCtlTests",
      dependencies: [
        "DepositLedger",
        "kipctl", "TestSupport", "Building", "EventLog", "EventLogSQLite", "SharedKernel", "Succession", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "ServiceKitTests",
      dependencies: [
        "TestSupport", "EventLog", "EventLogSQLite", "ProjectionFixtures", "Projections", "ServiceKit", "SharedKernel",
        "BuildingService", "SuccessionService", "DepositsService", "Accounts", "Credentials", "UserAdministration",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "EndToEndTests",
      dependencies: [
        "TestSupport", "BrowserSupport", "Building", "EventLog", "EventLogSQLite", "JapaneseCalendar", "SharedKernel",
        .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
      ],
      swiftSettings: swiftSettings),
  ],
  swiftLanguageModes: [.v6]
)
