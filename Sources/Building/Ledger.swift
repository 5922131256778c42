public import EventLog
import Foundation
public import SharedKernel

/// 請求・入金: the invoices of one office lease or parking contract and the payments against
/// them, kept in the contract's own stream. The events carry the contract's id and kind, so a
/// receivables read model can fold them from either stream the same way.
///
/// Rules: one invoice per contract and month; the tax is computed once per invoice (適格請求書:
/// one rounding per rate per invoice) and truncated; an invoice is due on the last day of the
/// month before the month it bills (前月末日払い), or on the day it is issued when that is later;
/// a payment is never more than is owed, and is applied to the invoice named, or to the oldest
/// unpaid ones first.
public enum Ledger {
  /// What the contract lets.
  public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 貸事務室.
    case office
    /// 月極駐車場.
    case parking

    public var japaneseName: String { self == .office ? "貸事務室" : "月極駐車場" }
  }

  /// How an invoice was paid.
  public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
    /// 振込.
    case transfer
    /// 口座振替.
    case directDebit = "direct-debit"
    /// 現金.
    case cash
    /// 敷金充当: set off against the deposit when it is settled.
    case deposit

    public var japaneseName: String {
      switch self {
      case .transfer: "振込"
      case .directDebit: "口座振替"
      case .cash: "現金"
      case .deposit: "敷金充当"
      }
    }
  }

  /// One line of an invoice: a monthly charge for the days let in the month.
  public struct Line: Sendable, Hashable, Codable {
    public var label: String
    /// The full month's amount.
    public var monthly: Yen
    /// monthly × days ÷ days in the month, truncated (the full amount for a whole month).
    public var amount: Yen
    public var days: Int
    public var daysInMonth: Int
  }

  /// 請求書: what one month of a contract bills, as issued.
  public struct Invoice: Sendable, Hashable, Codable {
    /// `I2022-00001`: without gaps in the fiscal year it was issued in.
    public var number: String
    /// The lease or contract id.
    public var account: String
    public var kind: Kind
    /// The tenant's or contractor's name as it was on the day.
    public var billedTo: String
    public var month: YearMonth
    /// The days let in the month, both inclusive.
    public var from: LocalDate
    public var through: LocalDate
    public var lines: [Line]
    /// Whether the lines are 税抜 or 税込.
    public var basis: TaxBasis
    public var taxPercent: Int
    /// Before tax (税抜).
    public var subtotal: Yen
    /// 消費税額, once per invoice, truncated.
    public var tax: Yen
    /// To pay (税込).
    public var total: Yen
    public var issuedOn: LocalDate
    public var due: LocalDate

    /// The invoice's totals from its lines: 税抜 lines get the tax added, 税込 lines have the
    /// tax they include stated (total × rate ÷ (100 + rate)), truncated either way.
    init(
      number: String, account: String, kind: Kind, billedTo: String, month: YearMonth, from: LocalDate, through: LocalDate, lines: [Line],
      basis: TaxBasis, taxPercent: Int, issuedOn: LocalDate
    ) throws(BuildingError) {
      let sum = try Yen.guarded { () throws(YenError) in try lines.map(\.amount).sum() }
      let rate = Int64(taxPercent)
      switch basis {
      case .exclusive:
        tax = Yen(try sum.times(rate).amount / 100)
        subtotal = sum
        total = try sum.plus(tax)
      case .inclusive:
        tax = Yen(try sum.times(rate).amount / (100 + rate))
        total = sum
        subtotal = try sum.minus(tax)
      }
      self.number = number
      self.account = account
      self.kind = kind
      self.billedTo = billedTo
      self.month = month
      self.from = from
      self.through = through
      self.lines = lines
      self.basis = basis
      self.taxPercent = taxPercent
      self.issuedOn = issuedOn
      self.due = Ledger.due(month, issuedOn: issuedOn)
    }
  }

  /// The due date of `month`'s invoice: the last day of the month before (前月末日払い), or the
  /// day it is issued when that is later.
  public static func due(_ month: YearMonth, issuedOn: LocalDate) -> LocalDate {
    let before = (try? month.firstDay.adding(days: -1)) ?? month.firstDay
    return Swift.max(before, issuedOn)
  }

  /// An invoice was issued.
  public struct Invoiced: RecordableEvent, Hashable {
    public static let eventType = "Building.InvoiceIssued"
    public static let schemaVersion = 1
    public var invoice: Invoice
    public var at: Timestamp
  }

  /// Part of a payment applied to one invoice.
  public struct Allocation: Sendable, Hashable, Codable {
    public var invoice: String
    public var amount: Yen
  }

  /// 入金: money received for a contract, and the invoices it paid.
  public struct Paid: RecordableEvent, Hashable {
    public static let eventType = "Building.InvoicePaymentRecorded"
    public static let schemaVersion = 1
    public var account: String
    public var amount: Yen
    public var method: Method
    /// The day the money was received (its value date).
    public var on: LocalDate
    public var allocations: [Allocation]
    public var at: Timestamp
  }

  /// A ledger's events, as the contracts embed them.
  public enum Event: Sendable, Hashable {
    case invoiced(Invoiced)
    case paid(Paid)
  }

  /// 滞納: an invoice past its due date and not paid in full.
  public struct Arrear: Sendable, Hashable {
    public var invoice: String
    public var month: YearMonth
    public var due: LocalDate
    public var total: Yen
    public var balance: Yen
    /// Days from the due date: 1 on the day after it.
    public var daysOverdue: Int
  }

  /// The invoices and payments, in the order recorded.
  public struct State: Sendable, Hashable {
    public var invoices: [Invoice] = []
    public var payments: [Paid] = []

    public init() {}

    public func invoice(for month: YearMonth) -> Invoice? { invoices.first { $0.month == month } }

    public func invoice(numbered number: String) -> Invoice? { invoices.first { $0.number == number } }

    /// The last day invoiced.
    public var invoicedThrough: LocalDate? { invoices.map(\.through).max() }

    /// Paid against `number`, counting payments received on or before `asOf` (all when nil).
    public func paid(_ number: String, asOf: LocalDate? = nil) -> Yen {
      Yen(
        payments.filter { payment in asOf.map { payment.on <= $0 } ?? true }.flatMap(\.allocations).filter { $0.invoice == number }
          .reduce(0) { $0 + $1.amount.amount })
    }

    /// Still to pay on `invoice` as of `asOf` (all payments when nil).
    public func balance(of invoice: Invoice, asOf: LocalDate? = nil) -> Yen { Yen(invoice.total.amount - paid(invoice.number, asOf: asOf).amount) }

    /// Owed in all on the invoices issued by `asOf` (all when nil).
    public func owed(asOf: LocalDate? = nil) -> Yen {
      Yen(invoices.filter { invoice in asOf.map { invoice.issuedOn <= $0 } ?? true }.reduce(0) { $0 + balance(of: $1, asOf: asOf).amount })
    }

    /// The invoices overdue on `date` (due before it, not paid in full by it), oldest first.
    public func arrears(asOf date: LocalDate) -> [Arrear] {
      invoices.filter { $0.issuedOn <= date && $0.due < date }.sorted { ($0.due, $0.number) < ($1.due, $1.number) }.compactMap { invoice in
        let balance = balance(of: invoice, asOf: date)
        guard balance > .zero else { return nil }
        return Arrear(
          invoice: invoice.number, month: invoice.month, due: invoice.due, total: invoice.total, balance: balance, daysOverdue: invoice.due.days(to: date))
      }
    }

    /// The unpaid invoices, oldest due first.
    var open: [Invoice] {
      invoices.filter { balance(of: $0) > .zero }.sorted { ($0.due, $0.number) < ($1.due, $1.number) }
    }
  }

  public static let initialState = State()

  /// A payment of `amount` received on `on`: to the invoice numbered, or to the oldest unpaid
  /// invoices first; never more than is owed.
  static func payment(
    _ amount: Yen, method: Method, invoice number: String?, on: LocalDate, account: String, _ state: State, at: Date
  ) throws(BuildingError) -> Paid {
    guard amount > .zero else { throw .invalidAmount(amount) }
    var targets = state.open
    if let number {
      guard let invoice = state.invoice(numbered: number) else { throw .unknownInvoice(number) }
      targets = [invoice]
    }
    let owed = Yen(targets.reduce(0) { $0 + state.balance(of: $1).amount })
    guard amount <= owed else { throw .paymentExceedsOwed(account, amount: amount, owed: owed) }
    var rest = amount.amount
    var allocations: [Allocation] = []
    for invoice in targets where rest > 0 {
      let part = Swift.min(rest, state.balance(of: invoice).amount)
      guard part > 0 else { continue }
      allocations.append(Allocation(invoice: invoice.number, amount: Yen(part)))
      rest -= part
    }
    return Paid(account: account, amount: amount, method: method, on: on, allocations: allocations, at: Timestamp(at))
  }

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .invoiced(let e): state.invoices.append(e.invoice)
    case .paid(let e): state.payments.append(e)
    }
    return state
  }
}

/// Invoice numbers: one series for the building's leases and parking contracts per fiscal year
/// of issue, `invoices-FY2022`, like ``Numbering``: the next number is the stream's next version,
/// so two clerks can never issue the same one and none is skipped.
public enum InvoiceNumbers {
  public static let category = "invoices"

  public static func stream(year: FiscalYear) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: "FY\(year.startYear)")
  }

  /// A number was issued for a contract's month.
  public struct Issued: RecordableEvent, Hashable {
    public static let eventType = "Building.InvoiceNumberIssued"
    public static let schemaVersion = 1
    public var number: String
    public var account: String
    public var month: YearMonth
  }

  /// The stream's one event.
  public enum Event: Sendable, Hashable {
    case issued(Issued)
  }

  /// How many were issued this year.
  public typealias State = Int
  public static let initialState: State = 0

  /// The fiscal year a number was issued in (`I2022-00042` → FY2022); nil for text that is not one.
  public static func year(of number: String) -> FiscalYear? {
    guard number.hasPrefix("I"), let dash = number.firstIndex(of: "-"), let start = Int(number[number.index(after: number.startIndex)..<dash]) else {
      return nil
    }
    return try? FiscalYear(start)
  }

  /// The contract each number of a year was issued for, folded from the year's stream.
  public static func accounts(_ accounts: [String: String], _ event: Event) -> [String: String] {
    switch event {
    case .issued(let issued): accounts.merging([issued.number: issued.account]) { $1 }
    }
  }

  /// The next number, `I2022-00042`.
  public static func next(year: FiscalYear, account: String, month: YearMonth, _ state: State) -> Issued {
    Issued(number: Numbering.formatted(prefix: "I", year: year, sequence: state + 1), account: account, month: month)
  }

  public static func evolve(_ state: State, _ event: Event) -> State { state + 1 }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Issued.self, embed: Event.issued) { if case .issued(let e) = $0 { e } else { nil } }
    return codec
  }()
}
