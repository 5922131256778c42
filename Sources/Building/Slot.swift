/// A span of a day, in minutes after midnight (Japan time): `[start, end)`.
public struct TimeRange: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
  /// Minutes after 00:00, inclusive.
  public let start: Int
  /// Minutes after 00:00, exclusive.
  public let end: Int

  /// A range of at least one minute inside one day (00:00–24:00).
  public init(start: Int, end: Int) throws(BuildingError) {
    guard start >= 0, end <= 24 * 60, start < end else { throw .invalidTimeRange(start: start, end: end) }
    self.start = start
    self.end = end
  }

  init(validStart start: Int, end: Int) {
    self.start = start
    self.end = end
  }

  /// Whether the two ranges share a minute (ranges that only touch do not).
  public func overlaps(_ other: TimeRange) -> Bool { start < other.end && other.start < end }

  /// This range widened by `before` and `after` minutes, kept inside the day.
  public func widened(before: Int, after: Int) -> TimeRange {
    TimeRange(validStart: Swift.max(0, start - before), end: Swift.min(24 * 60, end + after))
  }

  /// Minutes in the range.
  public var minutes: Int { end - start }

  /// `13:00–17:00`.
  public var description: String { "\(Self.clock(start))–\(Self.clock(end))" }

  /// `09:00` for 540.
  public static func clock(_ minutes: Int) -> String {
    let hours = minutes / 60, rest = minutes % 60
    return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
  }

  /// Minutes after midnight of `HH:MM` (00:00–24:00), or nil.
  public static func minutes(of text: String) -> Int? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
      (0...24).contains(hours), (0..<60).contains(minutes), hours * 60 + minutes <= 24 * 60
    else { return nil }
    return hours * 60 + minutes
  }

  public static func < (lhs: TimeRange, rhs: TimeRange) -> Bool { (lhs.start, lhs.end) < (rhs.start, rhs.end) }
}

/// 区分: the block of a day a space is let in. The three basic blocks, their combinations, or
/// hours where a space is let by the hour.
public enum Slot: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
  /// 午前 9:00–12:00.
  case morning
  /// 午後 13:00–17:00.
  case afternoon
  /// 夜間 18:00–21:00.
  case evening
  /// 午前・午後 9:00–17:00.
  case morningAfternoon
  /// 午後・夜間 13:00–21:00.
  case afternoonEvening
  /// 全日 9:00–21:00.
  case fullDay
  /// By the hour, on whole hours (`10:00-12:00`), where the space allows it.
  case hours(TimeRange)

  /// The three basic blocks, in the order of the day: the columns of the desk's grid.
  public static let basic: [Slot] = [.morning, .afternoon, .evening]
  /// Every named block, basic ones first.
  public static let named: [Slot] = [.morning, .afternoon, .evening, .morningAfternoon, .afternoonEvening, .fullDay]

  /// The minutes the block covers.
  public var range: TimeRange {
    switch self {
    case .morning: TimeRange(validStart: 9 * 60, end: 12 * 60)
    case .afternoon: TimeRange(validStart: 13 * 60, end: 17 * 60)
    case .evening: TimeRange(validStart: 18 * 60, end: 21 * 60)
    case .morningAfternoon: TimeRange(validStart: 9 * 60, end: 17 * 60)
    case .afternoonEvening: TimeRange(validStart: 13 * 60, end: 21 * 60)
    case .fullDay: TimeRange(validStart: 9 * 60, end: 21 * 60)
    case .hours(let range): range
    }
  }

  /// The basic blocks a combination is made of (itself for a basic block; none for hours).
  public var parts: [Slot] {
    switch self {
    case .morning, .afternoon, .evening: [self]
    case .morningAfternoon: [.morning, .afternoon]
    case .afternoonEvening: [.afternoon, .evening]
    case .fullDay: [.morning, .afternoon, .evening]
    case .hours: []
    }
  }

  /// The wire name: `morning`, `afternoon`, `evening`, `morning-afternoon`, `afternoon-evening`,
  /// `full-day`, or `HH:MM-HH:MM` for hours.
  public var code: String {
    switch self {
    case .morning: "morning"
    case .afternoon: "afternoon"
    case .evening: "evening"
    case .morningAfternoon: "morning-afternoon"
    case .afternoonEvening: "afternoon-evening"
    case .fullDay: "full-day"
    case .hours(let range): "\(TimeRange.clock(range.start))-\(TimeRange.clock(range.end))"
    }
  }

  /// 午前, 午後, 夜間, 午前・午後, 午後・夜間, 全日, or `10:00–12:00`.
  public var japaneseName: String {
    switch self {
    case .morning: "午前"
    case .afternoon: "午後"
    case .evening: "夜間"
    case .morningAfternoon: "午前・午後"
    case .afternoonEvening: "午後・夜間"
    case .fullDay: "全日"
    case .hours(let range): range.description
    }
  }

  public var description: String { code }

  /// Reads a wire name; hours must fall on whole hours.
  public init(code: String) throws(BuildingError) {
    if let named = Self.named.first(where: { $0.code == code }) {
      self = named
      return
    }
    let ends = code.split(separator: "-", omittingEmptySubsequences: false)
    guard ends.count == 2, let start = TimeRange.minutes(of: String(ends[0])), let end = TimeRange.minutes(of: String(ends[1])),
      start % 60 == 0, end % 60 == 0, start < end
    else { throw .unknownSlot(code) }
    self = .hours(TimeRange(validStart: start, end: end))
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let code = try container.decode(String.self)
    do { try self.init(code: code) } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(code)
  }

  public static func < (lhs: Slot, rhs: Slot) -> Bool { (lhs.range, lhs.code) < (rhs.range, rhs.code) }
}
