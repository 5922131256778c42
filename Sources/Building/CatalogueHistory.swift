public import EventLog
public import Foundation
public import SharedKernel

/// Every published version of the catalogue, on `catalogue-building`. A booking names the
/// version it was quoted on, so its fee stays what it was when later versions change prices.
public enum CatalogueHistory {
  public static let category = "catalogue"

  public static func stream() throws(EventLogError) -> StreamName { try StreamName(category: category, id: "building") }

  /// A version of the catalogue was published.
  public struct Published: RecordableEvent, Hashable {
    public static let eventType = "Building.CataloguePublished"
    public static let schemaVersion = 1
    public var version: Int
    public var catalogue: Catalogue
    /// What changed, in the manager's words.
    public var note: String
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case published(Published)
  }

  /// The versions published, oldest first.
  public struct State: Sendable, Hashable {
    public var versions: [Catalogue] = []
    public init() {}

    /// The version in force, with its number (1, 2, …).
    public var current: (version: Int, catalogue: Catalogue)? { versions.last.map { (versions.count, $0) } }

    /// Version `number`.
    public func version(_ number: Int) -> Catalogue? {
      number >= 1 && number <= versions.count ? versions[number - 1] : nil
    }
  }

  public static let initialState = State()

  /// Publishes `catalogue` as the next version once it is consistent; publishing the version
  /// already in force records nothing.
  public static func publish(_ catalogue: Catalogue, note: String, at: Date, _ state: State) throws(BuildingError) -> [Event] {
    try validate(catalogue, after: state.current?.catalogue)
    if state.current?.catalogue == catalogue { return [] }
    return [.published(Published(version: state.versions.count + 1, catalogue: catalogue, note: note, at: Timestamp(at)))]
  }

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .published(let e): state.versions.append(e.catalogue)
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Published.self, embed: Event.published) { if case .published(let e) = $0 { e } else { nil } }
    return codec
  }()

  /// The rules a catalogue must keep; each failure names the place in the file.
  public static func validate(_ catalogue: Catalogue, after previous: Catalogue?) throws(BuildingError) {
    func fail(_ path: String, _ reason: String) -> BuildingError { .invalidCatalogue(path: path, reason: reason) }
    let registration = Array(catalogue.registrationNumber.utf8)
    guard registration.count == 14, registration[0] == UInt8(ascii: "T"), registration.dropFirst().allSatisfy({ (0x30...0x39).contains($0) })
    else { throw fail("registrationNumber", "登録番号は T と13桁の数字です（例 T1234567890123）") }
    guard !catalogue.spaces.isEmpty else { throw fail("spaces", "施設が1つもありません") }
    guard (0...100).contains(catalogue.taxPercent) else { throw fail("taxPercent", "税率は0〜100%です") }
    guard (1...1000).contains(catalogue.holidayPercent) else { throw fail("holidayPercent", "1〜1000%で指定してください") }
    guard (0...100).contains(catalogue.overtimePercent) else { throw fail("overtimePercent", "0〜100%で指定してください") }
    guard (1...60).contains(catalogue.provisionalHoldDays) else { throw fail("provisionalHoldDays", "仮予約の保留期間は1〜60日です") }
    for tier in CustomerTier.allCases {
      guard let months = catalogue.bookingWindowMonths[tier], (0...36).contains(months) else {
        throw fail("bookingWindowMonths.\(tier.rawValue)", "予約受付期間（月数、0〜36）を指定してください")
      }
    }
    var seen = Set<String>()
    for (index, space) in catalogue.spaces.enumerated() {
      let path = "spaces[\(index)]"
      guard seen.insert(space.id.rawValue).inserted else { throw fail("\(path).id", "施設ID \(space.id) が重複しています") }
      guard !space.group.isEmpty, space.group.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
        throw fail("\(path).group", "グループ名は英数字のみです（ハイフン不可）")
      }
      guard !space.units.isEmpty else { throw fail("\(path).units", "施設には区画（units）が1つ以上必要です") }
      guard space.capacity > 0 else { throw fail("\(path).capacity", "定員は1名以上です") }
      guard (0...60).contains(space.bufferMinutes) else { throw fail("\(path).bufferMinutes", "準備時間は0〜60分です") }
      guard !space.slots.isEmpty || space.hourly != nil else { throw fail("\(path).slots", "貸出区分がありません") }
      for slot in space.slots {
        guard !slot.isHourly else { throw fail("\(path).slots", "時間貸しは hourly で指定します") }
        do { _ = try FeeEngine.baseFee(space, slot, holiday: false) } catch {
          throw fail("\(path).fees.weekday", "\(slot.japaneseName)の料金がありません")
        }
        if space.fees.holiday != nil {
          do { _ = try FeeEngine.baseFee(space, slot, holiday: true) } catch {
            throw fail("\(path).fees.holiday", "\(slot.japaneseName)の土日祝料金がありません")
          }
        }
      }
      for fee in Array(space.fees.weekday.values) + Array((space.fees.holiday ?? [:]).values) where fee < .zero {
        throw fail("\(path).fees", "料金に負の額があります")
      }
      if let hourly = space.hourly {
        guard let from = TimeRange.minutes(of: hourly.from), let to = TimeRange.minutes(of: hourly.to), from % 60 == 0, to % 60 == 0,
          from < to
        else { throw fail("\(path).hourly", "時間貸しの時間帯は 09:00〜21:00 のように正時で指定します") }
        guard space.fees.hourlyWeekday != nil else { throw fail("\(path).fees.hourlyWeekday", "時間貸しの料金がありません") }
      }
      for other in catalogue.spaces[..<index] where !Set(other.units).isDisjoint(with: space.units) && other.group != space.group {
        throw fail("\(path).group", "\(space.id) と \(other.id) は区画を共有するので同じグループにしてください")
      }
      if let old = previous?.space(space.id), old.group != space.group {
        throw fail("\(path).group", "既存の施設 \(space.id) のグループは変えられません（予約の重複防止に使われています）")
      }
    }
    var items = Set<String>()
    for (index, item) in catalogue.equipment.enumerated() {
      guard items.insert(item.id).inserted else { throw fail("equipment[\(index)].id", "備品ID \(item.id) が重複しています") }
      guard item.stock >= 0, item.fee >= .zero else { throw fail("equipment[\(index)]", "在庫数・料金は0以上です") }
    }
    var adjustments = Set<String>()
    for (index, adjustment) in catalogue.adjustments.enumerated() {
      guard adjustments.insert(adjustment.id).inserted else { throw fail("adjustments[\(index)].id", "重複しています") }
      guard (0...1000).contains(adjustment.percent) else { throw fail("adjustments[\(index)].percent", "0〜1000%で指定してください") }
    }
    for (index, reduction) in catalogue.reductions.enumerated() where !(0...100).contains(reduction.percent) {
      throw fail("reductions[\(index)].percent", "減免後の割合は0〜100%です")
    }
    let days = catalogue.cancellation.map(\.daysBefore)
    guard days.contains(0), Set(days).count == days.count, days.allSatisfy({ $0 >= 0 }),
      catalogue.cancellation.allSatisfy({ (0...100).contains($0.percent) })
    else { throw fail("cancellation", "キャンセル料表には当日（daysBefore 0）を含め、日数を重複なく指定してください") }
    for (index, closure) in catalogue.annualClosures.enumerated()
    where AnnualClosure.monthDay(closure.from) == nil || AnnualClosure.monthDay(closure.to) == nil {
      throw fail("annualClosures[\(index)]", "月日は 12-29 のように指定します")
    }
  }
}

extension Catalogue {
  /// The percentage of the facility fee charged when cancelling `daysBefore` days before the day of use.
  public func cancellationPercent(daysBefore: Int) -> Int {
    let rows = cancellation.sorted { $0.daysBefore > $1.daysBefore }
    return rows.first { daysBefore >= $0.daysBefore }?.percent ?? 100
  }
}
