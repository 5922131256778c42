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
      title: "KIP 施設管理 (kip-building)", projections: [BuildingProjection(), LettingProjection()],
      routes: { app in
        guard let runner = app.projections else { return [] }
        let desk = Desk(store: app.store, now: now)
        let reads = DeskReads(runner: runner)
        return APIRoutes.all(app: app, desk: desk, reads: reads) + LotteryRoutes.all(app: app, desk: desk) + SeriesRoutes.all(app: app, desk: desk)
          + WaitlistRoutes.all(app: app, desk: desk, reads: reads)
          + CalendarRoutes.all(app: app, desk: desk, reads: reads) + DeskPages.all(app: app, desk: desk, reads: reads)
          + LotteryPages.all(app: app, desk: desk, reads: reads) + SeriesPages.all(app: app, desk: desk, reads: reads)
          + CalendarPages.all(app: app, desk: desk, reads: reads) + LettingRoutes.all(app: app, now: now)
          + ReportRoutes.all(app: app, reads: reads, now: now) + ReportPages.all(app: app, reads: reads, now: now)
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

/// Once a minute: lets provisional bookings past their deadline lapse (each gives its time back
/// in its own decision), records no-shows past their grace period, and closes and draws lottery
/// rounds on their days; recorded as the system's.
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
    let overdue = (try? await reads.read({ db, set in try BuildingQueries.overdueProvisional(before: today, in: db, set) })) ?? []
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
    await recordNoShows(through: today)
    await advanceLotteries(today: today)
    return lapsed
  }

  /// Records as 不使用 each confirmed booking nobody checked in for once its start plus the
  /// grace period has passed; answers how many.
  @discardableResult
  func recordNoShows(through today: LocalDate) async -> Int {
    let unattended = (try? await reads.read({ db, set in try BuildingQueries.confirmedUnattended(through: today, in: db, set) })) ?? []
    let metadata = EventMetadata(actor: "system:no-show", role: nil, source: BuildingService.name, client: "no-show recorder")
    var recorded = 0
    for id in unattended {
      guard let booking = try? BookingID(id) else { continue }
      do {
        try await desk.decisions.perform(metadata: metadata) { t in try await desk.attend(booking, used: false, in: t) }
        recorded += 1
      } catch let problem as Problem where problem.kind == .ruleViolated {
        continue  // not yet past its grace period
      } catch {
        logger.warning("a no-show could not be recorded", metadata: ["booking": "\(id)", "error": "\(error)"])
      }
    }
    if recorded > 0 { logger.info("no-shows recorded", metadata: ["count": "\(recorded)"]) }
    return recorded
  }

  /// Closes each round whose last day of applications has passed, and draws each closed round
  /// whose draw day has come, recorded as the system's.
  func advanceLotteries(today: LocalDate) async {
    guard let rounds = try? await desk.lotteries() else { return }
    let metadata = EventMetadata(actor: "system:lottery", role: nil, source: BuildingService.name, client: "lottery scheduler")
    for round in rounds {
      do {
        if round.closeDue(on: today) {
          try await desk.decisions.perform(metadata: metadata) { t in try await desk.closeLottery(round.id, in: t) }
          logger.info("a lottery round closed", metadata: ["round": "\(round.id)"])
        }
        if round.drawDue(on: today) {
          try await desk.decisions.perform(metadata: metadata) { t in try await desk.drawLottery(round.id, in: t) }
          logger.info("a lottery round was drawn", metadata: ["round": "\(round.id)"])
        }
      } catch {
        logger.warning("a lottery round could not advance", metadata: ["round": "\(round.id)", "error": "\(error)"])
      }
    }
  }
}
