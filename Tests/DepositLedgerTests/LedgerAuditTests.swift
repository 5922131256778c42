import DepositLedger
import EventLog
import Foundation
import SharedKernel
import Testing

/// `kipctl verify --ledger`'s checks: a history the deciders made passes; each kind of tampering
/// the deciders would have refused is found, with its position and entry.
@Suite("DepositLedger: the ledger audit")
struct LedgerAuditTests {
  typealias W = World
  static let stream = try! StreamName("borrowing-audit")

  func audit(_ events: [Journal.Event]) -> [String] {
    var audit = LedgerAudit()
    for event in World.openMainEvents() { audit.apply(event) }
    for (index, event) in events.enumerated() { audit.apply(event, stream: Self.stream, position: Int64(index + 1)) }
    return audit.finish()
  }

  @Test("a quarter the deciders made has no finding")
  func clean() throws {
    let world = try BooksTests.quarter()
    #expect(audit(world.journal).isEmpty, "\(audit(world.journal))")
  }

  @Test("an unbalanced entry, an approval by its maker, a second approval, a reused key, and a placement beyond the borrowings are each found")
  func tampered() throws {
    let world = try BooksTests.quarter()
    let events = world.journal
    guard case .entered(var first)? = events.first(where: { if case .entered = $0 { true } else { false } }) else {
      Issue.record("no entry")
      return
    }
    // One line raised by a yen.
    first.lines[0].amount = Yen(first.lines[0].amount.amount + 1)
    #expect(audit([.entered(first)] + events.dropFirst()).contains { $0.contains("debits") && $0.contains("credits") })
    // The maker approves, or an approval comes twice.
    guard case .approved(let approval)? = events.first(where: { if case .approved = $0 { true } else { false } }) else { return }
    var byMaker = approval
    byMaker.by = try UserID("u-maker")
    let index = try #require(events.firstIndex(of: .approved(approval)))
    var changed = events
    changed[index] = .approved(byMaker)
    #expect(audit(changed).contains { $0.contains("its own maker") })
    changed = events
    changed.insert(.approved(approval), at: index + 1)
    #expect(audit(changed).contains { $0.contains("decided again") })
    // The same idempotency key on a second entry.
    var copy = first
    copy.lines = copy.lines.map { JournalLine(account: $0.account, side: $0.side, amount: first.lines[1].amount) }
    copy.entry = try EntryID("e-copy")
    let key = copy.idempotencyKey
    #expect(audit(events + [.entered(copy)]).contains { $0.contains("idempotency key \(key)") })
    // Every approval of the borrowing dropped: the placement stands on nothing.
    let borrowings = Set(world.borrowing("b1").journal.entries.map(\.id))
    let without = events.filter { if case .approved(let e) = $0 { !borrowings.contains(e.entry) } else { true } }
    #expect(audit(without).contains { $0.contains("exceed borrowings") })
    // An entry posting to a bank account the register never opened.
    var elsewhere = first
    elsewhere.lines = first.lines.map { line in
      if case .bank = line.account { JournalLine(account: .bank(try! BankAccountID("elsewhere")), side: line.side, amount: line.amount) } else { line }
    }
    #expect(audit([.entered(elsewhere)] + events.dropFirst()).contains { $0.contains("bank account elsewhere") })
  }

  @Test("statement matches: the deciders' pass; a line matched twice, an entry never approved and sums that differ are each found")
  func matches() throws {
    let world = try BooksTests.quarter()
    let movements = BankMovement.movements(through: W.bank, in: world.books)
    let statement = BankStatementsTests.quarterStatement()
    let events = try BankStatements.importStatement(statement, into: W.bank, BankStatements.initialState, movements: movements, names: BankStatementsTests.names, world.context())
    func audit(_ statementEvents: [BankStatements.Event]) -> [String] {
      var audit = LedgerAudit()
      for event in World.openMainEvents() { audit.apply(event) }
      for (index, event) in world.journal.enumerated() { audit.apply(event, stream: Self.stream, position: Int64(index + 1)) }
      for (index, event) in statementEvents.enumerated() { audit.apply(event, account: W.bank, position: Int64(10_000 + index)) }
      return audit.finish()
    }
    #expect(audit(events).isEmpty, "\(audit(events))")
    guard case .matched(let first)? = events.first(where: { if case .matched = $0 { true } else { false } }) else { Issue.record("no match"); return }
    var twice = first
    twice.match = try MatchID("m-twice")
    #expect(audit(events + [.matched(twice)]).contains { $0.contains("matched already") })
    var unbalanced = first
    unbalanced.match = try MatchID("m-unbalanced")
    unbalanced.lines = [6]
    unbalanced.entries = []
    #expect(audit(Array(events.prefix(1)) + [.matched(unbalanced)]).contains { $0.contains("≠ entries") })
    var unknown = first
    unknown.match = try MatchID("m-unknown")
    unknown.entries = [try EntryID("e-never")]
    unknown.lines = [6]
    #expect(audit(Array(events.prefix(1)) + [.matched(unknown)]).contains { $0.contains("was not approved") })
  }
}
