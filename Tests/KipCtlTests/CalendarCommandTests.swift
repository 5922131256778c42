import Foundation
import Testing
import TestSupport

/// The Cabinet Office's list (1955–2027), `YYYY-MM-DD,名称`, as JapaneseCalendarTests keep it.
let officialHolidays: [(date: String, name: String)] = {
  let file = packageRoot.appending(path: "Tests/JapaneseCalendarTests/Resources/holidays-jp-official.csv")
  let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
  return text.split(whereSeparator: \.isNewline).compactMap { line in
    let parts = line.split(separator: ",", maxSplits: 1)
    guard parts.count == 2, parts[0].first?.isNumber == true else { return nil }
    return (String(parts[0]), String(parts[1]))
  }
}()

/// Bank business days by the rule, worked out here from the official list: not a Saturday,
/// Sunday, listed holiday, or 31 December – 3 January.
func officialBusinessDays(from start: String, through end: String) throws -> [String] {
  let closed = Set(officialHolidays.map(\.date))
  var calendar = Calendar(identifier: .gregorian)
  calendar.timeZone = try #require(TimeZone(secondsFromGMT: 0))
  let formatter = DateFormatter()
  formatter.calendar = calendar
  formatter.timeZone = calendar.timeZone
  formatter.locale = Locale(identifier: "en_US_POSIX")
  formatter.dateFormat = "yyyy-MM-dd"
  var day = try #require(formatter.date(from: start))
  let last = try #require(formatter.date(from: end))
  var days: [String] = []
  while day <= last {
    let text = formatter.string(from: day)
    let (month, date, weekday) = (calendar.component(.month, from: day), calendar.component(.day, from: day), calendar.component(.weekday, from: day))
    let yearEnd = (month == 12 && date == 31) || (month == 1 && date <= 3)
    if weekday != 1 && weekday != 7 && !yearEnd && !closed.contains(text) { days.append(text) }
    day = try #require(calendar.date(byAdding: .day, value: 1, to: day))
  }
  return days
}

/// 2028–2030 by the holiday law's rules, worked out by hand (and by a separate script) from the
/// equinox formula and the weekdays: after the published list, so not in it.
let ruled2028to2030 = """
  2028-01-01,元日 2028-01-10,成人の日 2028-02-11,建国記念の日 2028-02-23,天皇誕生日 2028-03-20,春分の日 \
  2028-04-29,昭和の日 2028-05-03,憲法記念日 2028-05-04,みどりの日 2028-05-05,こどもの日 2028-07-17,海の日 \
  2028-08-11,山の日 2028-09-18,敬老の日 2028-09-22,秋分の日 2028-10-09,スポーツの日 2028-11-03,文化の日 \
  2028-11-23,勤労感謝の日 \
  2029-01-01,元日 2029-01-08,成人の日 2029-02-11,建国記念の日 2029-02-12,振替休日 2029-02-23,天皇誕生日 \
  2029-03-20,春分の日 2029-04-29,昭和の日 2029-04-30,振替休日 2029-05-03,憲法記念日 2029-05-04,みどりの日 \
  2029-05-05,こどもの日 2029-07-16,海の日 2029-08-11,山の日 2029-09-17,敬老の日 2029-09-23,秋分の日 \
  2029-09-24,振替休日 2029-10-08,スポーツの日 2029-11-03,文化の日 2029-11-23,勤労感謝の日 \
  2030-01-01,元日 2030-01-14,成人の日 2030-02-11,建国記念の日 2030-02-23,天皇誕生日 2030-03-20,春分の日 \
  2030-04-29,昭和の日 2030-05-03,憲法記念日 2030-05-04,みどりの日 2030-05-05,こどもの日 2030-05-06,振替休日 \
  2030-07-15,海の日 2030-08-11,山の日 2030-08-12,振替休日 2030-09-16,敬老の日 2030-09-23,秋分の日 \
  2030-10-14,スポーツの日 2030-11-03,文化の日 2030-11-04,振替休日 2030-11-23,勤労感謝の日
  """.split(separator: " ").map(String.init)

@Suite("kipctl calendar: ranges, counts and the edges of the supported years")
struct CalendarCommandTests {
  @Test("the official list is here: 1955–2027")
  func officialListLoaded() {
    #expect(officialHolidays.first?.date == "1955-01-01" && officialHolidays.last?.date == "2027-11-23")
  }

  @Test("holidays --from 2000 --to 2030: the official days to 2027, the rule's after, and a note for 2028–2030")
  func multiYear() throws {
    let outcome = try kipctl("calendar", "holidays", "--from", "2000", "--to", "2030")
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(
      outcome.error
        == "note: holidays for 2028–2030 are computed by rule; the equinox days (春分の日・秋分の日) are provisional until the Cabinet Office publishes them\n")
    let lines = outcome.output.split(separator: "\n").map(String.init)
    let published = lines.filter { $0 < "2028" }
    let official = officialHolidays.filter { $0.date >= "2000" }
    #expect(published.count == official.count && official.count == 486)
    #expect(published.map { String($0.prefix(10)) } == official.map(\.date))
    // Names too, where the list gives the law's name (it writes 振替休日 and 国民の休日 as 休日 and
    // annotates special days).
    for (line, entry) in zip(published, official) where !entry.name.hasPrefix("休日") && !entry.name.contains("（") {
      #expect(line == "\(entry.date),\(entry.name)")
    }
    #expect(Array(lines.dropFirst(published.count)) == ruled2028to2030)
    #expect(lines.count == 486 + 54)
  }

  @Test("holidays --from 2028 without --to runs to 2099, every year provisional")
  func fromWithoutTo() throws {
    let outcome = try kipctl("calendar", "holidays", "--from", "2028")
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(
      outcome.error
        == "note: holidays for 2028–2099 are computed by rule; the equinox days (春分の日・秋分の日) are provisional until the Cabinet Office publishes them\n")
    let lines = outcome.output.split(separator: "\n").map(String.init)
    #expect(lines.count == 1287)
    #expect(Array(lines.prefix(16)) == Array(ruled2028to2030.prefix(16)))
    #expect(Array(lines.suffix(6)) == [
      "2099-09-21,敬老の日", "2099-09-22,国民の休日", "2099-09-23,秋分の日", "2099-10-12,スポーツの日", "2099-11-03,文化の日",
      "2099-11-23,勤労感謝の日",
    ])
    #expect(lines == lines.sorted())
  }

  @Test("a year outside 1948–2099 is one clear line, exit 1, and nothing on stdout",
    arguments: [["2100"], ["1947"], ["--from", "2090", "--to", "2100"], ["--from", "2100"], ["--to", "1947"]])
  func unsupportedYear(arguments: [String]) throws {
    let outcome = try kipctl(["calendar", "holidays"] + arguments)
    let year = arguments.contains("1947") ? 1947 : 2100
    #expect(outcome.status == 1)
    #expect(
      outcome.error
        == "kipctl: holidays for \(year) are not available: they are computed for 1948–2099 (the holiday law took effect on 1948-07-20; the equinox formula covers years up to 2099)\n")
    #expect(outcome.output.isEmpty)
  }

  @Test("business-days --count counts bank business days as the official list makes them",
    arguments: [("2022-04-01", "2023-03-31"), ("2018-12-28", "2021-01-05"), ("2019-04-26", "2019-05-08"), ("2023-01-01", "2023-01-03")])
  func count(start: String, end: String) throws {
    let outcome = try kipctl("calendar", "business-days", start, end, "--count")
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(outcome.output == "\(try officialBusinessDays(from: start, through: end).count)\n")
  }

  @Test("business-days lists the days, here FY2022's 245 and 2019's Golden Week")
  func list() throws {
    let fiscal = try kipctl("calendar", "business-days", "2022-04-01", "2023-03-31")
    #expect(fiscal.output.split(separator: "\n").map(String.init) == (try officialBusinessDays(from: "2022-04-01", through: "2023-03-31")))
    #expect(try kipctl("calendar", "business-days", "2022-04-01", "2023-03-31", "--count").output == "245\n")
    #expect(try kipctl("calendar", "business-days", "2019-04-26", "2019-05-08").output == "2019-04-26\n2019-05-07\n2019-05-08\n")
  }

  @Test("business days at the ends of 1948–2099 are answered; past them, one clear line and nothing on stdout",
    arguments: [
      ("1948-01-01", "1948-01-10", "1948-01-05\n1948-01-06\n1948-01-07\n1948-01-08\n1948-01-09\n", nil as Int?),
      ("2099-12-28", "2099-12-31", "2099-12-28\n2099-12-29\n2099-12-30\n", nil),
      ("1947-12-30", "1948-01-06", "", 1947),
      ("2099-12-29", "2100-01-04", "", 2100),
    ])
  func edges(start: String, end: String, output: String, unsupported: Int?) throws {
    for count in [false, true] {
      let outcome = try kipctl(["calendar", "business-days", start, end] + (count ? ["--count"] : []))
      if let unsupported {
        #expect(outcome.status == 1)
        #expect(outcome.error.hasPrefix("kipctl: holidays for \(unsupported) are not available"), "\(outcome.error)")
        #expect(outcome.error.split(separator: "\n").count == 1)
        #expect(outcome.output.isEmpty)
      } else {
        #expect(outcome.status == 0, "\(outcome.error)")
        #expect(outcome.output == (count ? "\(output.split(separator: "\n").count)\n" : output))
      }
    }
  }
}
