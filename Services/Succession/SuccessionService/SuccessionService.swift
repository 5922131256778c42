public import Foundation
public import Logging
public import EventLog
import PersonalDataKeys
import Projections
public import ServiceKit
import SuccessionReadModels

/// `kip-succession`: the business-succession centre's service — partners, referrals, cases,
/// diagnoses and the programme's KPIs, as a JSON API and as Japanese pages for the staff and
/// the partners — over the Succession context and its read model.
public enum SuccessionService {
  public static let name = "kip-succession"
  public static let defaultPort = 8082

  /// Its routes and its projection; `now` is the clock (tests pass their own), `vault` the key
  /// store of the cases' personal data.
  ///
  /// A closed case's personal data is erased `retentionDays` after it ended (the sweeper runs hourly).
  public static func definition(
    now: @escaping @Sendable () -> Date = { Date() }, vault: any PersonalDataVault, retentionDays: Int = defaultRetentionDays
  ) -> ServiceDefinition {
    @Sendable func makeCentre(_ app: ServiceApplication) -> Centre { Centre(store: app.store, now: now, directory: app.directory, vault: vault) }
    @Sendable func erasures(_ app: ServiceApplication, _ centre: Centre, _ reads: CentreReads) -> Erasures {
      Erasures(centre: centre, reads: reads, logger: app.logger, retentionDays: retentionDays)
    }
    var definition = ServiceDefinition(
      title: "KIP 事業承継支援 (kip-succession)", projections: [SuccessionProjection(vault: vault)],
      routes: { app in
        guard let runner = app.projections else { return [] }
        let centre = makeCentre(app)
        let reads = CentreReads(runner: runner)
        let pages = CentrePages(app: app, centre: centre, reads: reads)
        return APIRoutes.all(app: app, centre: centre, reads: reads) + [erasures(app, centre, reads).route(app: app)] + TodayPages.all(pages)
          + IntakePages.all(pages) + CasePages.all(pages) + CaseListPages.all(pages) + PartnerTablePages.all(pages) + KPIPages.all(pages)
          + PartnerPages.all(pages)
      },
      background: { app in
        guard let runner = app.projections else { return }
        await erasures(app, makeCentre(app), CentreReads(runner: runner)).run()
      })
    definition.secureDelete = true
    return definition
  }

  /// Five years (1,826 days) after a case ended, unless `KIP_SUCCESSION_RETENTION_DAYS` says otherwise.
  public static let defaultRetentionDays = 1826

  /// Opens the log and the key store (``KeyVault`` in the data directory, its master key from
  /// `KIP_MASTER_KEY` or `KIP_MASTER_KEY_FILE`) and builds the service's application.
  public static func buildApplication(
    configuration: ServiceConfiguration, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) async throws -> ServiceApplication {
    let master = try MasterKey.configured(environment: environment, dataDirectory: configuration.dataDirectory)
    let vault = try KeyVault.open(dataDirectory: configuration.dataDirectory, masterKey: master)
    var retention = defaultRetentionDays
    if let text = environment["KIP_SUCCESSION_RETENTION_DAYS"], !text.isEmpty {
      guard let days = Int(text), (0...36_500).contains(days) else {
        throw ConfigurationError("KIP_SUCCESSION_RETENTION_DAYS '\(text)' is not a number of days (0–36500)")
      }
      retention = days
    }
    return try await ServiceApplication.open(
      configuration: configuration, logger: logger, definition: definition(now: now, vault: vault, retentionDays: retention), now: now)
  }
}
