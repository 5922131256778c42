public import Foundation
public import Logging
import Projections
public import ServiceKit
import SuccessionReadModels

/// `kip-succession`: the business-succession centre's service — partners, referrals, cases,
/// diagnoses and the programme's KPIs, as a JSON API and as Japanese pages for the staff and
/// the partners — over the Succession context and its read model.
public enum SuccessionService {
  public static let name = "kip-succession"
  public static let defaultPort = 8082

  /// Its routes and its projection; `now` is the clock (tests pass their own).
  public static func definition(now: @escaping @Sendable () -> Date = { Date() }) -> ServiceDefinition {
    ServiceDefinition(
      title: "KIP 事業承継支援 (kip-succession)", projections: [SuccessionProjection()],
      routes: { app in
        guard let runner = app.projections else { return [] }
        let centre = Centre(store: app.store, now: now, directory: app.directory)
        let reads = CentreReads(runner: runner)
        let pages = CentrePages(app: app, centre: centre, reads: reads)
        return APIRoutes.all(app: app, centre: centre, reads: reads) + TodayPages.all(pages) + IntakePages.all(pages) + CasePages.all(pages)
          + CaseListPages.all(pages) + PartnerTablePages.all(pages) + KPIPages.all(pages) + PartnerPages.all(pages)
      })
  }

  /// Opens the log and builds the service's application.
  public static func buildApplication(
    configuration: ServiceConfiguration, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
  ) async throws -> ServiceApplication {
    try await ServiceApplication.open(configuration: configuration, logger: logger, definition: definition(now: now), now: now)
  }
}
