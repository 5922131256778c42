import DepositLedger
import EventLog
import Foundation
import SharedKernel
import Testing
import TestSupport

@Suite("kipctl demo seed: the deposit ledger's fiscal year")
struct DemoDepositsTests {
  @Test("a dozen institutions; ¥76,391,774,000 borrowed and placed; the books balance; placements within borrowings and own funds at each month end; no entry pending in a closed month")
  func ledger() async throws {
    let seeded = try SeededDemo.shared.get()
    #expect(seeded.first.output.contains(#/deposits: 12 institutions, [0-9]+ entries/#), "\(seeded.first.output)")
    #expect(seeded.second.output.contains("deposits: demo data present (12 institutions)"), "\(seeded.second.output)")
    let events = try await allEvents(of: seeded.folder)
    let today = try LocalDate(japanTimeOf: Date())
    let year = FiscalYear(containing: today)
    var journal: [Journal.Event] = []
    var period = Period.initialState(year)
    var institutions = 0
    for event in events {
      switch event.stream.category {
      case Institution.category: institutions += 1
      case Borrowing.category: if let e = try Borrowing.codec.decode(event).journalEvent { journal.append(e) }
      case Deposit.category: if let e = try Deposit.codec.decode(event).journalEvent { journal.append(e) }
      case ManualEntry.category: journal.append(try ManualEntry.codec.decode(event))
      case Period.category: period = Period.evolve(period, try Period.codec.decode(event))
      default: break
      }
    }
    #expect(institutions == 12)
    let books = Books(journal)
    guard year.firstDay.days(to: today) > 5 else { return }
    let totals = try books.totals(for: year)
    #expect(totals.borrowed == Yen(76_391_774_000) && totals.placed == Yen(76_391_774_000), "\(totals)")
    for month in year.months where month.lastDay < today {
      let trial = try books.trialBalance(asOf: month.lastDay)
      #expect(trial.isBalanced, "\(month)")
      let balances = try books.balances(asOf: month.lastDay)
      func sum(_ kind: (LedgerAccount) -> Bool) -> Int64 { balances.filter { kind($0.account) }.reduce(0) { $0 + $1.balance.amount } }
      let placed = sum { if case .depositsPlaced = $0 { true } else { false } }
      let borrowed = sum { if case .borrowings = $0 { true } else { false } }
      let own = sum { $0 == .ownFunds }
      #expect(placed <= borrowed + own, "\(month): placed \(placed) > borrowed \(borrowed) + own \(own)")
      if period.isClosed(month) {
        #expect(!books.entries.contains { $0.status == .pending && $0.entered.valueDate.yearMonth == month }, "\(month) is closed with an entry pending")
      }
    }
  }

  @Test("the bank's statements of the demo year: a 全銀 file per ended month that parses; each month before the last ties out to the ledger; the last is short by the ¥440 charge and what still awaits approval")
  func statements() async throws {
    let seeded = try SeededDemo.shared.get()
    let today = try LocalDate(japanTimeOf: Date())
    let year = FiscalYear(containing: today)
    let ended = year.months.filter { $0.lastDay < today }
    let folder = seeded.folder.appending(path: "demo-statements")
    for month in ended {
      let parsed = try kipctl("deposits", "parse-zengin", folder.appending(path: "\(month)-monthly.zengin").path)
      #expect(parsed.status == 0 && parsed.output.contains("0001234567"), "\(month): \(parsed.error)")
    }
    var journal: [Journal.Event] = []
    var state = BankStatements.initialState
    for event in try await allEvents(of: seeded.folder) {
      switch event.stream.category {
      case Borrowing.category: if let e = try Borrowing.codec.decode(event).journalEvent { journal.append(e) }
      case Deposit.category: if let e = try Deposit.codec.decode(event).journalEvent { journal.append(e) }
      case ManualEntry.category: journal.append(try ManualEntry.codec.decode(event))
      case BankStatements.category: state = BankStatements.evolve(state, try BankStatements.codec.decode(event))
      default: break
      }
    }
    let books = Books(journal)
    let main = try BankAccountID("main")
    let monthly = state.statements.filter { $0.format == "zengin" }
    #expect(monthly.map(\.periodTo) == ended.map(\.lastDay))
    for statement in monthly {
      let ledger = try books.balance(of: .bank(main), asOf: statement.periodTo)
      let pending = books.entries.filter { $0.status == .pending && $0.entered.valueDate <= statement.periodTo }
        .reduce(Int64(0)) { total, entry in total + entry.entered.lines.filter { $0.account == .bank(main) }.reduce(0) { $0 + ($1.side == .debit ? $1.amount.amount : -$1.amount.amount) } }
      let isLast = statement.periodTo == ended.last?.lastDay
      #expect(statement.closingBalance.amount - ledger.amount == (isLast ? -440 : 0) + pending, "\(statement.periodFrom)–\(statement.periodTo)")
    }
    // The lines no match holds are the deliberate ones.
    for numbered in state.unmatchedLines {
      let line = numbered.line
      let pendingAmount = books.entries.contains { $0.status == .pending && $0.entered.amount == line.amount }
      let lateInterest = books.entries.contains { $0.entered.purpose == .interestPayment && $0.entered.amount == line.amount }
      #expect(line.amount == Yen(440) || line.counterparty == "シンキンチユウオウキンコ" || pendingAmount || lateInterest, "\(line)")
    }
    #expect(state.lines.count == Set(state.lines.map { "\($0.line.postingDate)|\($0.line.inquiryNumber ?? "")" }).count, "no line imported twice")
  }

  @Test("kipctl verify --ledger passes on the demo's ledger and counts its entries")
  func verifyLedger() throws {
    let seeded = try SeededDemo.shared.get()
    let verify = try kipctl("verify", "--ledger", "--log", seeded.log)
    #expect(verify.status == 0, "\(verify.error)")
    #expect(verify.output.contains(#/ledger ok: [0-9]+ entries, [0-9]+ approved/#), "\(verify.output)")
  }
}
