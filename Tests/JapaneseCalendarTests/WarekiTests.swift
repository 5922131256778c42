import Foundation
import JapaneseCalendar
import PropertyBased
import SharedKernel
import Testing

@Suite("和暦")
struct WarekiTests {
  @Test("dates on both sides of each era boundary", arguments: [
    ("1873-01-01", "明治6年1月1日", "M6.1.1"),
    ("1912-07-29", "明治45年7月29日", "M45.7.29"),
    ("1912-07-30", "大正元年7月30日", "T1.7.30"),
    ("1926-12-24", "大正15年12月24日", "T15.12.24"),
    ("1926-12-25", "昭和元年12月25日", "S1.12.25"),
    ("1989-01-07", "昭和64年1月7日", "S64.1.7"),
    ("1989-01-08", "平成元年1月8日", "H1.1.8"),
    ("2019-04-30", "平成31年4月30日", "H31.4.30"),
    ("2019-05-01", "令和元年5月1日", "R1.5.1"),
    ("2023-03-31", "令和5年3月31日", "R5.3.31"),
  ])
  func boundaries(iso: String, full: String, abbreviated: String) throws {
    let date = try LocalDate(iso8601: iso)
    #expect(date.wareki.formatted(.full) == full)
    #expect(date.wareki.formatted(.abbreviated) == abbreviated)
    #expect(try WarekiDate(parsing: full).date == date)
    #expect(try WarekiDate(parsing: abbreviated).date == date)
  }

  @Test("what people type parses", arguments: [
    ("令和5年3月31日", "2023-03-31"), ("令和元年5月1日", "2019-05-01"), ("R5.3.31", "2023-03-31"),
    ("r5.3.31", "2023-03-31"), ("R05.03.31", "2023-03-31"), ("H31/4/30", "2019-04-30"), ("S64.1.7", "1989-01-07"),
    ("令和５年３月３１日", "2023-03-31"), ("Ｒ５．３．３１", "2023-03-31"), ("令和 5年 3月 31日", "2023-03-31"),
    ("令5.3.31", "2023-03-31"), ("平成元年1月8日", "1989-01-08"), ("㍻31.4.30", "2019-04-30"), ("H1-1-8", "1989-01-08"),
    ("2023-03-31", "2023-03-31"), ("2023/3/31", "2023-03-31"), ("2023.3.31", "2023-03-31"),
    ("2023年3月31日", "2023-03-31"), ("２０２３－０３－３１", "2023-03-31"), (" 2023-03-31 ", "2023-03-31"),
  ])
  func typedDates(text: String, iso: String) throws {
    #expect(try LocalDate(typed: text).description == iso)
  }

  @Test("a real day outside its era is refused with the right spelling", arguments: [
    ("平成31年5月1日", "令和元年5月1日"), ("昭和64年1月8日", "平成元年1月8日"), ("明治45年7月30日", "大正元年7月30日"),
    ("大正15年12月25日", "昭和元年12月25日"), ("令和元年4月30日", "平成31年4月30日"), ("平成元年1月7日", "昭和64年1月7日"),
    ("大正元年7月29日", "明治45年7月29日"), ("昭和元年12月24日", "大正15年12月24日"), ("H31.5.1", "令和元年5月1日"),
  ])
  func outsideEra(text: String, actually: String) {
    #expect {
      try LocalDate(typed: text)
    } throws: { error in
      guard let error = error as? WarekiError, case let .outsideEra(_, _, _, _, correct) = error else { return false }
      return correct.formatted() == actually
    }
  }

  @Test("the outside-era message says where the era ends and how to write the date")
  func outsideEraMessage() {
    let error = #expect(throws: WarekiError.self) { try WarekiDate(parsing: "平成31年5月1日") }
    #expect(error?.description == "平成31年5月1日という日付はありません。平成は平成31年4月30日（2019-04-30）で終わりました。2019-05-01 は 令和元年5月1日 です")
    let early = #expect(throws: WarekiError.self) { try WarekiDate(parsing: "令和元年4月30日") }
    #expect(early?.description == "令和元年4月30日という日付はありません。令和は令和元年5月1日（2019-05-01）に始まりました。2019-04-30 は 平成31年4月30日 です")
  }

  @Test("days that do not exist and dates before 1873 are refused")
  func nonexistent() {
    #expect(throws: WarekiError.nonexistentDate(era: .reiwa, year: 5, month: 2, day: 29)) { try WarekiDate(parsing: "令和5年2月29日") }
    #expect(throws: WarekiError.nonexistentDate(era: .reiwa, year: 5, month: 4, day: 31)) { try WarekiDate(parsing: "R5.4.31") }
    #expect(throws: WarekiError.invalidEraYear(era: .reiwa, year: 0)) { try WarekiDate(parsing: "令和0年1月1日") }
    #expect(throws: WarekiError.outOfRange(era: .meiji, year: 5, month: 12, day: 31)) { try WarekiDate(parsing: "明治5年12月31日") }
    #expect(throws: WarekiError.nonexistentGregorianDate(year: 2023, month: 2, day: 29)) { try LocalDate(typed: "2023-02-29") }
    #expect(throws: WarekiError.gregorianOutOfRange(year: 1872, month: 12, day: 31)) { try LocalDate(typed: "1872-12-31") }
  }

  @Test("text that is not a date is refused", arguments: ["", "hello", "2023-03", "R5.3", "23-03-31", "X5.3.31", "令和五年三月三十一日", "R5.3.31.1", "2023-03-31x", "元年5月1日", "2023年元月1日"])
  func unrecognized(text: String) {
    #expect(throws: WarekiError.unrecognized(text)) { try LocalDate(typed: text) }
  }

  @Test("an era knows its days")
  func eraBounds() throws {
    #expect(Era.heisei.lastDay?.description == "2019-04-30")
    #expect(Era.reiwa.lastDay == nil)
    #expect(Era.meiji.firstSupportedDay == .earliest)
    #expect(Era(containing: try LocalDate(iso8601: "1989-01-07")) == .showa)
    #expect(Era(containing: try LocalDate(iso8601: "1989-01-08")) == .heisei)
  }

  @Test("fiscal years typed as FY2022, 2022年度 or 令和4年度 all parse", arguments: [
    ("FY2022", 2022), ("2022年度", 2022), ("令和4年度", 2022), ("R4年度", 2022), ("令和元年度", 2019),
    ("平成31年度", 2019), ("昭和63年度", 1988), ("大正15年度", 1926), ("ｆｙ２０２２", 2022), ("令和４年度", 2022),
  ])
  func typedFiscalYears(text: String, startYear: Int) throws {
    #expect(try FiscalYear(typed: text) == FiscalYear(startYear))
  }

  @Test("a fiscal year outside its era or not a fiscal year is refused", arguments: ["令和0年度", "平成32年度", "昭和64年度", "令和4年", "2022", "R4", ""])
  func badFiscalYears(text: String) {
    #expect(throws: WarekiError.self) { try FiscalYear(typed: text) }
  }

  @Test("fiscal years have 和暦 names", arguments: [
    (2022, "令和4年度"), (2019, "令和元年度"), (2018, "平成30年度"), (1989, "平成元年度"),
    (1988, "昭和63年度"), (1926, "大正15年度"), (1912, "明治45年度"), (1872, "明治5年度"),
  ])
  func fiscalYearNames(year: Int, name: String) throws {
    #expect(try FiscalYear(year).warekiName == name)
  }

  /// 1873-01-01 … 2099-12-31 (47,481 is 2099-12-31's day count, checked in `dayCountOf2099`).
  static let dates = Gen.int(in: LocalDate.earliest.daysSince1970...47_481)

  @Test("the generator's upper bound is 2099-12-31")
  func dayCountOf2099() throws {
    #expect(try LocalDate(daysSince1970: 47_481).description == "2099-12-31")
  }

  @Test("formatting then parsing 和暦 gives the same date (1873–2099)")
  func roundTrip() async {
    await propertyCheck(count: 1_000, input: Self.dates) { days in
      let date = try LocalDate(daysSince1970: days)
      for style in WarekiDate.Style.allCases {
        let text = date.wareki.formatted(style)
        #expect(try WarekiDate(parsing: text).date == date, "\(text)")
        #expect(try LocalDate(typed: text) == date, "\(text)")
      }
      #expect(try LocalDate(typed: date.description) == date)
    }
  }
}
