import Foundation
import JapaneseCalendar
import PropertyBased
import SharedKernel
import Testing

@Suite("Bank business days and interest days")
struct BankCalendarTests {
  func date(_ text: String) throws -> LocalDate { try LocalDate(iso8601: text) }

  @Test("banks close 31 December – 3 January whatever the weekday")
  func yearEnd() throws {
    #expect(try BankCalendar.isBusinessDay(date("2022-12-30")))
    #expect(try BankCalendar.closure(on: date("2022-12-31")) == .yearEnd)  // a Saturday: 年末年始 is the reason given
    #expect(try BankCalendar.closure(on: date("2025-12-31")) == .yearEnd)  // a Wednesday
    #expect(try BankCalendar.closure(on: date("2024-01-02")) == .yearEnd)  // a Tuesday
    #expect(try BankCalendar.closure(on: date("2024-01-03")) == .yearEnd)
    #expect(try BankCalendar.isBusinessDay(date("2024-01-04")))
    #expect(try BankCalendar.businessDay(after: date("2022-12-30")) == date("2023-01-04"))
    #expect(try BankCalendar.businessDay(before: date("2023-01-04")) == date("2022-12-30"))
    #expect(try BankCalendar.adding(businessDays: 3, to: date("2023-12-27")) == date("2024-01-04"))
  }

  @Test("Golden Week 2023: business days between 4/28 and 5/8 are 4/28, 5/1, 5/2 and 5/8")
  func goldenWeek() throws {
    let days = try BankCalendar.businessDays(from: date("2023-04-28"), through: date("2023-05-08"))
    #expect(days.map(\.description) == ["2023-04-28", "2023-05-01", "2023-05-02", "2023-05-08"])
    #expect(try BankCalendar.numberOfBusinessDays(from: date("2023-04-28"), through: date("2023-05-08")) == 4)
  }

  @Test("the ten-day holiday of 2019: one business day after 4/26 is 5/7, and back")
  func goldenWeek2019() throws {
    #expect(try BankCalendar.adding(businessDays: 1, to: date("2019-04-26")) == date("2019-05-07"))
    #expect(try BankCalendar.adding(businessDays: -1, to: date("2019-05-07")) == date("2019-04-26"))
    #expect(try BankCalendar.businessDay(onOrAfter: date("2019-05-01")) == date("2019-05-07"))
    #expect(try BankCalendar.businessDay(onOrBefore: date("2019-05-01")) == date("2019-04-26"))
    #expect(try BankCalendar.businessDay(onOrAfter: date("2019-05-07")) == date("2019-05-07"))
  }

  @Test("adding zero business days leaves the date as it is")
  func addingZero() throws {
    #expect(try BankCalendar.adding(businessDays: 0, to: date("2023-01-01")) == date("2023-01-01"))
  }

  @Test("a holiday's closure names it")
  func closureNamesHoliday() throws {
    #expect(try BankCalendar.closure(on: date("2023-03-21"))?.description == "a holiday (春分の日)")
    #expect(try BankCalendar.closure(on: date("2023-03-25"))?.description == "a Saturday")
  }

  @Test("FY2022 has 245 bank business days (counted from the published list)")
  func fiscalYearCount() throws {
    let year = try FiscalYear(2022)
    #expect(try BankCalendar.numberOfBusinessDays(from: year.firstDay, through: year.lastDay) == 245)
    #expect(try BankCalendar.businessDays(from: year.lastDay, through: year.firstDay).isEmpty)
  }

  @Test("outside 1948–2099 the bank calendar refuses to guess")
  func unsupported() throws {
    #expect(throws: HolidayError.yearNotSupported(2100)) { try BankCalendar.isBusinessDay(date("2100-01-04")) }
    #expect(throws: HolidayError.yearNotSupported(2100)) { try BankCalendar.businessDay(after: date("2099-12-30")) }
  }

  /// 1948-01-01 … 2099-12-01.
  static let dates = Gen.int(in: -8_036...47_450)

  @Test("the next business day is open and every day before it is closed")
  func nextBusinessDayProperty() async {
    await propertyCheck(count: 300, input: Self.dates) { days in
      let start = try LocalDate(daysSince1970: days)
      let next = try BankCalendar.businessDay(after: start)
      #expect(next > start)
      #expect(try BankCalendar.isBusinessDay(next))
      #expect(try BankCalendar.numberOfBusinessDays(from: start.adding(days: 1), through: next) == 1)
    }
  }

  @Test("adding n business days moves over exactly n business days")
  func addingProperty() async {
    await propertyCheck(count: 200, input: Self.dates, Gen.int(in: 1...40)) { days, count in
      let start = try LocalDate(daysSince1970: days)
      let later = try BankCalendar.adding(businessDays: count, to: start)
      #expect(try BankCalendar.numberOfBusinessDays(from: start.adding(days: 1), through: later) == count)
      let back = try BankCalendar.adding(businessDays: -count, to: later)
      #expect(try back == BankCalendar.businessDay(onOrBefore: start) || back == start)
    }
  }

  @Test("interest days count one end (片端) or both (両端)", arguments: [
    ("2023-04-01", "2023-04-30", 29, 30), ("2023-04-01", "2023-04-01", 0, 1),
    ("2024-02-01", "2024-03-01", 29, 30), ("2023-03-31", "2024-03-31", 366, 367),
  ])
  func interestDays(start: String, end: String, oneEnd: Int, bothEnds: Int) throws {
    #expect(try InterestDays.count(from: date(start), to: date(end), .oneEnd) == oneEnd)
    #expect(try InterestDays.count(from: date(start), to: date(end), .bothEnds) == bothEnds)
  }

  @Test("an interest period that ends before it starts is refused")
  func interestDaysBackwards() throws {
    let start = try date("2023-04-30")
    let end = try date("2023-04-01")
    #expect(throws: InterestDaysError.endBeforeStart(start: start, end: end)) { try InterestDays.count(from: start, to: end, .oneEnd) }
  }
}
