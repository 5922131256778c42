import Foundation
import PropertyBased
import SharedKernel
import Testing

@Suite("LocalDate")
struct LocalDateTests {
  @Test("an impossible date is a typed error with a readable message")
  func impossibleDates() {
    #expect(throws: LocalDateError.nonexistentDate(year: 2023, month: 2, day: 29)) {
      try LocalDate(year: 2023, month: 2, day: 29)
    }
    #expect(throws: LocalDateError.nonexistentDate(year: 2023, month: 4, day: 31)) {
      try LocalDate(iso8601: "2023-04-31")
    }
    #expect(throws: LocalDateError.nonexistentDate(year: 2023, month: 13, day: 1)) {
      try LocalDate(year: 2023, month: 13, day: 1)
    }
    #expect(throws: LocalDateError.nonexistentDate(year: 1900, month: 2, day: 29)) {
      try LocalDate(year: 1900, month: 2, day: 29)
    }
    #expect(LocalDateError.nonexistentDate(year: 2023, month: 2, day: 29).description == "2023-02-29 という日付はありません（2023年2月は28日までです）")
  }

  @Test("leap days exist in leap years only")
  func leapDays() throws {
    #expect(try LocalDate(year: 2024, month: 2, day: 29).description == "2024-02-29")
    #expect(try LocalDate(year: 2000, month: 2, day: 29).dayOfYear == 60)
    #expect(LocalDate.isLeapYear(2000) && !LocalDate.isLeapYear(2100) && LocalDate.isLeapYear(2024) && !LocalDate.isLeapYear(2023))
  }

  @Test("the range is 1873-01-01 through 9999-12-31")
  func range() throws {
    #expect(LocalDate.earliest.description == "1873-01-01")
    #expect(LocalDate.latest.description == "9999-12-31")
    #expect(throws: LocalDateError.outOfRange("1872-12-31")) { try LocalDate(year: 1872, month: 12, day: 31) }
    #expect(throws: LocalDateError.self) { try LocalDate(iso8601: "0000-01-01") }
    #expect(throws: LocalDateError.self) { try LocalDate.latest.adding(days: 1) }
    #expect(throws: LocalDateError.self) { try LocalDate.earliest.adding(days: -1) }
    #expect(throws: LocalDateError.self) { try LocalDate.earliest.adding(days: Int.max) }
    #expect(throws: LocalDateError.self) { try LocalDate.latest.adding(months: 1) }
    #expect(throws: LocalDateError.self) { try LocalDate.latest.adding(years: Int.max) }
  }

  @Test("ISO text is strict YYYY-MM-DD", arguments: ["2023-3-31", "2023/03/31", "20230331", "２０２３-03-31", "2023-03-31 ", "", "abcd-ef-gh", "+023-03-31"])
  func malformedISO(text: String) {
    #expect(throws: LocalDateError.malformed(text)) { try LocalDate(iso8601: text) }
  }

  @Test("ISO text round-trips")
  func isoRoundTrip() throws {
    let date = try LocalDate(iso8601: "2023-03-31")
    #expect((date.year, date.month, date.day) == (2023, 3, 31))
    #expect(date.description == "2023-03-31")
    #expect(try LocalDate(iso8601: "1873-01-01") == .earliest)
  }

  @Test("JSON is the ISO string")
  func codable() throws {
    let date = try LocalDate(year: 2019, month: 5, day: 1)
    let data = try JSONEncoder().encode([date])
    #expect(String(decoding: data, as: UTF8.self) == "[\"2019-05-01\"]")
    #expect(try JSONDecoder().decode([LocalDate].self, from: data) == [date])
    #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data("[\"2023-02-29\"]".utf8)) }
  }

  @Test("weekdays: 1970-01-01 Thursday, 2023-03-31 Friday, 1873-01-01 Wednesday, 9999-12-31 Friday")
  func weekdays() throws {
    #expect(try LocalDate(iso8601: "1970-01-01").weekday == .thursday)
    #expect(try LocalDate(iso8601: "2023-03-31").weekday == .friday)
    #expect(try LocalDate(iso8601: "2019-05-01").weekday == .wednesday)
    #expect(LocalDate.earliest.weekday == .wednesday)
    #expect(LocalDate.latest.weekday == .friday)
    #expect(try LocalDate(iso8601: "1969-12-28").weekday == .sunday)
  }

  @Test("day of year, first and last of month")
  func calendarFields() throws {
    #expect(try LocalDate(iso8601: "2023-12-31").dayOfYear == 365)
    #expect(try LocalDate(iso8601: "2024-12-31").dayOfYear == 366)
    #expect(try LocalDate(iso8601: "2023-01-01").dayOfYear == 1)
    let date = try LocalDate(iso8601: "2024-02-10")
    #expect(date.firstOfMonth.description == "2024-02-01")
    #expect(date.lastOfMonth.description == "2024-02-29")
    #expect(try LocalDate(iso8601: "2023-02-10").lastOfMonth.description == "2023-02-28")
  }

  @Test("month and year arithmetic clamps to the end of the month", arguments: [
    ("2023-01-31", 1, "2023-02-28"),
    ("2024-01-31", 1, "2024-02-29"),
    ("2023-03-31", -1, "2023-02-28"),
    ("2023-05-31", 1, "2023-06-30"),
    ("2023-12-15", 1, "2024-01-15"),
    ("2023-01-15", -1, "2022-12-15"),
    ("2023-03-31", 12, "2024-03-31"),
    ("2023-03-31", -27, "2020-12-31"),
  ])
  func monthArithmetic(start: String, months: Int, expected: String) throws {
    #expect(try LocalDate(iso8601: start).adding(months: months).description == expected)
  }

  @Test("adding a year to 29 February gives 28 February")
  func yearArithmetic() throws {
    #expect(try LocalDate(iso8601: "2024-02-29").adding(years: 1).description == "2025-02-28")
    #expect(try LocalDate(iso8601: "2024-02-29").adding(years: 4).description == "2028-02-29")
    #expect(try LocalDate(iso8601: "2024-02-29").adding(years: -1).description == "2023-02-28")
  }

  @Test("days between dates")
  func daysBetween() throws {
    let start = try LocalDate(iso8601: "2023-03-31")
    #expect(start.days(to: try LocalDate(iso8601: "2023-04-01")) == 1)
    #expect(start.days(to: try LocalDate(iso8601: "2024-03-31")) == 366)
    #expect(try LocalDate(iso8601: "2024-03-31").days(to: start) == -366)
    #expect(LocalDate.earliest.days(to: .latest) == 2_968_324)  // Python: date(9999,12,31) - date(1873,1,1)
  }

  @Test("JST: 14:59:59Z is still the same day in Japan, 15:00:00Z is the next")
  func japanTime() throws {
    let formatter = ISO8601DateFormatter()
    let before = try #require(formatter.date(from: "2023-03-31T14:59:59Z"))
    let after = try #require(formatter.date(from: "2023-03-31T15:00:00Z"))
    #expect(try LocalDate(japanTimeOf: before).description == "2023-03-31")
    #expect(try LocalDate(japanTimeOf: after).description == "2023-04-01")
    #expect(try LocalDate(japanTimeOf: Date(timeIntervalSince1970: -32_400)).description == "1970-01-01")
    #expect(try LocalDate(japanTimeOf: Date(timeIntervalSince1970: -32_401)).description == "1969-12-31")
    #expect(try LocalDate(iso8601: "2023-04-01").startInJapan == after)
    #expect(throws: LocalDateError.self) { try LocalDate(japanTimeOf: .distantPast) }
    #expect(throws: LocalDateError.self) { try LocalDate(japanTimeOf: Date(timeIntervalSince1970: .infinity)) }
  }

  static let dates = Gen.int(in: LocalDate.earliest.daysSince1970...LocalDate.latest.daysSince1970)
  static let steps = Gen.int(in: -200_000...200_000)

  @Test("adding n days then −n days gives the same date back")
  func addingIsInvertible() async {
    await propertyCheck(count: 500, input: Self.dates, Self.steps) { days, step in
      let date = try LocalDate(daysSince1970: days)
      guard let moved = try? date.adding(days: step) else {
        // Only a step off the calendar may fail.
        #expect(!(LocalDate.earliest.daysSince1970...LocalDate.latest.daysSince1970).contains(days + step))
        return
      }
      #expect(try moved.adding(days: -step) == date)
      #expect(date.days(to: moved) == step)
      #expect((moved > date) == (step > 0))
    }
  }

  @Test("the civil date of a day count converts back to the same count")
  func civilRoundTrip() async {
    await propertyCheck(count: 500, input: Self.dates) { days in
      let date = try LocalDate(daysSince1970: days)
      #expect(try LocalDate(year: date.year, month: date.month, day: date.day) == date)
      #expect(try LocalDate(iso8601: date.description) == date)
      let next = try? date.adding(days: 1)
      if let next {
        // Consecutive days are consecutive on the calendar, and weekdays step by one.
        #expect(next.weekday.rawValue == (date.weekday.rawValue + 1) % 7)
        #expect(next.day == 1 || next.day == date.day + 1)
      }
    }
  }
}
