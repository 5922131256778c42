/// A day of the week, numbered Sunday = 0 as Japanese calendars print them (日月火水木金土).
public enum Weekday: Int, Sendable, Hashable, CaseIterable, Codable {
  case sunday = 0, monday, tuesday, wednesday, thursday, friday, saturday

  /// The one-character Japanese name: 日, 月, 火, 水, 木, 金, 土.
  public var japaneseName: String {
    switch self {
    case .sunday: "日"
    case .monday: "月"
    case .tuesday: "火"
    case .wednesday: "水"
    case .thursday: "木"
    case .friday: "金"
    case .saturday: "土"
    }
  }

  /// Saturday or Sunday.
  public var isWeekend: Bool { self == .saturday || self == .sunday }
}
