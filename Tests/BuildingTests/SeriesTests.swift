import Building
import EventLog
import SharedKernel
import Testing

/// 定期利用: one request books each date it can and reports the rest; it ends from a date on.
@Suite("Building: recurring bookings (定期利用)")
struct SeriesTests {
  typealias C = TestCatalogue
  let id = try! SeriesID("s-circle")

  func dates(_ recurrence: Recurrence, _ from: String, _ until: String) -> [String] {
    recurrence.dates(from: C.date(from), until: C.date(until)).map(\.description)
  }

  @Test("weekly, every other week, the second Tuesday and the last Friday of each month, to the day")
  func recurrences() {
    #expect(dates(.weekly(weekday: .tuesday, interval: 1), "2023-04-01", "2023-04-30") == ["2023-04-04", "2023-04-11", "2023-04-18", "2023-04-25"])
    #expect(dates(.weekly(weekday: .thursday, interval: 2), "2023-04-06", "2023-05-31") == ["2023-04-06", "2023-04-20", "2023-05-04", "2023-05-18"])
    #expect(dates(.monthly(ordinal: 2, weekday: .tuesday), "2023-01-11", "2023-06-30") == ["2023-02-14", "2023-03-14", "2023-04-11", "2023-05-09", "2023-06-13"])
    #expect(dates(.monthly(ordinal: -1, weekday: .friday), "2024-01-01", "2024-03-31") == ["2024-01-26", "2024-02-23", "2024-03-29"])
    #expect(dates(.monthly(ordinal: 5, weekday: .monday), "2023-01-01", "2023-05-31") == ["2023-01-30", "2023-05-29"])
    #expect(Recurrence.monthly(ordinal: 2, weekday: .tuesday).japaneseName == "毎月第2火曜")
  }

  func request(skipHolidays: Bool, until: String = "2023-07-31") throws -> SeriesRequest {
    SeriesRequest(
      request: QuoteRequest(space: C.id("room-a"), date: C.date("2023-04-03"), slot: .evening, tier: .nonprofit),
      recurrence: .weekly(weekday: .monday, interval: 1), from: C.date("2023-04-03"), until: C.date(until), skipHolidays: skipHolidays,
      purpose: "合唱練習", attendees: 20)
  }

  /// Every Monday evening from 2023-04-03 to 2023-07-31, asked on 2023-04-01, with room A taken
  /// on 6/5 and closed for works on 5/1.
  func book(skipHolidays: Bool) throws -> SeriesDecision {
    var closures = Closures.State()
    closures.closures = [Closures.Closure(id: "w-1", from: C.date("2023-05-01"), to: C.date("2023-05-01"), spaces: [C.id("room-a")], reason: "床の張替え")]
    let context = C.context(today: "2023-04-01", closures: closures)
    let taken = try Booking.request(
      NewBooking(
        id: try BookingID("b-other"), request: QuoteRequest(space: C.id("room-a"), date: C.date("2023-06-05"), slot: .afternoonEvening),
        customer: C.customer(), purpose: nil, attendees: nil, provisional: false), context, sheet: .init(), equipment: .init(), permits: 0)
    let sheet = try #require(taken.slots.first)
    return try Series.request(
      id, try request(skipHolidays: skipHolidays), customer: C.customer(.nonprofit), context,
      sheets: [sheet.stream: sheet.events.reduce(DaySheet.initialState, DaySheet.evolve)], equipment: [:], permits: 1)
  }

  func requested(_ decision: SeriesDecision) throws -> Series.Requested {
    guard case .requested(let e)? = decision.series.first else { throw BuildingError.unknownSeries(nil) }
    return e
  }

  @Test("a series across a holiday and a closure: the open dates are booked, each with its permit; the rest reported with why")
  func acrossHolidayAndClosure() throws {
    let decision = try book(skipHolidays: true)
    let e = try requested(decision)
    // 18 Mondays; 5/1 closed, 6/5 taken, 7/17 海の日 left out. July is past a 非営利 customer's three months: the 定期利用 window (12) holds.
    #expect(e.booked.count + e.skipped.count == 18)
    #expect(e.skipped.map(\.date.description) == ["2023-05-01", "2023-06-05", "2023-07-17"])
    #expect(e.skipped[0].reason.contains("床の張替え") && e.skipped[1].reason.contains("既に予約されています") && e.skipped[2].reason.contains("海の日"))
    #expect(e.booked.first?.booking.rawValue == "s-circle-20230403" && e.booked.last?.date == C.date("2023-07-31"))
    let permits = decision.bookings.flatMap { $0.decision.numbers[.permits] ?? [] }.compactMap { if case .issued(let i) = $0 { i.number } else { nil } }
    #expect(permits.first == "P2023-00002" && permits.last == "P2023-00016" && Set(permits).count == 15)
    // Without skipping, the holiday is booked at the 土日祝 fee.
    let all = try book(skipHolidays: false)
    let holiday = try #require(all.bookings.first { $0.id.rawValue == "s-circle-20230717" })
    let weekday = try #require(all.bookings.first { $0.id.rawValue == "s-circle-20230710" })
    func total(_ o: SeriesDecision.Occurrence) -> Yen? { if case .requested(let r)? = o.decision.booking.first { r.details.quote.total } else { nil } }
    #expect(try #require(total(holiday)) > (try #require(total(weekday))))
    #expect(try requested(all).skipped.count == 2)
  }

  @Test("ending a series from a date cancels its held bookings from then by the usual schedule; moved or cancelled ones are left")
  func endFrom() throws {
    let decision = try book(skipHolidays: true)
    var records = decision.bookings.map { $0.decision.booking.reduce(Booking.initialState, Booking.evolve)! }
    // One date was cancelled alone already.
    let alone = try #require(records.firstIndex { $0.id.rawValue == "s-circle-20230612" })
    records[alone].status = .cancelled
    let series = decision.series.reduce(Series.initialState, Series.evolve)
    let today = "2023-05-20"
    let ended = try Series.end(
      series, from: C.date("2023-06-01"), reason: "サークル解散", bookings: records, C.context(today: today), sheets: [:], equipment: [:], cashBook: .init())
    guard case .ended(let e)? = ended.series.first else { Issue.record("not ended"); return }
    // From 6/1: 6/5 (taken, not ours), 6/12 (already cancelled) are not cancelled again; 6/19 … 7/31 less 7/17 are.
    #expect(e.cancelled.map(\.rawValue) == ["s-circle-20230619", "s-circle-20230626", "s-circle-20230703", "s-circle-20230710", "s-circle-20230724", "s-circle-20230731"])
    let fees = ended.bookings.compactMap { o -> Int? in if case .cancelled(let c)? = o.decision.booking.first { c.percent } else { nil } }
    // 6/19 is 30 days after 5/20: free; all later ones too.
    #expect(fees == [0, 0, 0, 0, 0, 0])
    let soon = try Series.end(
      series, from: C.date("2023-06-19"), reason: "サークル解散", bookings: records, C.context(today: "2023-06-10"), sheets: [:], equipment: [:],
      cashBook: .init())
    let percents = soon.bookings.compactMap { o -> Int? in if case .cancelled(let c)? = o.decision.booking.first { c.percent } else { nil } }
    // 9 days before 6/19 and 16 days before 6/26: 50%; 7/3 is 23 days: 50%; 7/10 is 30 days: free.
    #expect(percents == [50, 50, 50, 0, 0, 0])
    #expect(throws: BuildingError.self) {
      try Series.end(series, from: C.date("2023-05-01"), reason: "x", bookings: records, C.context(today: today), sheets: [:], equipment: [:], cashBook: .init())
    }
  }

  @Test("a series longer than a year, or with no date it can have, is refused whole")
  func refused() throws {
    let context = C.context(today: "2023-04-01")
    #expect(throws: BuildingError.self) {
      try Series.request(id, try request(skipHolidays: false, until: "2024-04-30"), customer: C.customer(.nonprofit), context, sheets: [:], equipment: [:], permits: 0)
    }
    var closures = Closures.State()
    closures.closures = [Closures.Closure(id: "w-1", from: C.date("2023-04-01"), to: C.date("2023-08-31"), spaces: [], reason: "全館改修")]
    do {
      _ = try Series.request(
        id, try request(skipHolidays: false), customer: C.customer(.nonprofit), C.context(today: "2023-04-01", closures: closures), sheets: [:],
        equipment: [:], permits: 0)
      Issue.record("a series with no open date was booked")
    } catch BuildingError.seriesEmpty(let dates, let first) {
      #expect(dates == 18 && first.contains("全館改修"))
    }
  }
}
