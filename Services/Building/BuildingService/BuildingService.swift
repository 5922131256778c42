import Building
import BuildingReadModels
import EventLog
public import Foundation
public import Logging
import Projections
public import ServiceKit
import SharedKernel

/// `kip-building`: the front desk's service — spaces, fees, customers and bookings — over the
/// Building context and its read model.
public enum BuildingService {
  public static let name = "kip-building"
  public static let defaultPort = 8081

  /// Its routes, its projection and its background work; `now` is the clock (tests pass their own).
  public static func definition(now: @escaping @Sendable () -> Date = { Date() }) -> ServiceDefinition {
    ServiceDefinition(
      title: "KIP 施設管理 (kip-building)", projections: [BuildingProjection()],
      routes: { app in
        guard let runner = app.projections else { return [] }
        let desk = Desk(store: app.store, now: now)
        let reads = DeskReads(runner: runner)
        return APIRoutes.all(app: app, desk: desk, reads: reads) + DeskPages.all(app: app, desk: desk, reads: reads)
      },
      background: { app in
        guard let runner = app.projections else { return }
        await LapseSweeper(desk: Desk(store: app.store, now: now), reads: DeskReads(runner: runner), logger: app.logger).run()
      })
  }

  /// Opens the log and builds the service's application.
  public static func buildApplication(
    configuration: ServiceConfiguration, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
  ) async throws -> ServiceApplication {
    try await ServiceApplication.open(configuration: configuration, logger: logger, definition: definition(now: now), now: now)
  }
}

/// Lets provisional bookings past their deadline lapse, once a minute: each gives its time back
/// in its own decision, recorded as the system's.
struct LapseSweeper: Sendable {
  let desk: Desk
  let reads: DeskReads
  let logger: Logger
  var interval: Duration = .seconds(60)

  func run() async {
    while !Task.isCancelled {
      await sweep()
      try? await Task.sleep(for: interval)
    }
  }

  /// One pass; answers how many lapsed.
  @discardableResult
  func sweep() async -> Int {
    guard let today = try? LocalDate(japanTimeOf: desk.now()) else { return 0 }
    guard let overdue = try? await reads.read({ db, set in try BuildingQueries.overdueProvisional(before: today, in: db, set) }) else { return 0 }
    var lapsed = 0
    let metadata = EventMetadata(actor: "system:lapse", role: nil, source: BuildingService.name, client: "provisional-booking sweeper")
    for id in overdue {
      guard let booking = try? BookingID(id) else { continue }
      do {
        try await desk.decisions.perform(metadata: metadata) { t in try await desk.lapse(booking, in: t) }
        lapsed += 1
      } catch {
        logger.warning("a provisional booking could not lapse", metadata: ["booking": "\(id)", "error": "\(error)"])
      }
    }
    if lapsed > 0 { logger.info("provisional bookings lapsed", metadata: ["count": "\(lapsed)"]) }
    return lapsed
  }
}
