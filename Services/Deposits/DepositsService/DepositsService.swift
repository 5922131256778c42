import DepositReadModels
public import Foundation
public import Logging
public import ServiceKit

/// `kip-deposits`: the treasury's service — the deposit scheme's institutions, borrowings and
/// deposits as double-entry postings with maker–checker — over the DepositLedger context and its
/// read model.
public enum DepositsService {
  public static let name = "kip-deposits"
  public static let defaultPort = 8083

  /// Its routes and projection; `now` is the clock (tests pass their own).
  public static func definition(now: @escaping @Sendable () -> Date = { Date() }) -> ServiceDefinition {
    ServiceDefinition(
      title: "KIP 預託事業 (kip-deposits)", projections: [LedgerProjection()],
      routes: { app in
        DepositRoutes.all(app: app, now: now) + ReconciliationRoutes.all(app: app, now: now) + TreasuryPages.all(app: app, now: now)
          + ReconciliationPages.all(app: app, now: now)
      })
  }

  /// Opens the log and builds the service's application.
  public static func buildApplication(
    configuration: ServiceConfiguration, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
  ) async throws -> ServiceApplication {
    try await ServiceApplication.open(configuration: configuration, logger: logger, definition: definition(now: now), now: now)
  }
}
