public import EventLog
import Foundation
import JapaneseCalendar
public import SharedKernel

/// Phantom tag for ``SeriesID``.
public enum SeriesTag {}
/// A recurring booking (定期利用): `s-<UUIDv7>`.
public typealias SeriesID = ID<SeriesTag>

/// Which dates a series takes.
public enum Recurrence: Sendable, Hashable, Codable {
  /// Every `interval` weeks on `weekday` (every Tuesday; every other Thursday).
  case weekly(weekday: Weekday, interval: Int)
  /// The `ordinal`th `weekday` of each month (第2火曜); `ordinal` −1 is the last.
  case monthly(ordinal: Int, weekday: Weekday)

  /// The dates from `from` to `until`, both inclusive, in order.
  public func dates(from: LocalDate, until: LocalDate) -> [LocalDate] {
    guard from <= until else { return [] }
    var dates: [LocalDate] = []
    switch self {
    case .weekly(let weekday, let interval):
      let step = Swift.max(1, interval) * 7
      let offset = (weekday.rawValue - from.weekday.rawValue + 7) % 7
      var day = (try? from.adding(days: offset)) ?? until
      while day <= until {
        dates.append(day)
        guard let next = try? day.adding(days: step) else { break }
        day = next
      }
    case .monthly(let ordinal, let weekday):
      var month = from.yearMonth
      while month.firstDay <= until {
        let matching = month.days.filter { $0.weekday == weekday }
        let index = ordinal == -1 ? matching.count - 1 : ordinal - 1
        if matching.indices.contains(index), matching[index] >= from, matching[index] <= until { dates.append(matching[index]) }
        guard let next = try? month.adding(months: 1) else { break }
        month = next
      }
    }
    return dates
  }

  /// 毎週火曜, 隔週木曜, 毎月第2火曜, 毎月最終金曜.
  public var japaneseName: String {
    switch self {
    case .weekly(let weekday, let interval):
      (interval == 1 ? "毎週" : interval == 2 ? "隔週" : "\(interval)週ごと") + "\(weekday.japaneseName)曜"
    case .monthly(let ordinal, let weekday):
      "毎月" + (ordinal == -1 ? "最終" : "第\(ordinal)") + "\(weekday.japaneseName)曜"
    }
  }
}

/// What a series asks for: one space and block on each date of a recurrence.
public struct SeriesRequest: Sendable, Hashable, Codable {
  public var request: QuoteRequest
  public var recurrence: Recurrence
  public var from: LocalDate
  public var until: LocalDate
  /// 祝日 are left out (and reported) rather than booked at the 土日祝 fee.
  public var skipHolidays: Bool
  public var purpose: String?
  public var attendees: Int?
  public var provisional: Bool

  public init(
    request: QuoteRequest, recurrence: Recurrence, from: LocalDate, until: LocalDate, skipHolidays: Bool = false, purpose: String? = nil,
    attendees: Int? = nil, provisional: Bool = false
  ) {
    self.request = request
    self.recurrence = recurrence
    self.from = from
    self.until = until
    self.skipHolidays = skipHolidays
    self.purpose = purpose
    self.attendees = attendees
    self.provisional = provisional
  }
}

/// A recurring booking, `series-<id>`: one request that books each date it can as an ordinary
/// booking (`<series>-<yyyymmdd>`, moved or cancelled alone like any other) and reports the
/// dates it could not have and why; it can be ended from a date on.
public enum Series {
  public static let category = "series"

  public static func stream(_ id: SeriesID) throws(EventLogError) -> StreamName { try StreamName(category: category, id: id.rawValue) }

  /// The longest a series may run (a year and a day, so "for a year" from any date fits).
  public static let longestDays = 366

  /// A date the series could not have, and why.
  public struct Skipped: Sendable, Hashable, Codable {
    public var date: LocalDate
    public var reason: String
  }

  /// A date the series booked.
  public struct Occurrence: Sendable, Hashable, Codable {
    public var date: LocalDate
    public var booking: BookingID
  }

  /// The series was requested: its dates booked and those skipped.
  public struct Requested: RecordableEvent, Hashable {
    public static let eventType = "Building.SeriesRequested"
    public static let schemaVersion = 1
    public var series: SeriesID
    public var customer: CustomerID
    public var customerName: String
    public var request: SeriesRequest
    public var booked: [Occurrence]
    public var skipped: [Skipped]
    public var at: Timestamp
  }

  /// The series was ended from a date on: its bookings from then were cancelled.
  public struct Ended: RecordableEvent, Hashable {
    public static let eventType = "Building.SeriesEnded"
    public static let schemaVersion = 1
    public var series: SeriesID
    public var from: LocalDate
    public var cancelled: [BookingID]
    public var reason: String
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case requested(Requested)
    case ended(Ended)
  }

  /// A series as its stream tells it.
  public struct Record: Sendable, Hashable {
    public var id: SeriesID
    public var customer: CustomerID
    public var customerName: String
    public var request: SeriesRequest
    public var booked: [Occurrence]
    public var skipped: [Skipped]
    /// Ended from this date on.
    public var endedFrom: LocalDate?
  }

  public typealias State = Record?
  public static let initialState: State = nil

  public static func evolve(_ state: State, _ event: Event) -> State {
    switch event {
    case .requested(let e):
      return Record(id: e.series, customer: e.customer, customerName: e.customerName, request: e.request, booked: e.booked, skipped: e.skipped, endedFrom: nil)
    case .ended(let e):
      guard var record = state else { return state }
      record.endedFrom = Swift.min(record.endedFrom ?? e.from, e.from)
      return record
    }
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Requested.self, embed: Event.requested) { if case .requested(let e) = $0 { e } else { nil } }
    codec.register(Ended.self, embed: Event.ended) { if case .ended(let e) = $0 { e } else { nil } }
    return codec
  }()
}

/// The events one series decision writes: the series and each of its bookings' decisions.
public struct SeriesDecision: Sendable {
  public var series: [Series.Event] = []
  public var bookings: [Occurrence] = []

  public init() {}

  /// One date's booking and what it holds.
  public struct Occurrence: Sendable {
    public var id: BookingID
    public var decision: BookingDecision
  }
}

extension Series {
  /// A booking's id in a series: `<series>-<yyyymmdd>`.
  public static func bookingID(_ series: SeriesID, _ date: LocalDate) throws(BuildingError) -> BookingID {
    do { return try BookingID("\(series.rawValue)-\(date.description.replacingOccurrences(of: "-", with: ""))") } catch {
      throw .invalidSeries(field: "id", reason: error.description)
    }
  }

  /// The dates a request covers (before any is checked).
  public static func dates(of request: SeriesRequest) -> [LocalDate] { request.recurrence.dates(from: request.from, until: request.until) }

  /// Books each date of the series that is open, free and inside the 定期利用 window, as one
  /// decision; the rest are reported with their reasons. Refused when no date could be had.
  /// `sheets` and `equipment` hold the day sheets of every date (by stream), `permits` the
  /// year's numbering.
  public static func request(
    _ id: SeriesID, _ asked: SeriesRequest, customer: Customer.Record, _ context: DeskContext, sheets: [StreamName: DaySheet.State],
    equipment: [StreamName: EquipmentSheet.State], permits: Numbering.State
  ) throws(BuildingError) -> SeriesDecision {
    if case .weekly(_, let interval) = asked.recurrence, !(1...4).contains(interval) {
      throw .invalidSeries(field: "interval", reason: "週の間隔は1〜4です")
    }
    if case .monthly(let ordinal, _) = asked.recurrence, !(ordinal == -1 || (1...5).contains(ordinal)) {
      throw .invalidSeries(field: "ordinal", reason: "第何週は1〜5、または最終（-1）です")
    }
    guard asked.from <= asked.until else { throw .invalidSeries(field: "until", reason: "終了日 \(asked.until) が開始日 \(asked.from) より前です") }
    guard asked.from.days(to: asked.until) <= longestDays else {
      throw .invalidSeries(field: "until", reason: "定期利用は1年（\(longestDays)日）までです")
    }
    guard asked.request.tier == customer.profile.tier else {
      throw .tierMismatch(customer: customer.profile.name, registered: customer.profile.tier, asked: asked.request.tier)
    }
    let dates = dates(of: asked)
    guard !dates.isEmpty else { throw .invalidSeries(field: "from", reason: "\(asked.from)〜\(asked.until) に\(asked.recurrence.japaneseName)の日がありません") }
    var sheets = sheets
    var stock = equipment
    var permits = permits
    var decision = SeriesDecision()
    var booked: [Occurrence] = []
    var skipped: [Skipped] = []
    for date in dates {
      do {
        if asked.skipHolidays, let holiday = try holidayName(date) { throw BuildingError.closed(date: date, reason: holiday) }
        let booking = try bookingID(id, date)
        var request = asked.request
        request.date = date
        let new = NewBooking(
          id: booking, request: request, customer: customer, purpose: asked.purpose, attendees: asked.attendees, provisional: asked.provisional, series: id)
        let (_, catalogue) = try context.current()
        let streams = try Booking.sheets(for: request, in: catalogue)
        let made = try Booking.request(
          new, context, sheet: sheets[streams.slots] ?? DaySheet.initialState,
          equipment: streams.equipment.flatMap { stock[$0] } ?? EquipmentSheet.initialState, permits: permits)
        for sheet in made.slots { sheets[sheet.stream] = sheet.events.reduce(sheets[sheet.stream] ?? DaySheet.initialState, DaySheet.evolve) }
        for sheet in made.equipment { stock[sheet.stream] = sheet.events.reduce(stock[sheet.stream] ?? EquipmentSheet.initialState, EquipmentSheet.evolve) }
        permits = (made.numbers[.permits] ?? []).reduce(permits, Numbering.evolve)
        decision.bookings.append(SeriesDecision.Occurrence(id: booking, decision: made))
        booked.append(Occurrence(date: date, booking: booking))
      } catch let error as BuildingError {
        skipped.append(Skipped(date: date, reason: error.description))
      } catch {
        skipped.append(Skipped(date: date, reason: "\(error)"))
      }
    }
    guard !booked.isEmpty else { throw .seriesEmpty(dates: dates.count, first: skipped.first?.reason ?? "") }
    decision.series = [
      .requested(
        Requested(
          series: id, customer: customer.id, customerName: customer.profile.name, request: asked, booked: booked, skipped: skipped,
          at: Timestamp(context.at)))
    ]
    return decision
  }

  /// Ends a series from `from` on: each of its bookings on or after that day that is still
  /// held is cancelled by the usual rules (the fee by days before use; a 仮予約 free).
  /// `bookings` are the series' bookings' states; `sheets` and `equipment` their sheets.
  public static func end(
    _ state: State, from: LocalDate, reason: String, bookings: [Booking.Record], _ context: DeskContext, sheets: [StreamName: DaySheet.State],
    equipment: [StreamName: EquipmentSheet.State], cashBook: CashBook.State
  ) throws(BuildingError) -> SeriesDecision {
    guard let series = state else { throw .unknownSeries(nil) }
    guard from >= context.today else { throw .invalidSeries(field: "from", reason: "終了日 \(from) は今日（\(context.today)）以降にしてください") }
    let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !reason.isEmpty else { throw .cancellationWithoutReason }
    var decision = SeriesDecision()
    var cancelled: [BookingID] = []
    for record in bookings.sorted(by: { $0.details.request.date < $1.details.request.date })
    where record.details.request.date >= from && (record.status == .provisional || record.status == .confirmed) {
      let catalogue = try context.version(record.details.quote.catalogueVersion)
      let streams: (slots: StreamName, equipment: StreamName?)
      do { streams = try Booking.sheets(for: record.details.request, in: catalogue) } catch let error as BuildingError { throw error } catch {
        throw .invalidCatalogue(path: "spaces.group", reason: "\(error)")
      }
      let made = try Booking.cancel(
        record, reason: reason, waiver: nil, refundBy: nil, context, sheet: sheets[streams.slots] ?? DaySheet.initialState,
        equipment: streams.equipment.flatMap { equipment[$0] } ?? EquipmentSheet.initialState, cashBook: cashBook)
      decision.bookings.append(SeriesDecision.Occurrence(id: record.id, decision: made))
      cancelled.append(record.id)
    }
    if series.endedFrom.map({ $0 <= from }) == true, cancelled.isEmpty { return SeriesDecision() }
    decision.series = [.ended(Ended(series: series.id, from: from, cancelled: cancelled, reason: reason, at: Timestamp(context.at)))]
    return decision
  }

  static func holidayName(_ date: LocalDate) throws(BuildingError) -> String? {
    do { return try NationalHolidays.holiday(on: date).map { "祝日（\($0.name)）" } } catch { throw .dateOutOfRange(date) }
  }
}
