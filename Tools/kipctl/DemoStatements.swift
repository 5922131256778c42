import BankFiles
import DepositLedger
import EventLog
import Foundation
import JapaneseCalendar
import SharedKernel

/// The bank's side of the demo year: what 横浜銀行 would send for the foundation's account
/// `main` — a 全銀 入出金取引明細 file for each month that has ended, and a CSV statement for
/// each business day of the last week of the last month (which the monthly file then repeats,
/// line by line) and of this month up to yesterday — built from the approved movements of the
/// demo ledger, each line with its 照会番号, and imported as the treasury would import them (by
/// the same decider, so what is unambiguous is matched).
///
/// Lines come from every entry not rejected (the bank moved the money of an entry still
/// awaiting approval too: this month's charges wait to be matched until approved). Three
/// differences are left for the treasury to find:
/// - a ¥440 charge (振込手数料) on the last business day of the last month that the ledger lacks:
///   the tie-out shows −¥440 from then on;
/// - the first deposit returned in November credited by 信金中央金庫 on behalf of the 信用金庫, so
///   the name contradicts the institution's and the line waits to be matched by hand;
/// - the smallest of the first quarter's interest payments debited by the bank one business day
///   after the ledger's value date: line and entry both wait, each with its age.
///
/// The files are also written to `<data>/demo-statements/` for `kipctl deposits parse-zengin`.
struct DemoStatements {
  let journal: [Journal.Event]
  let today: LocalDate
  let year: FiscalYear
  let account: BankAccountID
  let kana: [InstitutionID: String]
  let directory: String?
  private var batch: DemoBatch
  private var state = BankStatements.initialState
  private(set) var imported = 0
  /// Lines no match holds after the last import.
  var unmatched: Int { state.unmatchedLines.count }
  private(set) var files: [String] = []
  private var inquiry = 0

  init(
    journal: [Journal.Event], today: LocalDate, year: FiscalYear, account: BankAccountID, kana: [InstitutionID: String], directory: String?,
    metadata: EventMetadata
  ) {
    self.journal = journal
    self.today = today
    self.year = year
    self.account = account
    self.kana = kana
    self.directory = directory
    batch = DemoBatch(metadata: metadata)
  }

  static let foundationKana = "ｻﾞｲ)ｶﾅｶﾞﾜｹﾝｻﾝｷﾞﾖｳｼﾝｺｳｾﾝﾀ-"
  static let shinkinChuo = "ｼﾝｷﾝﾁﾕｳｵｳｷﾝｺ"

  /// Builds, writes and imports the year's statements.
  mutating func run(into store: any EventStore) async throws {
    // The bank moved the money of every entry not rejected, approved or not yet: a charge
    // awaiting approval is on the statement before it can be matched.
    let lines = bankLines(BankMovement.movements(through: account, in: Books(journal), statuses: [.pending, .approved]))
    let last = ((try? today.yearMonth.adding(months: -1)) ?? today.yearMonth)
    var balance: Int64 = 0
    var byMonth: [YearMonth: [BankFiles.StatementLine]] = [:]
    for line in lines { byMonth[line.postingDate.yearMonth, default: []].append(line) }
    for month in year.months where month.firstDay < today {
      let monthLines = byMonth[month] ?? []
      let opening = balance
      balance = monthLines.reduce(balance) { $0 + ($1.direction == .in ? $1.amount.amount : -$1.amount.amount) }
      let days = businessDays(of: month)
      if month == last {
        // The last week arrives day by day first (CSV), then the month's file repeats it.
        var running = opening + monthLines.filter { $0.postingDate < days.suffix(5).first ?? month.firstDay }.reduce(Int64(0)) {
          $0 + ($1.direction == .in ? $1.amount.amount : -$1.amount.amount)
        }
        for day in days.suffix(5) {
          let dayLines = monthLines.filter { $0.postingDate == day }
          let start = running
          running = dayLines.reduce(running) { $0 + ($1.direction == .in ? $1.amount.amount : -$1.amount.amount) }
          try importStatement(statement(from: day, to: day, opening: start, closing: running, dayLines), format: "csv", on: day, name: "\(day)-daily.csv")
        }
      }
      if month.lastDay < today {
        try importStatement(statement(from: month.firstDay, to: month.lastDay, opening: opening, closing: balance, monthLines), format: "zengin",
          on: days.last ?? month.lastDay, name: "\(month)-monthly.zengin")
      } else {
        // This month so far, day by day.
        var running = opening
        for day in days where day < today {
          let dayLines = monthLines.filter { $0.postingDate == day }
          let start = running
          running = dayLines.reduce(running) { $0 + ($1.direction == .in ? $1.amount.amount : -$1.amount.amount) }
          try importStatement(statement(from: day, to: day, opening: start, closing: running, dayLines), format: "csv", on: day, name: "\(day)-daily.csv")
        }
      }
    }
    // One append for the year's statements: the seed is written in batches, not per decision.
    try await batch.flush(to: store, holding: [])
  }

  /// The bank's lines for the ledger's movements, with the three differences.
  private mutating func bankLines(_ movements: [BankMovement]) -> [BankFiles.StatementLine] {
    var lines: [BankFiles.StatementLine] = []
    let interest = movements.filter { $0.purpose == .interestPayment }
    let firstPayday = interest.map(\.valueDate).min()
    let late = interest.filter { $0.valueDate == firstPayday }.max { $0.amount < $1.amount }?.entry
    var shinkinDone = false
    for movement in movements.sorted(by: { $0.valueDate < $1.valueDate }) {
      var date = movement.valueDate
      var counterparty = movement.institution.flatMap { kana[$0] } ?? (movement.purpose == .ownFunds ? Self.foundationKana : "")
      var summary: String
      switch movement.purpose {
      case .manual: summary = "ﾃｽｳﾘﾖｳ"; counterparty = ""
      case .interestPayment: summary = "ﾘｿｸ"
      case .ownFunds: summary = "ﾌﾘｶｴ"
      default: summary = "ﾌﾘｺﾐ"
      }
      if movement.entry == late { date = (try? BankCalendar.adding(businessDays: 1, to: date)) ?? date }
      if movement.purpose == .depositReturn, !shinkinDone, let id = movement.institution, (kana[id] ?? "").contains("ｼﾝﾖｳｷﾝｺ") {
        counterparty = Self.shinkinChuo
        shinkinDone = true
      }
      lines.append(line(date, movement.amount, counterparty, summary))
    }
    // The charge the ledger lacks, on the last business day of the last month.
    let last = ((try? today.yearMonth.adding(months: -1)) ?? today.yearMonth)
    if year.contains(last.firstDay), let day = businessDays(of: last).last {
      lines.append(line(day, -440, "", "ﾃｽｳﾘﾖｳ"))
    }
    return lines.sorted { $0.postingDate < $1.postingDate }
  }

  private mutating func line(_ date: LocalDate, _ signed: Int64, _ counterparty: String, _ summary: String) -> BankFiles.StatementLine {
    inquiry += 1
    return BankFiles.StatementLine(
      inquiryNumber: String(format: "%08d", inquiry), postingDate: date, valueDate: date, direction: signed >= 0 ? .in : .out, amount: Yen(abs(signed)),
      counterparty: JIS8.readable(counterparty), summary: JIS8.readable(summary))
  }

  private func statement(from: LocalDate, to: LocalDate, opening: Int64, closing: Int64, _ lines: [BankFiles.StatementLine]) -> BankFiles.Statement {
    BankFiles.Statement(accounts: [
      AccountStatement(
        bankCode: "0138", bankName: "ヨコハマギンコウ", branchCode: "100", branchName: "ホンテンエイギヨウブ", depositType: .ordinary, accountNumber: "0001234567",
        accountName: JIS8.readable(DemoDeposits.accountName), periodFrom: from, periodTo: to, openingBalance: Yen(opening), closingBalance: Yen(closing),
        lines: lines)
    ])
  }

  private func businessDays(of month: YearMonth) -> [LocalDate] {
    var days: [LocalDate] = []
    var day = month.firstDay
    while day <= month.lastDay {
      if (try? BankCalendar.isBusinessDay(day)) == true { days.append(day) }
      guard let next = try? day.adding(days: 1) else { break }
      day = next
    }
    return days
  }

  /// Writes the statement's file, reads it back as the service would, and imports it. A day
  /// without movements has no CSV (it would be a header alone).
  private mutating func importStatement(_ statement: BankFiles.Statement, format: String, on day: LocalDate, name: String) throws {
    if format == "csv", statement.accounts.allSatisfy({ $0.lines.isEmpty }) { return }
    let bytes: [UInt8]
    let parsed: BankFiles.Statement
    if format == "zengin" {
      bytes = try ZenginStatement.write(statement, createdOn: day)
      parsed = try ZenginStatement.parse(bytes, importedOn: day)
    } else {
      bytes = Array(StatementCSV.write(statement))
      parsed = try StatementCSV.parse(Data(bytes))
    }
    if let directory {
      let folder = (directory as NSString).appendingPathComponent("demo-statements")
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(filePath: (folder as NSString).appendingPathComponent(name)))
      files.append(name)
    }
    let books = Books(journal)
    for accountStatement in parsed.accounts {
      imported += 1
      let command = ImportStatement(accountStatement, id: try StatementID("st-demo-\(year.startYear)-\(String(format: "%03d", imported))"), format: format)
      let next = (try? BankCalendar.adding(businessDays: 1, to: day)) ?? day
      let context = TreasuryContext(today: next, at: DemoDesk.instant(next, 9 * 60 + 15), by: DemoDeposits.maker)
      let events = try BankStatements.importStatement(
        command, into: account, state, movements: BankMovement.movements(through: account, in: books), names: kana, context)
      try batch.write(events, to: try BankStatements.stream(account), codec: BankStatements.codec)
      state = events.reduce(state, BankStatements.evolve)
    }
  }
}
