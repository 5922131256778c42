public import EventLog
import Foundation
public import SharedKernel

/// `kipctl verify --ledger`: every invariant of the deposit ledger checked again from the log,
/// event by event in position order, without trusting any decision that wrote them.
///
/// - every entry balances, with amounts above zero, and its idempotency key is its own;
/// - every entry's bank lines name an account the register held open when it was entered;
/// - an entry is approved or rejected once, while pending, by a `treasury-manager` who is not its
///   maker, and never while its value date's period is closed;
/// - a reversal swaps the lines of an approved entry of the same stream, which is reversed once;
/// - on every value date, deposits placed ≤ borrowings + own funds, and no borrowing, deposit,
///   interest payable or own funds balance is below zero (approved entries only);
/// - the trial balance balances on the last value date;
/// - on each account's statements, a line is matched at most once and an entry too, every match
///   names known lines and entries of that account that were approved, and its lines and entries
///   sum to the same.
public struct LedgerAudit: Sendable {
  private var books = Books()
  private var streams: [EntryID: StreamName] = [:]
  private var keys: [String: EntryID] = [:]
  private var periods: [FiscalYear: Period.State] = [:]
  private var accounts = BankAccounts.initialState
  private var statements: [BankAccountID: BankStatements.State] = [:]
  private var reversed: Set<EntryID> = []
  public private(set) var findings: [String] = []
  public private(set) var entries = 0
  public private(set) var approvals = 0

  public init() {}

  /// A journal event of `stream` (a borrowing, a deposit or a manual entry) at `position`.
  public mutating func apply(_ event: Journal.Event, stream: StreamName, position: Int64) {
    switch event {
    case .entered(let e):
      entries += 1
      let debits = e.lines.filter { $0.side == .debit }.reduce(Int128(0)) { $0 + Int128($1.amount.amount) }
      let credits = e.lines.filter { $0.side == .credit }.reduce(Int128(0)) { $0 + Int128($1.amount.amount) }
      if debits != credits { finding(position, e.entry, "debits \(debits) ≠ credits \(credits)") }
      if e.lines.contains(where: { $0.amount <= .zero }) { finding(position, e.entry, "a line of zero or less") }
      if let earlier = keys[e.idempotencyKey] { finding(position, e.entry, "idempotency key \(e.idempotencyKey) also used by \(earlier)") }
      keys[e.idempotencyKey] = e.entry
      if books.entry(e.entry) != nil { finding(position, e.entry, "entered twice") }
      for line in e.lines {
        guard case .bank(let id) = line.account, e.reverses == nil else { continue }
        if accounts.account(id)?.isOpen != true { finding(position, e.entry, "posts to bank account \(id), which the register does not hold open") }
      }
      streams[e.entry] = stream
      if let original = e.reverses { checkReversal(e, of: original, stream: stream, position: position) }
    case .approved(let e):
      approvals += 1
      decided(e.entry, by: e.by, position: position, approving: true)
    case .rejected(let e):
      decided(e.entry, by: e.by, position: position, approving: false)
    }
    books.apply(event)
  }

  /// A register event: the bank accounts entries may post to.
  public mutating func apply(_ event: BankAccounts.Event) {
    accounts = BankAccounts.evolve(accounts, event)
  }

  /// A statement stream's event at `position`: the lines and matches of one account.
  public mutating func apply(_ event: BankStatements.Event, account: BankAccountID, position: Int64) {
    let state = statements[account] ?? BankStatements.initialState
    if case .matched(let m) = event {
      for line in m.lines {
        if state.line(line) == nil { findings.append("position \(position), match \(m.match): statement line \(line) of \(account) was never imported") }
        if let other = state.lineMatches[line] { findings.append("position \(position), match \(m.match): line \(line) of \(account) is matched already by \(other)") }
      }
      for entry in m.entries {
        if let other = state.entryMatches[entry] { findings.append("position \(position), match \(m.match): entry \(entry) is matched already by \(other)") }
        if books.entry(entry)?.status != .approved { findings.append("position \(position), match \(m.match): entry \(entry) was not approved when matched") }
      }
      let lines = m.lines.compactMap { state.line($0)?.line.signedAmount }.reduce(Int64(0), +)
      let entries = m.entries.compactMap { id in books.entry(id).flatMap { BankMovement.movement(of: $0, through: account)?.amount } }.reduce(Int64(0), +)
      if lines != entries { findings.append("position \(position), match \(m.match): lines \(Yen(lines)) ≠ entries \(Yen(entries)) on \(account)") }
    }
    if case .unmatched(let u) = event, state.matches[u.match] == nil {
      findings.append("position \(position), match \(u.match): undone but not a match of \(account)")
    }
    statements[account] = BankStatements.evolve(state, event)
  }

  /// A period event: closes and reopenings, so approvals can be checked against them.
  public mutating func apply(_ event: Period.Event) {
    let year: FiscalYear
    switch event {
    case .closed(let e): year = e.year
    case .reopened(let e): year = e.year
    }
    periods[year] = Period.evolve(periods[year] ?? Period.initialState(year), event)
  }

  /// The checks over the whole books, once every event is in; answers every finding.
  public mutating func finish() -> [String] {
    let dates = Array(Set(books.entries.filter { $0.status == .approved }.map(\.entered.valueDate))).sorted()
    for date in dates {
      guard let balances = try? books.balances(asOf: date) else {
        findings.append("\(date): a balance beyond ¥\(Yen.max)")
        continue
      }
      var placed: Int64 = 0, borrowed: Int64 = 0, own: Int64 = 0
      for balance in balances {
        switch balance.account {
        case .depositsPlaced: placed += balance.balance.amount
        case .borrowings: borrowed += balance.balance.amount
        case .ownFunds: own += balance.balance.amount
        default: break
        }
        switch balance.account {
        case .depositsPlaced, .borrowings, .ownFunds, .interestPayable:
          if balance.balance < .zero { findings.append("\(date): \(balance.account.code) stands at \(balance.balance)") }
        default: break
        }
      }
      if placed > borrowed + own {
        findings.append("\(date): deposits placed \(Yen(placed)) exceed borrowings \(Yen(borrowed)) + own funds \(Yen(own))")
      }
    }
    if let last = dates.last, let trial = try? books.trialBalance(asOf: last), !trial.isBalanced {
      findings.append("\(last): the trial balance does not balance (\(trial.totalDebit) / \(trial.totalCredit))")
    }
    return findings
  }

  private mutating func decided(_ id: EntryID, by checker: UserID, position: Int64, approving: Bool) {
    guard let entry = books.entry(id) else { return finding(position, id, "decided but never entered") }
    if entry.status != .pending { finding(position, id, "decided again (it was \(entry.status))") }
    if entry.entered.by == checker { finding(position, id, "decided by its own maker \(checker)") }
    guard approving else {
      // A rejected reversal leaves its original free to be reversed again.
      if let original = entry.entered.reverses { reversed.remove(original) }
      return
    }
    let date = entry.entered.valueDate
    if let period = periods[FiscalYear(containing: date)], period.isClosed(date.yearMonth) {
      finding(position, id, "approved while \(date.yearMonth) was closed")
    }
  }

  private mutating func checkReversal(_ e: Journal.Entered, of original: EntryID, stream: StreamName, position: Int64) {
    guard let entry = books.entry(original) else { return finding(position, e.entry, "reverses \(original), never entered") }
    if streams[original] != stream { finding(position, e.entry, "reverses \(original) of another stream") }
    if entry.status != .approved { finding(position, e.entry, "reverses \(original), which is \(entry.status)") }
    if !reversed.insert(original).inserted { finding(position, e.entry, "reverses \(original) a second time") }
    let swapped = entry.entered.lines.map { JournalLine(account: $0.account, side: $0.side.opposite, amount: $0.amount) }
    if swapped.sorted(by: Self.order) != e.lines.sorted(by: Self.order) { finding(position, e.entry, "does not swap the lines of \(original)") }
  }

  static func order(_ a: JournalLine, _ b: JournalLine) -> Bool {
    (a.account.code, a.side.rawValue, a.amount.amount) < (b.account.code, b.side.rawValue, b.amount.amount)
  }

  private mutating func finding(_ position: Int64, _ entry: EntryID, _ text: String) {
    findings.append("position \(position), entry \(entry): \(text)")
  }
}
