import ArgumentParser
import BankFiles
import Foundation
import JapaneseCalendar
import SharedKernel

/// `kipctl deposits`: the treasury's bank files, read without the service.
struct DepositsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deposits",
    abstract: "The treasury's bank files.",
    subcommands: [ParseZengin.self])

  /// `kipctl deposits parse-zengin FILE`: a 全銀 入出金取引明細 file (種別 03) as JSON on stdout.
  ///
  /// A malformed file prints nothing on stdout and one `kipctl: …` line on stderr naming the
  /// record, the field and what was wrong (exit code 1): `BankFileError` is a `LocalizedError`,
  /// which `KipCtl.main()` prints.
  struct ParseZengin: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "parse-zengin",
      abstract: "Print a 全銀 入出金取引明細 file (種別 03) as JSON.",
      discussion: """
        Prints {"accounts":[{bankCode, branchCode, depositType, accountNumber, periodFrom, periodTo, \
        openingBalanceYen, closingBalanceYen, lines:[{inquiryNumber, postingDate, valueDate, direction, \
        amountYen, counterparty, summary, …}], …}], "framing": …} with sorted keys: ISO dates, signed \
        integer yen, names in full-width katakana. The whole file is checked first (record lengths and \
        order, every field, each trailer's counts, sums and closing balance, the end record); a file \
        with any fault is refused whole. 作成日's era is resolved against --imported-on (default: \
        today in Japan).
        """)

    @Argument(help: "The file, as the bank sent it (JIS8, with or without CRLF).")
    var file: String

    @Option(help: "The import date the file's 作成日 is read against (ISO or 和暦; default: today in Japan).")
    var importedOn: String?

    func run() throws {
      let reference = try importedOn.map { try LocalDate(typed: $0) } ?? LocalDate(japanTimeOf: Date())
      let data: Data
      do {
        data = try Data(contentsOf: URL(filePath: file))
      } catch {
        throw DepositsFailure("cannot read \(file): \((error as NSError).localizedDescription)")
      }
      let statement = try ZenginStatement.parse([UInt8](data), importedOn: reference)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
      FileHandle.standardOutput.write(try encoder.encode(statement) + Data("\n".utf8))
    }
  }
}

/// A one-line failure of `kipctl deposits` (printed as `kipctl: …`, exit code 1).
private struct DepositsFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
