import Foundation
import JapaneseCalendar
import SharedKernel
import Testing

/// The Cabinet Office's list (内閣府「国民の祝日」CSV, 1955–2027), read from the test bundle.
enum OfficialList {
  struct Entry: Hashable, Comparable, CustomStringConvertible {
    let date: LocalDate
    let name: String
    var description: String { "\(date),\(name)" }
    static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.date, lhs.name) < (rhs.date, rhs.name) }
  }

  struct LoadError: Error, CustomStringConvertible {
    let description: String
  }

  static func load() throws -> [Entry] {
    guard let url = Bundle.module.url(forResource: "holidays-jp-official", withExtension: "csv", subdirectory: "Resources") else {
      throw LoadError(description: "holidays-jp-official.csv is missing from the test bundle")
    }
    let text = try String(contentsOf: url, encoding: .utf8)
    var entries: [Entry] = []
    for line in text.split(whereSeparator: \.isNewline) where !line.isEmpty {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      guard fields.count == 2 else { throw LoadError(description: "bad line: \(line)") }
      entries.append(Entry(date: try LocalDate(iso8601: String(fields[0])), name: String(fields[1])))
    }
    return entries
  }

  /// How the published list writes one of our holidays.
  ///
  /// The list writes 振替休日 and 国民の休日 as 「休日」, shortens the special days' names, marks
  /// the 2019 enthronement days as 「休日（祝日扱い）」 and annotates 2019's 体育の日 with the name
  /// it took from 2020. Our names follow the laws; this is the only place the two meet.
  static func listedName(of holiday: Holiday) -> String {
    switch (holiday.kind, holiday.date.description, holiday.name) {
    case (.substitute, _, _), (.sandwiched, _, _): "休日"
    case (.special, "2019-05-01", _), (.special, "2019-10-22", _): "休日（祝日扱い）"
    case (_, "2019-10-14", "体育の日"): "体育の日（スポーツの日）"
    case (.special, _, "皇太子明仁親王の結婚の儀"), (.special, _, "皇太子徳仁親王の結婚の儀"): "結婚の儀"
    case (.special, _, "昭和天皇の大喪の礼"): "大喪の礼"
    default: holiday.name
    }
  }
}

@Suite("National holidays against the Cabinet Office's list")
struct HolidayListTests {
  static let listedYears = Array(1955...2027)

  @Test("the reference list covers 1955–2027")
  func referenceCoversYears() throws {
    let years = Set(try OfficialList.load().map(\.date.year))
    #expect(years == Set(Self.listedYears))
  }

  @Test("every holiday of each listed year matches the list, date and name", arguments: listedYears)
  func yearMatchesList(year: Int) throws {
    let expected = Set(try OfficialList.load().filter { $0.date.year == year })
    let actual = Set(try NationalHolidays.holidays(in: year).map {
      OfficialList.Entry(date: $0.date, name: OfficialList.listedName(of: $0))
    })
    let missing = expected.subtracting(actual).sorted()
    let extra = actual.subtracting(expected).sorted()
    #expect(missing.isEmpty && extra.isEmpty, "\(year): missing from our rules \(missing), not in the list \(extra)")
  }

  @Test("holidays come out sorted, one per day")
  func sortedAndUnique() throws {
    for year in NationalHolidays.supportedYears {
      let dates = try NationalHolidays.holidays(in: year).map(\.date)
      #expect(dates == dates.sorted() && Set(dates).count == dates.count, "\(year)")
      #expect(dates.allSatisfy { $0.year == year }, "\(year)")
    }
  }

  @Test("bank business days 1955–2027 number 18,076, as counted from the list (weekdays not in it, less 31 Dec – 3 Jan)")
  func businessDayCountMatchesList() throws {
    let start = try LocalDate(iso8601: "1955-01-01")
    let end = try LocalDate(iso8601: "2027-12-31")
    #expect(try BankCalendar.numberOfBusinessDays(from: start, through: end) == 18_076)
  }
}
