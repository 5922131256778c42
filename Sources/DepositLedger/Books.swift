public import SharedKernel

/// The books (帳簿): every journal entry of every stream, folded in log order, and the reports
/// that are pure functions of them — balances per account as of a business date, the trial
/// balance, the fiscal year's totals. The service's read models are checked against these.
///
/// Only approved entries count, each on its value date: "as of 2023-03-31" means value date on
/// or before it, whenever it was recorded or approved.
public struct Books: Sendable, Hashable {
  public private(set) var entries: [Journal.Entry] = []
  private var indexByID: [EntryID: Int] = [:]

  public init() {}

  /// The books of `events`, in the order the log holds them.
  public init(_ events: some Sequence<Journal.Event>) {
    for event in events { apply(event) }
  }

  /// Folds one journal event from any stream.
  public mutating func apply(_ event: Journal.Event) {
    switch event {
    case .entered(let e):
      guard indexByID[e.entry] == nil else { return }
      indexByID[e.entry] = entries.count
      entries.append(Journal.Entry(entered: e, status: .pending, decidedBy: nil, decidedAt: nil, rejectionReason: nil))
    case .approved(let e):
      guard let index = indexByID[e.entry] else { return }
      entries[index].status = .approved
      entries[index].decidedBy = e.by
      entries[index].decidedAt = e.at
    case .rejected(let e):
      guard let index = indexByID[e.entry] else { return }
      entries[index].status = .rejected
      entries[index].decidedBy = e.by
      entries[index].decidedAt = e.at
      entries[index].rejectionReason = e.reason
    }
  }

  public func entry(_ id: EntryID) -> Journal.Entry? { indexByID[id].map { entries[$0] } }

  /// The approved entries dated on or before `date`, in the order entered.
  public func approved(asOf date: LocalDate) -> [Journal.Entry] {
    entries.filter { $0.status == .approved && $0.entered.valueDate <= date }
  }

  /// Every account's debits, credits and balance as of `date`, in chart order; accounts never
  /// posted to are left out.
  public func balances(asOf date: LocalDate) throws(DepositLedgerError) -> [AccountBalance] {
    var totals: [LedgerAccount: (debit: Int128, credit: Int128)] = [:]
    for entry in approved(asOf: date) {
      for line in entry.entered.lines {
        var total = totals[line.account] ?? (0, 0)
        if line.side == .debit { total.debit += Int128(line.amount.amount) } else { total.credit += Int128(line.amount.amount) }
        totals[line.account] = total
      }
    }
    var balances: [AccountBalance] = []
    for account in totals.keys.sorted() {
      guard let total = totals[account] else { continue }
      let balance = account.normalSide == .debit ? total.debit - total.credit : total.credit - total.debit
      balances.append(
        AccountBalance(account: account, debits: try yen(total.debit), credits: try yen(total.credit), balance: try yen(balance)))
    }
    return balances
  }

  /// `account`'s balance on its normal side as of `date` (zero when never posted to).
  public func balance(of account: LedgerAccount, asOf date: LocalDate) throws(DepositLedgerError) -> Yen {
    try balances(asOf: date).first { $0.account == account }?.balance ?? .zero
  }

  /// 残高試算表 as of `date`: each account's balance on the side it stands, and the two totals,
  /// which are equal because every entry balances.
  public func trialBalance(asOf date: LocalDate) throws(DepositLedgerError) -> TrialBalance {
    var lines: [TrialBalance.Line] = []
    var debit: Int128 = 0
    var credit: Int128 = 0
    for balance in try balances(asOf: date) {
      // A balance below zero stands on the other side.
      let side = balance.balance.amount >= 0 ? balance.account.normalSide : balance.account.normalSide.opposite
      let amount = Int128(balance.balance.amount.magnitude)
      if side == .debit { debit += amount } else { credit += amount }
      lines.append(TrialBalance.Line(account: balance.account, side: side, amount: try yen(amount)))
    }
    return TrialBalance(asOf: date, lines: lines, totalDebit: try yen(debit), totalCredit: try yen(credit))
  }

  /// The fiscal year's totals (年度計): approved entries with a value date in `year`, each
  /// reversal taken off what it reverses (so a total can be below zero).
  public func totals(for year: FiscalYear) throws(DepositLedgerError) -> FiscalYearTotals {
    var sums: [EntryPurpose: Int128] = [:]
    var charges: Int128 = 0
    for entry in entries where entry.status == .approved && year.contains(entry.entered.valueDate) {
      let sign: Int128 = entry.entered.reverses == nil ? 1 : -1
      sums[entry.entered.purpose, default: 0] += sign * Int128(entry.entered.amount.amount)
      charges += entry.entered.change(to: .bankCharges)
    }
    func total(_ purpose: EntryPurpose) throws(DepositLedgerError) -> Yen { try yen(sums[purpose] ?? 0) }
    return FiscalYearTotals(
      year: year, borrowed: try total(.drawdown), repaid: try total(.repayment), placed: try total(.placement),
      returned: try total(.depositReturn), interestAccrued: try total(.interestAccrual), interestPaid: try total(.interestPayment),
      bankCharges: try yen(charges))
  }

  private func yen(_ value: Int128) throws(DepositLedgerError) -> Yen {
    guard let amount = Int64(exactly: value) else { throw .amountOverflow("a total is beyond \(Yen.max)") }
    return Yen(amount)
  }
}

/// One account's totals as of a date.
public struct AccountBalance: Sendable, Hashable {
  public var account: LedgerAccount
  /// Σ debits (借方合計).
  public var debits: Yen
  /// Σ credits (貸方合計).
  public var credits: Yen
  /// The balance on the account's normal side (below zero if it stands on the other).
  public var balance: Yen
}

/// 残高試算表: each account's balance on its side, with the two totals.
public struct TrialBalance: Sendable, Hashable {
  /// One account's balance and the side it stands on.
  public struct Line: Sendable, Hashable {
    public var account: LedgerAccount
    public var side: JournalLine.Side
    public var amount: Yen
  }

  public var asOf: LocalDate
  public var lines: [Line]
  public var totalDebit: Yen
  public var totalCredit: Yen

  /// Whether Σ debit balances = Σ credit balances (always, for books of balanced entries).
  public var isBalanced: Bool { totalDebit == totalCredit }
}

/// 年度計: what the scheme moved in a fiscal year.
public struct FiscalYearTotals: Sendable, Hashable {
  public var year: FiscalYear
  /// 借入額.
  public var borrowed: Yen
  /// 償還額.
  public var repaid: Yen
  /// 預託額.
  public var placed: Yen
  /// 返還額.
  public var returned: Yen
  /// 支払利息（計上）.
  public var interestAccrued: Yen
  /// 利息支払額.
  public var interestPaid: Yen
  /// 支払手数料.
  public var bankCharges: Yen
}
