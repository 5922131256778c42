import ArgumentParser
import Foundation
import JapaneseCalendar
import SharedKernel

/// `kipctl calendar`: holidays, bank business days, 和暦 and fiscal years, printed
/// machine-readably (one value per line, no decoration) so other tools can use the output.
///
/// Argument shapes are checked in `validate()`; a date that does not exist or a year outside
/// 1948–2099 is a domain error thrown from `run()`, which `KipCtl.main()` prints as one
/// `kipctl: …` line with exit code 1.
struct CalendarCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "calendar",
    abstract: "Japanese holidays, bank business days, 和暦 and fiscal years.",
    subcommands: [Holidays.self, BusinessDays.self, Wareki.self, FY.self])

  /// `kipctl calendar holidays 2023` / `--from 2000 --to 2030`.
  struct Holidays: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "holidays",
      abstract: "Print each holiday as YYYY-MM-DD,名称, sorted.",
      discussion: """
        Holidays are computed by rule from the national holiday law for 1948–2099. Years after \
        \(NationalHolidays.lastPublishedYear) are computed ahead of the Cabinet Office's list: \
        their equinox days are provisional.
        """)

    @Argument(help: "A single year, e.g. 2023.")
    var year: Int?

    @Option(help: "The first year of a range (default: 1948 when --to is given).")
    var from: Int?

    @Option(help: "The last year of a range (default: 2099 when --from is given).")
    var to: Int?

    func validate() throws {
      if year != nil && (from != nil || to != nil) {
        throw ValidationError("Give either a year or --from/--to, not both.")
      }
      if year == nil && from == nil && to == nil {
        throw ValidationError("Give a year (e.g. 2023) or a range (--from 2000 --to 2030).")
      }
      if let from, let to, from > to {
        throw ValidationError("--from \(from) is after --to \(to).")
      }
    }

    func run() throws {
      let first = year ?? from ?? NationalHolidays.supportedYears.lowerBound
      let last = year ?? to ?? NationalHolidays.supportedYears.upperBound
      // Check both ends before printing anything (or forming a range: --from 2100 alone would end
      // before it starts), so a bad range prints nothing but the error.
      _ = try NationalHolidays.holidays(in: first)
      _ = try NationalHolidays.holidays(in: last)
      let years = first...last
      if NationalHolidays.isProvisional(years.upperBound) {
        let first = max(years.lowerBound, NationalHolidays.lastPublishedYear + 1)
        let span = first == years.upperBound ? "\(first)" : "\(first)–\(years.upperBound)"
        printError(
          "note: holidays for \(span) are computed by rule; the equinox days (春分の日・秋分の日) are provisional until the Cabinet Office publishes them")
      }
      var output = ""
      for holiday in try NationalHolidays.holidays(in: years) {
        output += "\(holiday.date),\(holiday.name)\n"
      }
      print(output, terminator: "")
    }
  }

  /// `kipctl calendar business-days 2022-04-01 2023-03-31 [--count]`.
  struct BusinessDays: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "business-days",
      abstract: "Print each bank business day in a range (both ends included), one ISO date per line.",
      discussion: "Banks close on weekends, national holidays and 31 December – 3 January. Dates may be typed as 和暦 (令和4年4月1日, R4.4.1).")

    @Argument(help: "The first day of the range.")
    var start: String

    @Argument(help: "The last day of the range.")
    var end: String

    @Flag(help: "Print only the number of business days.")
    var count = false

    func run() throws {
      let first = try LocalDate(typed: start)
      let last = try LocalDate(typed: end)
      guard first <= last else {
        throw CommandFailure("the range \(first) – \(last) ends before it starts: give the earlier date first")
      }
      let days = try BankCalendar.businessDays(from: first, through: last)
      if count {
        print(days.count)
      } else {
        print(days.map { "\($0)\n" }.joined(), terminator: "")
      }
    }
  }

  /// `kipctl calendar wareki 2019-05-01` → `令和元年5月1日`; `wareki 令和5年3月31日` → `2023-03-31`.
  struct Wareki: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "wareki",
      abstract: "Convert a Gregorian date to 和暦, or a 和暦 date to ISO YYYY-MM-DD.")

    @Argument(help: "A date: 2019-05-01, 令和5年3月31日, R5.3.31, H31/4/30 …")
    var date: String

    func run() throws {
      let parsed = try LocalDate(typed: date)
      let isWareki = (try? WarekiDate(parsing: date)) != nil
      print(isWareki ? parsed.description : parsed.wareki.formatted(.full))
    }
  }

  /// `kipctl calendar fy 2023-03-31` → `FY2022 令和4年度 2022-04-01 2023-03-31`.
  struct FY: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "fy",
      abstract: "Print the fiscal year of a date: name, 和暦 name, first day, last day.")

    @Argument(help: "A date, ISO or 和暦.")
    var date: String

    func run() throws {
      let fiscalYear = FiscalYear(containing: try LocalDate(typed: date))
      print("\(fiscalYear) \(fiscalYear.warekiName) \(fiscalYear.firstDay) \(fiscalYear.lastDay)")
    }
  }
}

/// A one-line failure message for `kipctl calendar` (printed as `kipctl: …`, exit code 1).
private struct CommandFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

private func printError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}
