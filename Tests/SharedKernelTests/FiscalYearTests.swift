import Foundation
import SharedKernel
import Testing

@Suite("FiscalYear and YearMonth")
struct FiscalYearTests {
  @Test("31 March belongs to the fiscal year before, 1 April to the new one")
  func boundaries() throws {
    #expect(FiscalYear(containing: try LocalDate(iso8601: "2023-03-31")).description == "FY2022")
    #expect(FiscalYear(containing: try LocalDate(iso8601: "2023-04-01")).description == "FY2023")
    #expect(FiscalYear(containing: try LocalDate(iso8601: "2023-01-01")).startYear == 2022)
    #expect(FiscalYear(containing: try LocalDate(iso8601: "2022-12-31")).startYear == 2022)
  }

  @Test("FY2022 runs 2022-04-01 to 2023-03-31 over twelve months April to March")
  func span() throws {
    let year = try FiscalYear(2022)
    #expect(year.firstDay.description == "2022-04-01")
    #expect(year.lastDay.description == "2023-03-31")
    #expect(year.months.map(\.description) == [
      "2022-04", "2022-05", "2022-06", "2022-07", "2022-08", "2022-09",
      "2022-10", "2022-11", "2022-12", "2023-01", "2023-02", "2023-03",
    ])
    #expect(year.contains(try LocalDate(iso8601: "2023-03-31")))
    #expect(!year.contains(try LocalDate(iso8601: "2023-04-01")))
    #expect(try year.next().description == "FY2023")
  }

  @Test("the ends of the date range cut the first and last fiscal years")
  func cutEnds() throws {
    let first = FiscalYear(containing: .earliest)
    #expect(first.description == "FY1872")
    #expect(first.firstDay == .earliest)
    #expect(first.months.count == 3)
    let last = FiscalYear(containing: .latest)
    #expect(last.lastDay == .latest)
    #expect(last.months.count == 9)
    #expect(throws: FiscalYearError.outOfRange(10_000)) { try last.next() }
  }

  @Test("FY text parses and refuses what is not a fiscal year", arguments: ["2022", "FY22", "FY", "FYabcd", "令和4年度", "FY20222"])
  func parsing(bad: String) throws {
    #expect(try FiscalYear(parsing: "FY2022") == FiscalYear(2022))
    #expect(try FiscalYear(parsing: " fy2022 ") == FiscalYear(2022))
    #expect(throws: FiscalYearError.malformed(bad)) { try FiscalYear(parsing: bad) }
  }

  @Test("fiscal years are JSON strings like FY2022")
  func codable() throws {
    let data = try JSONEncoder().encode([try FiscalYear(2022)])
    #expect(String(decoding: data, as: UTF8.self) == "[\"FY2022\"]")
    #expect(try JSONDecoder().decode([FiscalYear].self, from: data) == [try FiscalYear(2022)])
  }

  @Test("a year-month knows its days and steps across years")
  func yearMonth() throws {
    let february = try YearMonth(year: 2024, month: 2)
    #expect(february.numberOfDays == 29)
    #expect(february.days.count == 29)
    #expect(february.days.last?.description == "2024-02-29")
    #expect(try february.adding(months: 11).description == "2025-01")
    #expect(try february.adding(months: -2).description == "2023-12")
    #expect(try YearMonth(iso8601: "2023-04") == YearMonth(year: 2023, month: 4))
    #expect(throws: LocalDateError.nonexistentMonth(year: 2023, month: 13)) { try YearMonth(year: 2023, month: 13) }
    #expect(throws: LocalDateError.malformed("2023-4")) { try YearMonth(iso8601: "2023-4") }
  }
}
