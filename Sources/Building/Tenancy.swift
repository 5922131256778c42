public import EventLog
public import Foundation
public import SharedKernel

/// The time a letting decision (an office lease, a parking contract, the visitor car park) is made at.
public struct LettingContext: Sendable, Hashable {
  /// Today in Japan.
  public var today: LocalDate
  /// Now (UTC).
  public var at: Date

  public init(today: LocalDate, at: Date) {
    self.today = today
    self.at = at
  }

  /// Minutes since midnight in Japan now (the fixed +09:00 offset).
  public var minutesInJapan: Int { at.minutesInJapan }
}

extension Date {
  /// Minutes since midnight in Japan at this instant (the fixed +09:00 offset).
  var minutesInJapan: Int {
    let seconds = Int((timeIntervalSince1970 + 9 * 3600).rounded(.down))
    return ((seconds % 86_400) + 86_400) % 86_400 / 60
  }

  /// Whole milliseconds since 1970, for durations counted in integers.
  var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// A value in force from a date until the next one: a unit's details, a car-park tariff, the
/// charges after a renewal. Lists of them are kept in date order.
public struct Dated<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
  public var from: LocalDate
  public var value: Value

  public init(from: LocalDate, value: Value) {
    self.from = from
    self.value = value
  }
}

extension Array {
  /// The value in force on `date`: the last one from on or before it.
  public func inForce<Value>(on date: LocalDate) -> Value? where Element == Dated<Value> {
    last { $0.from <= date }?.value
  }

  /// The list with `dated` in its place by date; one from the same date replaces the old one.
  func inserting<Value>(_ dated: Element) -> [Element] where Element == Dated<Value> {
    var list = filter { $0.from != dated.from }
    list.insert(dated, at: list.firstIndex { $0.from > dated.from } ?? list.endIndex)
    return list
  }
}

/// 契約者: the tenant of an office lease or the contractor of a monthly parking space.
public struct Party: Sendable, Hashable, Codable {
  public var name: String
  /// フリガナ in full-width katakana (required: invoices and lists are in 50音 order).
  public var nameKana: String
  /// 法人番号: the 13 digits the National Tax Agency gives a company (none for a person).
  public var corporateNumber: String?
  /// 担当者.
  public var contactPerson: String?
  public var phone: String?
  public var email: String?

  public init(
    name: String, nameKana: String, corporateNumber: String? = nil, contactPerson: String? = nil, phone: String? = nil, email: String? = nil
  ) {
    self.name = name
    self.nameKana = nameKana
    self.corporateNumber = corporateNumber
    self.contactPerson = contactPerson
    self.phone = phone
    self.email = email
  }

  /// The party with its text trimmed and normalised as a customer's is, the reading required and
  /// the corporate number's check digit verified; or the first field that is wrong.
  public func checked() throws(BuildingError) -> Party {
    let profile: CustomerProfile
    do {
      profile = try CustomerProfile(
        name: name, nameKana: nameKana, kind: .company, tier: .general, phone: phone, email: email, contactPerson: contactPerson
      ).checked()
    } catch {
      if case .invalidCustomer(let field, let reason) = error { throw .invalidParty(field: field, reason: reason) }
      throw error
    }
    guard !profile.nameKana.isEmpty else { throw .invalidParty(field: "nameKana", reason: "契約者のフリガナを入力してください") }
    var party = Party(
      name: profile.name, nameKana: profile.nameKana, contactPerson: profile.contactPerson, phone: profile.phone, email: profile.email)
    if let typed = corporateNumber?.trimmingCharacters(in: .whitespaces), !typed.isEmpty {
      party.corporateNumber = try Self.corporateNumber(typed)
    }
    return party
  }

  /// 法人番号 as 13 ASCII digits, with its check digit (the first) verified:
  /// 9 − (Σ digit × (1 for odd, 2 for even places counted from the right of the other twelve) mod 9).
  static func corporateNumber(_ typed: String) throws(BuildingError) -> String {
    var digits: [Int] = []
    for scalar in typed.unicodeScalars {
      switch scalar.value {
      case 0x30...0x39: digits.append(Int(scalar.value - 0x30))
      case 0xFF10...0xFF19: digits.append(Int(scalar.value - 0xFF10))
      case 0x20, 0x3000, 0x2D, 0x2010...0x2015, 0x2212, 0x30FC, 0xFF0D: continue
      default: throw .invalidParty(field: "corporateNumber", reason: "法人番号は13桁の数字で入力してください")
      }
    }
    guard digits.count == 13 else { throw .invalidParty(field: "corporateNumber", reason: "法人番号は13桁の数字で入力してください（\(digits.count)桁でした）") }
    let weighted = digits.dropFirst().reversed().enumerated().reduce(0) { $0 + $1.element * ($1.offset % 2 == 0 ? 1 : 2) }
    guard digits[0] == 9 - weighted % 9 else {
      throw .invalidParty(field: "corporateNumber", reason: "法人番号 \(typed) のチェックデジット（先頭の数字）が合いません")
    }
    return digits.map(String.init).joined()
  }
}

/// Whether a contract's amounts include the consumption tax.
public enum TaxBasis: String, Sendable, Hashable, Codable, CaseIterable {
  /// 税抜: the tax is added to each invoice's total.
  case exclusive
  /// 税込: the tax is included in the amounts, and each invoice states the part that is tax.
  case inclusive

  public var japaneseName: String { self == .exclusive ? "税抜" : "税込" }
}

/// One amount charged every month: 賃料, 共益費, 駐車料.
public struct MonthlyCharge: Sendable, Hashable, Codable {
  public var label: String
  public var amount: Yen

  public init(label: String, amount: Yen) {
    self.label = label
    self.amount = amount
  }
}

/// 契約条件: what an office lease or a parking contract is signed with.
public struct TenancyTerms: Sendable, Hashable, Codable {
  /// The first day let.
  public var start: LocalDate
  /// The last day of the first term.
  public var end: LocalDate
  /// 自動更新: the months each renewal adds when nobody gives notice; nil for a contract that ends
  /// at `end` (定期) unless renewed by agreement.
  public var renewalMonths: Int?
  /// 解約予告: months of notice a termination needs (6 for offices, 1 for parking, by custom).
  public var noticeMonths: Int
  public var charges: [MonthlyCharge]
  public var basis: TaxBasis
  /// 消費税: the rate in percent (rent of offices and parking is taxable at the standard 10%).
  public var taxPercent: Int

  public init(
    start: LocalDate, end: LocalDate, renewalMonths: Int?, noticeMonths: Int, charges: [MonthlyCharge], basis: TaxBasis, taxPercent: Int = 10
  ) {
    self.start = start
    self.end = end
    self.renewalMonths = renewalMonths
    self.noticeMonths = noticeMonths
    self.charges = charges
    self.basis = basis
    self.taxPercent = taxPercent
  }

  /// The terms with their labels trimmed; or the first field that is wrong.
  public func checked() throws(BuildingError) -> TenancyTerms {
    guard start <= end else { throw .invalidContract(field: "end", reason: "契約終了日 \(end) が開始日 \(start) より前です") }
    guard start.days(to: end) < 366 * 30 else { throw .invalidContract(field: "end", reason: "契約期間は30年以内で指定してください") }
    if let months = renewalMonths, !(1...120).contains(months) {
      throw .invalidContract(field: "renewalMonths", reason: "更新期間は1〜120か月で指定してください（\(months)か月が指定されました）")
    }
    guard (0...24).contains(noticeMonths) else {
      throw .invalidContract(field: "noticeMonths", reason: "解約予告期間は0〜24か月で指定してください（\(noticeMonths)か月が指定されました）")
    }
    guard (0...100).contains(taxPercent) else { throw .invalidContract(field: "taxPercent", reason: "消費税率 \(taxPercent)% は正しくありません") }
    var terms = self
    terms.charges = try Self.checked(charges)
    return terms
  }

  /// Charges with a label each, no label twice, none negative, at least one.
  static func checked(_ charges: [MonthlyCharge]) throws(BuildingError) -> [MonthlyCharge] {
    guard !charges.isEmpty else { throw .invalidContract(field: "charges", reason: "月額（賃料など）を1つ以上指定してください") }
    var labels = Set<String>()
    var checked: [MonthlyCharge] = []
    for charge in charges {
      let label = charge.label.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !label.isEmpty else { throw .invalidContract(field: "charges", reason: "月額の名目（賃料、共益費など）を入力してください") }
      guard labels.insert(label).inserted else { throw .invalidContract(field: "charges", reason: "月額の名目「\(label)」が二度指定されています") }
      guard charge.amount >= .zero else { throw .invalidContract(field: "charges", reason: "\(label)の月額 \(charge.amount) は0円以上で指定してください") }
      checked.append(MonthlyCharge(label: label, amount: charge.amount))
    }
    return checked
  }
}

/// 解約予告: notice given on a day, the earliest end it allows, and the end it asks for.
public struct NoticeOfTermination: Sendable, Hashable, Codable {
  public var givenOn: LocalDate
  public var earliestEnd: LocalDate
  /// The last day let.
  public var end: LocalDate
}

/// 更新: a new term end agreed, and the charges from the day after the old one.
public struct Renewal: Sendable, Hashable, Codable {
  public var previousEnd: LocalDate
  public var end: LocalDate
  public var renewalMonths: Int?
  /// The day the charges apply from (the day after the previous term end).
  public var from: LocalDate
  public var charges: [MonthlyCharge]
  public var on: LocalDate
}

/// 解約・契約終了: the last day let, and why.
public struct Termination: Sendable, Hashable, Codable {
  /// The last day let.
  public var end: LocalDate
  public var reason: String
  /// 合意解約: ended by agreement, whatever the notice rule says.
  public var agreed: Bool
  public var on: LocalDate
}

/// What an office lease and a parking contract share: who, from when to when, the monthly
/// charges and their tax, renewal, notice, termination, and the invoices and payments. Each
/// aggregate (``Lease``, ``ParkingContract``) keeps one and folds its events into it.
public struct Tenancy: Sendable, Hashable {
  /// The contract's id (`l-…`, `pk-…`), for messages and invoices.
  public var contract: String
  public var kind: Ledger.Kind
  public var party: Party
  public var start: LocalDate
  /// The last day of the current term as agreed (automatic renewals roll it on, see ``currentTermEnd(on:)``).
  public var termEnd: LocalDate
  public var renewalMonths: Int?
  public var noticeMonths: Int
  public var basis: TaxBasis
  public var taxPercent: Int
  /// The charges and the day each set applies from.
  public var charges: [Dated<[MonthlyCharge]>]
  public var notice: NoticeOfTermination?
  public var termination: Termination?
  public var ledger: Ledger.State

  public init(contract: String, kind: Ledger.Kind, party: Party, terms: TenancyTerms) {
    self.contract = contract
    self.kind = kind
    self.party = party
    self.start = terms.start
    self.termEnd = terms.end
    self.renewalMonths = terms.renewalMonths
    self.noticeMonths = terms.noticeMonths
    self.basis = terms.basis
    self.taxPercent = terms.taxPercent
    self.charges = [Dated(from: terms.start, value: terms.charges)]
    self.ledger = Ledger.State()
  }

  /// The last day let, once known: the termination's, the notice's, or the term end of a contract
  /// that does not renew itself. Nil while it renews itself until someone gives notice.
  public var through: LocalDate? {
    termination?.end ?? notice?.end ?? (renewalMonths == nil ? termEnd : nil)
  }

  /// Whether the premises are let on `date`.
  public func holds(on date: LocalDate) -> Bool {
    start <= date && through.map { date <= $0 } ?? true
  }

  /// Let on `date` with notice of termination given by then (解約予告中).
  public func underNotice(on date: LocalDate) -> Bool {
    guard let notice, notice.givenOn <= date else { return false }
    return holds(on: date)
  }

  /// The last day of the term running on `date`: automatic renewals add the renewal term,
  /// each counted from the day after the agreed term end (as the civil code counts, see
  /// ``periodEnd(from:months:)``), so that month ends do not drift.
  public func currentTermEnd(on date: LocalDate) -> LocalDate {
    guard let months = renewalMonths, date > termEnd, let next = try? termEnd.adding(days: 1) else { return termEnd }
    var renewals = 1
    while let end = try? Self.periodEnd(from: next, months: months * renewals) {
      if end >= date { return end }
      renewals += 1
    }
    return termEnd
  }

  /// The earliest last day notice given on `date` allows: the notice period counted as the civil
  /// code counts periods (民法140条・143条: the day of notice is not counted), never before the
  /// start. Notice on 2022-06-15 with 6 months allows 2022-12-15; on 2022-08-31, 2023-02-28.
  public func earliestEnd(noticeOn date: LocalDate) throws(BuildingError) -> LocalDate {
    guard let first = try? date.adding(days: 1) else { throw .dateOutOfRange(date) }
    let end = try noticeMonths == 0 ? date : Self.periodEnd(from: first, months: noticeMonths)
    return Swift.max(end, start)
  }

  /// The last day of a period of `months` starting on `first`: the day before the day of the
  /// same number `months` later, or that month's last day when it has no such day (a period from
  /// 31 August of 6 months ends on 28 February; one from 16 June, on 15 December).
  static func periodEnd(from first: LocalDate, months: Int) throws(BuildingError) -> LocalDate {
    do {
      let same = try first.adding(months: months)
      return try same.day < first.day ? same : same.adding(days: -1)
    } catch { throw .dateOutOfRange(first) }
  }

  /// The charges in force on `date`.
  public func charges(on date: LocalDate) -> [MonthlyCharge] { charges.inForce(on: date) ?? [] }

  // MARK: Rules shared by the lease and the parking contract

  func checkOpen() throws(BuildingError) {
    if let termination { throw .contractEnded(contract, end: termination.end) }
  }

  /// 解約予告 given today, ending on `end` (the earliest it allows when nil).
  func notice(end: LocalDate?, _ context: LettingContext) throws(BuildingError) -> NoticeOfTermination {
    try checkOpen()
    if let notice { throw .noticeAlreadyGiven(contract, on: notice.givenOn, end: notice.end) }
    let earliest = try earliestEnd(noticeOn: context.today)
    let end = end ?? earliest
    guard end >= earliest else { throw .noticeTooShort(contract, end: end, earliest: earliest, months: noticeMonths) }
    if renewalMonths == nil, end > termEnd { throw .noticeBeyondTerm(contract, end: end, termEnd: termEnd) }
    return NoticeOfTermination(givenOn: context.today, earliestEnd: earliest, end: end)
  }

  /// 合意更新: a new term end after the current one, with new charges (the same when nil) from
  /// the day after it, and a new automatic renewal term.
  func renewal(
    end: LocalDate, charges newCharges: [MonthlyCharge]?, renewalMonths months: Int?, _ context: LettingContext
  ) throws(BuildingError) -> Renewal {
    try checkOpen()
    if let notice { throw .noticeAlreadyGiven(contract, on: notice.givenOn, end: notice.end) }
    let current = currentTermEnd(on: context.today)
    guard end > current else { throw .invalidContract(field: "end", reason: "更新後の契約終了日 \(end) は現在の契約終了日 \(current) より後にしてください") }
    if let months, !(1...120).contains(months) {
      throw .invalidContract(field: "renewalMonths", reason: "更新期間は1〜120か月で指定してください（\(months)か月が指定されました）")
    }
    guard let from = try? current.adding(days: 1) else { throw .dateOutOfRange(current) }
    var charges = self.charges(on: current)
    if let newCharges { charges = try TenancyTerms.checked(newCharges) }
    return Renewal(previousEnd: current, end: end, renewalMonths: months, from: from, charges: charges, on: context.today)
  }

  /// The end of the contract on `end`: after the notice allows, at the end of a term that does not
  /// renew itself, or by agreement; never before the start, nor before a day already invoiced.
  func termination(end: LocalDate, reason: String, agreed: Bool, _ context: LettingContext) throws(BuildingError) -> Termination {
    try checkOpen()
    let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !reason.isEmpty else { throw .terminationWithoutReason }
    guard end >= start else { throw .invalidContract(field: "end", reason: "終了日 \(end) が契約開始日 \(start) より前です") }
    if !agreed {
      if let notice {
        guard end >= notice.earliestEnd else { throw .noticeTooShort(contract, end: end, earliest: notice.earliestEnd, months: noticeMonths) }
      } else if renewalMonths != nil || end != termEnd {
        throw .noNotice(contract, end: end, earliest: try earliestEnd(noticeOn: context.today))
      }
    }
    if let invoiced = ledger.invoicedThrough, invoiced > end { throw .invoicedBeyondEnd(contract, end: end, invoicedThrough: invoiced) }
    return Termination(end: end, reason: reason, agreed: agreed, on: context.today)
  }

  /// The invoice of `month`: each charge in force on the first day let in the month, pro rata by
  /// the days let (truncated), the tax per invoice, and the next number of the fiscal year.
  /// Issued from the first of the month before; once per month.
  func invoice(
    _ month: YearMonth, _ context: LettingContext, numbers: InvoiceNumbers.State
  ) throws(BuildingError) -> (invoiced: Ledger.Invoiced, number: InvoiceNumbers.Issued) {
    if let existing = ledger.invoice(for: month) { throw .alreadyInvoiced(contract, month: month, number: existing.number) }
    let from = Swift.max(start, month.firstDay)
    let last = Swift.min(through ?? month.lastDay, month.lastDay)
    guard from <= last else { throw .notLetInMonth(contract, month: month) }
    let opens = (try? month.adding(months: -1).firstDay) ?? month.firstDay
    guard context.today >= opens else { throw .invoiceTooEarly(contract, month: month, from: opens) }
    let days = from.days(to: last) + 1
    var lines: [Ledger.Line] = []
    for charge in charges(on: from) {
      let amount = try charge.amount.times(Int64(days))
      lines.append(
        Ledger.Line(label: charge.label, monthly: charge.amount, amount: Yen(amount.amount / Int64(month.numberOfDays)), days: days, daysInMonth: month.numberOfDays))
    }
    let issued = InvoiceNumbers.next(year: FiscalYear(containing: context.today), account: contract, month: month, numbers)
    let invoice = try Ledger.Invoice(
      number: issued.number, account: contract, kind: kind, billedTo: party.name, month: month, from: from, through: last, lines: lines,
      basis: basis, taxPercent: taxPercent, issuedOn: context.today)
    return (Ledger.Invoiced(invoice: invoice, at: Timestamp(context.at)), issued)
  }

  /// The decision to invoice `month`: the contract's event (wrapped by `embed`) and the number.
  func invoiceDecision<Event: Sendable>(
    _ month: YearMonth, _ context: LettingContext, numbers: InvoiceNumbers.State, embed: (Tenancy.Event) -> Event
  ) throws(BuildingError) -> TenancyDecision<Event> {
    let (invoiced, number) = try invoice(month, context, numbers: numbers)
    var decision = TenancyDecision<Event>()
    decision.events = [embed(.ledger(.invoiced(invoiced)))]
    decision.numbers = [.issued(number)]
    return decision
  }

  /// A payment received on `on` (today when nil, never later): see ``Ledger``'s rules. Only a
  /// deposit's settlement pays from the deposit.
  func payment(_ amount: Yen, method: Ledger.Method, invoice: String?, on: LocalDate?, _ context: LettingContext) throws(BuildingError) -> Ledger.Paid {
    let on = on ?? context.today
    guard on <= context.today else { throw .dateInFuture(on) }
    guard method != .deposit else { throw .invalidContract(field: "method", reason: "敷金からの充当は敷金の精算で記録してください") }
    return try Ledger.payment(amount, method: method, invoice: invoice, on: on, account: contract, ledger, at: context.at)
  }

  /// Folds one of the contract's shared events.
  mutating func apply(_ event: Event) {
    switch event {
    case .renewed(let e):
      termEnd = e.renewal.end
      renewalMonths = e.renewal.renewalMonths
      charges = charges.inserting(Dated(from: e.renewal.from, value: e.renewal.charges))
    case .noticeGiven(let e): notice = e.notice
    case .terminated(let e): termination = e.termination
    case .ledger(let e): ledger = Ledger.evolve(ledger, e)
    }
  }
}

extension Tenancy {
  // MARK: Events a lease and a parking contract share

  /// 合意更新: a new term end, and the charges after it.
  public struct Renewed: RecordableEvent, Hashable {
    public static let eventType = "Building.ContractRenewed"
    public static let schemaVersion = 1
    /// The lease or contract id.
    public var contract: String
    public var renewal: Renewal
    public var at: Timestamp
  }

  /// 解約予告: notice was given to end on a day the notice period allows.
  public struct NoticeGiven: RecordableEvent, Hashable {
    public static let eventType = "Building.ContractNoticeGiven"
    public static let schemaVersion = 1
    public var contract: String
    public var notice: NoticeOfTermination
    public var at: Timestamp
  }

  /// The contract ends (ended) on a day: by notice, at the end of its term, or by agreement.
  public struct Terminated: RecordableEvent, Hashable {
    public static let eventType = "Building.ContractTerminated"
    public static let schemaVersion = 1
    public var contract: String
    public var termination: Termination
    public var at: Timestamp
  }

  /// What happens to a lease or parking contract once signed. The events carry the contract's
  /// id, so a read model folds them the same way from a `lease-` or a `parking-` stream.
  public enum Event: Sendable, Hashable {
    case renewed(Renewed)
    case noticeGiven(NoticeGiven)
    case terminated(Terminated)
    /// An invoice or a payment (``Ledger``).
    case ledger(Ledger.Event)
  }

  /// A change of the contract's life, and the last day it then holds its premises through (nil:
  /// open-ended, renewing itself).
  struct Change {
    var event: Event
    var through: LocalDate?
  }

  /// 合意更新 to `end` (see ``renewal(end:charges:renewalMonths:_:)``).
  func renew(end: LocalDate, charges: [MonthlyCharge]?, renewalMonths: Int?, _ context: LettingContext) throws(BuildingError) -> Change {
    let renewal = try self.renewal(end: end, charges: charges, renewalMonths: renewalMonths, context)
    return Change(event: .renewed(Renewed(contract: contract, renewal: renewal, at: Timestamp(context.at))), through: renewalMonths == nil ? end : nil)
  }

  /// 解約予告 today (see ``notice(end:_:)``).
  func giveNotice(end: LocalDate?, _ context: LettingContext) throws(BuildingError) -> Change {
    let notice = try self.notice(end: end, context)
    return Change(event: .noticeGiven(NoticeGiven(contract: contract, notice: notice, at: Timestamp(context.at))), through: notice.end)
  }

  /// The end on `end` (see ``termination(end:reason:agreed:_:)``).
  func terminate(end: LocalDate, reason: String, agreed: Bool, _ context: LettingContext) throws(BuildingError) -> Change {
    let termination = try self.termination(end: end, reason: reason, agreed: agreed, context)
    return Change(event: .terminated(Terminated(contract: contract, termination: termination, at: Timestamp(context.at))), through: end)
  }
}

extension EventCodec {
  /// Registers the shared events of a contract whose event enum embeds ``Tenancy/Event``.
  mutating func registerTenancy(_ embed: @escaping @Sendable (Tenancy.Event) -> Event, _ extract: @escaping @Sendable (Event) -> Tenancy.Event?) {
    register(Tenancy.Renewed.self, embed: { embed(.renewed($0)) }) { if case .renewed(let e)? = extract($0) { e } else { nil } }
    register(Tenancy.NoticeGiven.self, embed: { embed(.noticeGiven($0)) }) { if case .noticeGiven(let e)? = extract($0) { e } else { nil } }
    register(Tenancy.Terminated.self, embed: { embed(.terminated($0)) }) { if case .terminated(let e)? = extract($0) { e } else { nil } }
    register(Ledger.Invoiced.self, embed: { embed(.ledger(.invoiced($0))) }) { if case .ledger(.invoiced(let e))? = extract($0) { e } else { nil } }
    register(Ledger.Paid.self, embed: { embed(.ledger(.paid($0))) }) { if case .ledger(.paid(let e))? = extract($0) { e } else { nil } }
  }
}

/// The events one letting decision writes, stream by stream: the contract's own, the premises'
/// calendars it holds (`officeunit-…`, `parkingspace-…`), and the invoice numbers of the year.
public struct TenancyDecision<Event: Sendable>: Sendable {
  public var events: [Event] = []
  public var premises: [SheetEvents<PremisesCalendar.Event>] = []
  public var numbers: [InvoiceNumbers.Event] = []

  public init() {}
}
