import Foundation
import JapaneseCalendar
import SharedKernel
import Testing

@Suite("National holidays by rule")
struct HolidayRuleTests {
  func lines(_ year: Int) throws -> [String] {
    try NationalHolidays.holidays(in: year).map(\.description)
  }

  @Test("1948: the law took effect on 20 July, so the first holiday is 秋分の日 on 23 September")
  func year1948() throws {
    #expect(try lines(1948) == ["1948-09-23,秋分の日", "1948-11-03,文化の日", "1948-11-23,勤労感謝の日"])
  }

  @Test("1949: the first full year, with 元日, 成人の日 on 15 January and 天皇誕生日 on 29 April")
  func year1949() throws {
    #expect(try lines(1949) == [
      "1949-01-01,元日", "1949-01-15,成人の日", "1949-03-21,春分の日", "1949-04-29,天皇誕生日",
      "1949-05-03,憲法記念日", "1949-05-05,こどもの日", "1949-09-23,秋分の日", "1949-11-03,文化の日",
      "1949-11-23,勤労感謝の日",
    ])
  }

  @Test("1973: 振替休日 starts 12 April, so 2/11 on a Sunday earns none and 4/29 on a Sunday does")
  func substituteStart() throws {
    let holidays = try NationalHolidays.holidays(in: 1973)
    #expect(!holidays.contains { $0.date.description == "1973-02-12" })
    #expect(holidays.contains { $0.date.description == "1973-04-30" && $0.kind == .substitute && $0.name == "振替休日" })
  }

  @Test("国民の休日: 1988-05-04 is the first; 2009-09-22 sits between 敬老の日 and 秋分の日")
  func sandwiched() throws {
    #expect(try NationalHolidays.holiday(on: LocalDate(iso8601: "1988-05-04"))?.kind == .sandwiched)
    #expect(try NationalHolidays.holiday(on: LocalDate(iso8601: "1987-05-04")) != nil)  // 振替休日 (5/3 Sunday)
    #expect(try NationalHolidays.holiday(on: LocalDate(iso8601: "1987-05-04"))?.kind == .substitute)
    #expect(try NationalHolidays.holiday(on: LocalDate(iso8601: "2009-09-22")) == Holiday(date: LocalDate(iso8601: "2009-09-22"), name: "国民の休日", kind: .sandwiched))
  }

  @Test("2007 rule: a Sunday holiday moves to the next day that is not a holiday (2008-05-06)")
  func substitute2007() throws {
    #expect(try NationalHolidays.holiday(on: LocalDate(iso8601: "2008-05-06"))?.kind == .substitute)
    #expect(try NationalHolidays.holiday(on: LocalDate(iso8601: "2008-05-05"))?.name == "こどもの日")
  }

  @Test("2019: the enthronement day and its ceremony, with 国民の休日 on 4/30 and 5/2")
  func year2019() throws {
    let holidays = try NationalHolidays.holidays(in: 2019)
    #expect(holidays.filter { $0.kind == .special }.map(\.description) == ["2019-05-01,天皇の即位の日", "2019-10-22,即位礼正殿の儀"])
    #expect(holidays.filter { $0.kind == .sandwiched }.map(\.description) == ["2019-04-30,国民の休日", "2019-05-02,国民の休日"])
    #expect(!holidays.contains { $0.name == "天皇誕生日" })
  }

  @Test("one-off days have their full names", arguments: [
    ("1959-04-10", "皇太子明仁親王の結婚の儀"), ("1989-02-24", "昭和天皇の大喪の礼"),
    ("1990-11-12", "即位礼正殿の儀"), ("1993-06-09", "皇太子徳仁親王の結婚の儀"),
  ])
  func oneOffDays(date: String, name: String) throws {
    #expect(try NationalHolidays.holiday(on: LocalDate(iso8601: date)) == Holiday(date: LocalDate(iso8601: date), name: name, kind: .special))
  }

  /// 2028, the first year past the published list: the fixed days and Happy Mondays are certain
  /// by law; the equinoxes (3/20, 9/22) are the formula's and provisional until the Cabinet
  /// Office publishes 2028 (February 2027). No Sunday holiday, so no 振替休日.
  @Test("2028 by rule: fixed days, Happy Mondays and the formula's equinoxes")
  func year2028() throws {
    #expect(try lines(2028) == [
      "2028-01-01,元日", "2028-01-10,成人の日", "2028-02-11,建国記念の日", "2028-02-23,天皇誕生日",
      "2028-03-20,春分の日", "2028-04-29,昭和の日", "2028-05-03,憲法記念日", "2028-05-04,みどりの日",
      "2028-05-05,こどもの日", "2028-07-17,海の日", "2028-08-11,山の日", "2028-09-18,敬老の日",
      "2028-09-22,秋分の日", "2028-10-09,スポーツの日", "2028-11-03,文化の日", "2028-11-23,勤労感謝の日",
    ])
  }

  /// 2029 and 2030 exercise the 2007 substitute rule on four Sundays each way; their equinox
  /// days (3/20, 9/23) are the formula's and provisional.
  @Test("2029 and 2030 by rule, with their 振替休日")
  func years2029And2030() throws {
    #expect(try lines(2029) == [
      "2029-01-01,元日", "2029-01-08,成人の日", "2029-02-11,建国記念の日", "2029-02-12,振替休日",
      "2029-02-23,天皇誕生日", "2029-03-20,春分の日", "2029-04-29,昭和の日", "2029-04-30,振替休日",
      "2029-05-03,憲法記念日", "2029-05-04,みどりの日", "2029-05-05,こどもの日", "2029-07-16,海の日",
      "2029-08-11,山の日", "2029-09-17,敬老の日", "2029-09-23,秋分の日", "2029-09-24,振替休日",
      "2029-10-08,スポーツの日", "2029-11-03,文化の日", "2029-11-23,勤労感謝の日",
    ])
    #expect(try lines(2030) == [
      "2030-01-01,元日", "2030-01-14,成人の日", "2030-02-11,建国記念の日", "2030-02-23,天皇誕生日",
      "2030-03-20,春分の日", "2030-04-29,昭和の日", "2030-05-03,憲法記念日", "2030-05-04,みどりの日",
      "2030-05-05,こどもの日", "2030-05-06,振替休日", "2030-07-15,海の日", "2030-08-11,山の日",
      "2030-08-12,振替休日", "2030-09-16,敬老の日", "2030-09-23,秋分の日", "2030-10-14,スポーツの日",
      "2030-11-03,文化の日", "2030-11-04,振替休日", "2030-11-23,勤労感謝の日",
    ])
  }

  @Test("2032's silver week: 国民の休日 on 21 September between 敬老の日 and 秋分の日")
  func silverWeek2032() throws {
    #expect(try lines(2032).filter { $0.hasPrefix("2032-09") } == ["2032-09-20,敬老の日", "2032-09-21,国民の休日", "2032-09-22,秋分の日"])
  }

  @Test("years outside 1948–2099 are a typed error", arguments: [1947, 2100, 0, -5])
  func unsupportedYears(year: Int) {
    #expect(throws: HolidayError.yearNotSupported(year)) { try NationalHolidays.holidays(in: year) }
  }

  @Test("the unsupported-year message says which years are supported")
  func unsupportedMessage() {
    #expect(HolidayError.yearNotSupported(2100).description.hasPrefix("holidays for 2100 are not available: they are computed for 1948–2099"))
  }

  @Test("years after 2027 are provisional")
  func provisional() {
    #expect(!NationalHolidays.isProvisional(2027))
    #expect(NationalHolidays.isProvisional(2028))
    #expect(NationalHolidays.lastPublishedYear == 2027)
  }

  @Test("2099, the last supported year, computes")
  func lastYear() throws {
    #expect(try NationalHolidays.holidays(in: 2099).count >= 16)
  }
}
