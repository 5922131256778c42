import DepositLedger
import Foundation
import ServiceKit
import SharedKernel

/// A report's table as values: the page renders it with yen formatted, the CSV writes plain
/// integers, so the printout and the download can never disagree.
struct ReportTable: Sendable {
  enum Cell: Sendable {
    case text(String)
    case yen(Yen)
    case number(Int64)
    case empty
  }

  struct Column: Sendable {
    var title: String
    var numeric: Bool
  }

  var columns: [Column]
  var rows: [[Cell]]

  init(_ columns: [(String, Bool)], rows: [[Cell]]) {
    self.columns = columns.map { Column(title: $0.0, numeric: $0.1) }
    self.rows = rows
  }

  /// The table on a page; `link` turns a row's first text cell into a link when it gives one.
  func html(link: (Int, Int) -> String? = { _, _ in nil }) -> HTML {
    Table(
      columns: columns.map { Table.Column($0.title, numeric: $0.numeric) },
      rows: rows.enumerated().map { r, row in
        row.enumerated().map { c, cell in
          let text: String
          switch cell {
          case .text(let value): text = value
          case .yen(let amount): text = Formats.yen(amount)
          case .number(let value): text = String(value)
          case .empty: text = ""
          }
          if let href = link(r, c), !text.isEmpty { return H.a(text, href: href) }
          return .text(text)
        }
      }
    ).html
  }

  /// UTF-8 with BOM, amounts as plain integers.
  func csv() -> Data {
    CSVText.render(
      [columns.map(\.title)]
        + rows.map { row in
          row.map { cell in
            switch cell {
            case .text(let value): value
            case .yen(let amount): String(amount.amount)
            case .number(let value): String(value)
            case .empty: ""
            }
          }
        })
  }
}

/// 仕訳帳: the entries dated in a period, oldest value date first, each with its lines.
struct JournalAnswer: Codable, Sendable {
  struct Line: Codable, Sendable {
    var account: String
    var name: String
    var side: String
    var amountYen: Yen
  }
  struct Entry: Codable, Sendable {
    var id: String
    var valueDate: LocalDate
    var purpose: String
    var memo: String
    var status: String
    var maker: String
    var checker: String?
    var reverses: String?
    var lines: [Line]
  }
  var from: LocalDate
  var to: LocalDate
  var entries: [Entry]

  init(_ books: Books, names: AccountNames, from: LocalDate, to: LocalDate) {
    self.from = from
    self.to = to
    entries = books.entries.filter { $0.entered.valueDate >= from && $0.entered.valueDate <= to }
      .sorted { ($0.entered.valueDate, $0.entered.at.date) < ($1.entered.valueDate, $1.entered.at.date) }
      .map { entry in
        Entry(
          id: entry.id.rawValue, valueDate: entry.entered.valueDate, purpose: entry.entered.purpose.rawValue, memo: entry.entered.memo,
          status: entry.status.rawValue, maker: entry.entered.by.rawValue, checker: entry.decidedBy?.rawValue, reverses: entry.entered.reverses?.rawValue,
          lines: entry.entered.lines.map { Line(account: $0.account.code, name: names.name(of: $0.account), side: $0.side.rawValue, amountYen: $0.amount) })
      }
  }

  /// One row per line pair: the debits and credits of an entry side by side.
  var table: ReportTable {
    var rows: [[ReportTable.Cell]] = []
    for entry in entries {
      let debits = entry.lines.filter { $0.side == "debit" }, credits = entry.lines.filter { $0.side == "credit" }
      for index in 0..<max(debits.count, credits.count) {
        let debit = index < debits.count ? debits[index] : nil, credit = index < credits.count ? credits[index] : nil
        let first = index == 0
        rows.append([
          .text(entry.valueDate.description), .text(entry.id), first ? .text(entry.memo) : .empty,
          .text(debit?.name ?? ""), debit.map { .yen($0.amountYen) } ?? .empty,
          .text(credit?.name ?? ""), credit.map { .yen($0.amountYen) } ?? .empty,
          first ? .text(Journal.Status(rawValue: entry.status).map(LedgerReports.statusName) ?? entry.status) : .empty,
          first ? .text("\(entry.maker)\(entry.checker.map { " / \($0)" } ?? "")") : .empty,
        ])
      }
    }
    return ReportTable(
      [("起票日", false), ("伝票番号", false), ("摘要", false), ("借方科目", false), ("借方金額", true), ("貸方科目", false), ("貸方金額", true), ("状態", false), ("起票 / 承認", false)],
      rows: rows)
  }
}

/// 元帳: one account's approved entries of a fiscal year with the running balance on its
/// normal side, from the balance brought forward.
struct LedgerAnswer: Codable, Sendable {
  struct Line: Codable, Sendable {
    var valueDate: LocalDate
    var entry: String
    var memo: String
    /// 相手科目: the entry's other accounts.
    var counterAccounts: [String]
    var debitYen: Yen?
    var creditYen: Yen?
    var balanceYen: Yen
  }
  var account: String
  var name: String
  var fiscalYear: String
  /// 借方 or 貸方: the side the balance stands on.
  var balanceSide: String
  var openingBalanceYen: Yen
  var lines: [Line]
  var closingBalanceYen: Yen

  init(_ books: Books, names: AccountNames, account: LedgerAccount, year: FiscalYear) throws {
    self.account = account.code
    name = names.name(of: account)
    fiscalYear = year.description
    balanceSide = account.normalSide.rawValue
    openingBalanceYen = try books.balance(of: account, asOf: (try? year.firstDay.adding(days: -1)) ?? year.firstDay)
    var balance = openingBalanceYen.amount
    var lines: [Line] = []
    let entries = books.entries.filter { $0.status == .approved && year.contains($0.entered.valueDate) && $0.entered.lines.contains { $0.account == account } }
      .sorted { ($0.entered.valueDate, $0.entered.at.date) < ($1.entered.valueDate, $1.entered.at.date) }
    for entry in entries {
      let others = Array(Set(entry.entered.lines.filter { $0.account != account }.map { names.name(of: $0.account) })).sorted()
      for line in entry.entered.lines where line.account == account {
        balance += line.side == account.normalSide ? line.amount.amount : -line.amount.amount
        lines.append(
          Line(
            valueDate: entry.entered.valueDate, entry: entry.id.rawValue, memo: entry.entered.memo, counterAccounts: others,
            debitYen: line.side == .debit ? line.amount : nil, creditYen: line.side == .credit ? line.amount : nil, balanceYen: Yen(balance)))
      }
    }
    self.lines = lines
    closingBalanceYen = Yen(balance)
  }

  var table: ReportTable {
    let opening: [ReportTable.Cell] = [.empty, .empty, .text("前年度より繰越"), .empty, .empty, .empty, .yen(openingBalanceYen)]
    return ReportTable(
      [("起票日", false), ("伝票番号", false), ("摘要", false), ("相手科目", false), ("借方", true), ("貸方", true), ("残高", true)],
      rows: [opening]
        + lines.map {
          [
            .text($0.valueDate.description), .text($0.entry), .text($0.memo), .text($0.counterAccounts.joined(separator: "・")),
            $0.debitYen.map { .yen($0) } ?? .empty, $0.creditYen.map { .yen($0) } ?? .empty, .yen($0.balanceYen),
          ]
        })
  }
}

extension ScheduleAnswer {
  /// 利息計算表: one row per period, then the totals.
  var table: ReportTable {
    ReportTable(
      [("期間", false), ("日数", true), ("期首残高", true), ("期末残高", true), ("積数", true), ("利息", true)],
      rows: lines.map {
        [.text("\($0.from)〜\($0.through)"), .number(Int64($0.days)), .yen($0.openingBalanceYen), .yen($0.closingBalanceYen), .text($0.product), .yen($0.interestYen)]
      } + [[.text("合計"), .number(Int64(totalDays)), .empty, .empty, .empty, .yen(totalInterestYen)]])
  }
}

enum LedgerReports {
  static func statusName(_ status: Journal.Status) -> String {
    switch status {
    case .pending: "承認待ち"
    case .approved: "承認済"
    case .rejected: "差戻し"
    }
  }
}
