import DepositLedger
import DepositReadModels
import EventLog
import Foundation
import GRDB
import Hummingbird
import Projections
import ServiceKit
import SharedKernel

/// The treasury's operations: each loads the streams its decision needs into a ``Transaction``
/// (the borrowing or deposit, the institution, the funding pool, the value date's fiscal-year
/// period), asks the DepositLedger context to decide, and queues the events for one append.
struct Treasury: Sendable {
  let store: any EventStore
  let runner: ProjectionRunner
  let now: @Sendable () -> Date
  var decisions: Decisions { Decisions(store: store) }

  func context(_ by: Principal) throws -> TreasuryContext { try TreasuryContext(at: now(), by: by) }

  func read<T: Sendable>(_ body: @escaping @Sendable (Database, TableSet) throws -> T) async throws -> T {
    try await runner.read("ledger", body)
  }

  /// Waits, boundedly, for the `ledger` read model to reach the log's head: a decision made on
  /// what it holds (the pending entries of a month, the approved movements of an account) then
  /// sees every entry and approval committed before it; what commits later is caught by the
  /// streams the decision holds conditions on.
  func caughtUp() async throws {
    let head = try await store.head().position
    guard try await runner.waitUntil("ledger", reached: head, timeout: .seconds(10)) else {
      throw Problem(.unavailable, "仕訳の集計が追いついていません。しばらくしてからもう一度お試しください")
    }
  }

  /// The books and the names their accounts are shown with, read together.
  func books() async throws -> (Books, AccountNames) {
    try await read { db, set in (try LedgerQueries.books(in: db, set), try LedgerQueries.accountNames(in: db, set)) }
  }

  // MARK: Streams

  func institution(_ id: InstitutionID, _ t: Transaction) async throws -> Institution.State {
    try await t.load(try Institution.stream(id), codec: Institution.codec, initial: nil, evolve: Institution.evolve)
  }

  /// The register of the foundation's bank accounts: every posting holds it at the version it read.
  func accounts(_ t: Transaction) async throws -> BankAccounts.State {
    try await t.load(try BankAccounts.stream(), codec: BankAccounts.codec, initial: BankAccounts.initialState, evolve: BankAccounts.evolve)
  }

  func pool(_ t: Transaction) async throws -> FundingPool.State {
    try await t.load(try FundingPool.stream(), codec: FundingPool.codec, initial: FundingPool.initialState, evolve: FundingPool.evolve)
  }

  func period(_ date: LocalDate, _ t: Transaction) async throws -> Period.State {
    let year = FiscalYear(containing: date)
    return try await t.load(try Period.stream(year), codec: Period.codec, initial: Period.initialState(year), evolve: Period.evolve)
  }

  func borrowing(_ id: BorrowingID, _ t: Transaction) async throws -> Borrowing.State {
    try await t.load(try Borrowing.stream(id), codec: Borrowing.codec, initial: Borrowing.initialState, evolve: Borrowing.evolve)
  }

  func deposit(_ id: DepositID, _ t: Transaction) async throws -> Deposit.State {
    try await t.load(try Deposit.stream(id), codec: Deposit.codec, initial: Deposit.initialState, evolve: Deposit.evolve)
  }

  func manual(_ id: EntryID, _ t: Transaction) async throws -> ManualEntry.State {
    try await t.load(try ManualEntry.stream(id), codec: ManualEntry.codec, initial: ManualEntry.initialState, evolve: ManualEntry.evolve)
  }

  /// Queues a decision on its stream and the funding pool's (an approval settles what the
  /// pool had counted without the pool being part of its decision: it is read here, so the
  /// append holds it at the version seen).
  func queue<Event>(_ decision: PostingDecision<Event>, to stream: StreamName, codec: EventCodec<Event>, _ t: Transaction) async throws {
    try t.write(decision.events, to: stream, codec: codec)
    guard !decision.pool.isEmpty else { return }
    _ = try await pool(t)
    try t.write(decision.pool, to: try FundingPool.stream(), codec: FundingPool.codec)
  }

  // MARK: Institutions

  func register(_ command: RegisterInstitution, by: Principal, _ t: Transaction) async throws -> Outcome<InstitutionAnswer> {
    let state = try await institution(command.id, t)
    let events = try Institution.register(command, state, try context(by))
    let stream = try Institution.stream(command.id)
    try t.write(events, to: stream, codec: Institution.codec)
    guard let record = events.reduce(state, Institution.evolve) else { throw Problem(.internalError, "the registration decided nothing") }
    return Outcome(stream: stream, status: .created, body: InstitutionAnswer(record))
  }

  // MARK: The foundation's bank accounts

  func open(_ command: OpenBankAccount, by: Principal, _ t: Transaction) async throws -> Outcome<BankAccountAnswer> {
    let state = try await accounts(t)
    let events = try BankAccounts.open(command, state, try context(by))
    try t.write(events, to: try BankAccounts.stream(), codec: BankAccounts.codec)
    guard let record = events.reduce(state, BankAccounts.evolve).account(command.id) else { throw Problem(.internalError, "the opening decided nothing") }
    return Outcome(stream: try BankAccounts.stream(), status: .created, body: BankAccountAnswer(record, isDefault: state.defaultAccount == nil))
  }

  func close(_ id: BankAccountID, reason: String, by: Principal, _ t: Transaction) async throws -> Outcome<BankAccountAnswer> {
    let state = try await accounts(t)
    let events = try BankAccounts.close(id, reason: reason, state, try context(by))
    try t.write(events, to: try BankAccounts.stream(), codec: BankAccounts.codec)
    let after = events.reduce(state, BankAccounts.evolve)
    guard let record = after.account(id) else { throw Problem(.internalError, "the closing decided nothing") }
    return Outcome(stream: try BankAccounts.stream(), status: .ok, body: BankAccountAnswer(record, isDefault: false))
  }

  // MARK: Borrowings

  func draw(_ command: DrawBorrowing, by: Principal, _ t: Transaction) async throws -> Outcome<EntryAnswer> {
    let state = try await borrowing(command.id, t)
    let decision = try Borrowing.draw(
      command, state, lender: try await institution(command.lender, t), accounts: try await accounts(t), pool: try await pool(t), period: try await period(command.valueDate, t),
      try context(by))
    return try await finish(decision, stream: try Borrowing.stream(command.id), codec: Borrowing.codec, entry: command.entry, subject: command.id.rawValue, status: .created, t)
  }

  func repay(_ id: BorrowingID, _ command: RepayBorrowing, by: Principal, _ t: Transaction) async throws -> Outcome<EntryAnswer> {
    let decision = try Borrowing.repay(
      command, try await borrowing(id, t), accounts: try await accounts(t), pool: try await pool(t), period: try await period(command.valueDate, t),
      try context(by))
    return try await finish(decision, stream: try Borrowing.stream(id), codec: Borrowing.codec, entry: command.entry, subject: id.rawValue, status: .created, t)
  }

  func accrue(_ id: BorrowingID, _ command: AccrueInterest, by: Principal, _ t: Transaction) async throws -> Outcome<EntryAnswer> {
    let decision = try Borrowing.accrueInterest(command, try await borrowing(id, t), period: try await period(command.through, t), try context(by))
    return try await finish(decision, stream: try Borrowing.stream(id), codec: Borrowing.codec, entry: command.entry, subject: id.rawValue, status: .created, t)
  }

  func payInterest(_ id: BorrowingID, _ command: PayInterest, by: Principal, _ t: Transaction) async throws -> Outcome<EntryAnswer> {
    let decision = try Borrowing.payInterest(
      command, try await borrowing(id, t), accounts: try await accounts(t), period: try await period(command.valueDate, t), try context(by))
    return try await finish(decision, stream: try Borrowing.stream(id), codec: Borrowing.codec, entry: command.entry, subject: id.rawValue, status: .created, t)
  }

  // MARK: Deposits

  func place(_ command: PlaceDeposit, by: Principal, _ t: Transaction) async throws -> Outcome<EntryAnswer> {
    let decision = try Deposit.place(
      command, try await deposit(command.id, t), institution: try await institution(command.institution, t), accounts: try await accounts(t),
      pool: try await pool(t),
      period: try await period(command.valueDate, t), try context(by))
    return try await finish(decision, stream: try Deposit.stream(command.id), codec: Deposit.codec, entry: command.entry, subject: command.id.rawValue, status: .created, t)
  }

  func receive(_ id: DepositID, _ command: ReceiveDeposit, by: Principal, _ t: Transaction) async throws -> Outcome<EntryAnswer> {
    let decision = try Deposit.receive(
      command, try await deposit(id, t), accounts: try await accounts(t), pool: try await pool(t), period: try await period(command.valueDate, t),
      try context(by))
    return try await finish(decision, stream: try Deposit.stream(id), codec: Deposit.codec, entry: command.entry, subject: id.rawValue, status: .created, t)
  }

  // MARK: Manual entries, reversals, periods

  func enter(_ entry: NewEntry, by: Principal, _ t: Transaction) async throws -> Outcome<EntryAnswer> {
    let decision = try ManualEntry.enter(
      entry, try await manual(entry.id, t), accounts: try await accounts(t), pool: try await pool(t), period: try await period(entry.valueDate, t),
      try context(by))
    return try await finish(decision, stream: try ManualEntry.stream(entry.id), codec: ManualEntry.codec, entry: entry.id, subject: entry.id.rawValue, status: .created, t)
  }

  /// 訂正: reverses an approved entry in the stream that holds it.
  func reverse(_ command: ReverseEntry, by: Principal, _ t: Transaction) async throws -> Outcome<EntryAnswer> {
    let original = command.original.rawValue
    guard let stream = try await read({ db, set in try LedgerQueries.stream(ofEntry: original, in: db, set) }) else {
      throw Problem(.notFound, DepositLedgerError.unknownEntry(command.original).description)
    }
    let context = try context(by)
    let pool = try await pool(t)
    let period = try await period(command.valueDate, t)
    switch stream.category {
    case Borrowing.category:
      let decision = try Borrowing.reverse(command, try await borrowing(try BorrowingID(stream.id), t), pool: pool, period: period, context)
      return try await finish(decision, stream: stream, codec: Borrowing.codec, entry: command.id, subject: stream.id, status: .created, t)
    case Deposit.category:
      let decision = try Deposit.reverse(command, try await deposit(try DepositID(stream.id), t), pool: pool, period: period, context)
      return try await finish(decision, stream: stream, codec: Deposit.codec, entry: command.id, subject: stream.id, status: .created, t)
    default:
      let decision = try ManualEntry.reverse(command, try await manual(try EntryID(stream.id), t), pool: pool, period: period, context)
      return try await finish(decision, stream: stream, codec: ManualEntry.codec, entry: command.id, subject: stream.id, status: .created, t)
    }
  }

  /// Closes (or reopens, with a reason) a month of a fiscal year, or the whole year.
  func period(_ year: FiscalYear, month: YearMonth?, close: Bool, reason: String, by: Principal, _ t: Transaction) async throws -> Outcome<PeriodAnswer> {
    let stream = try Period.stream(year)
    let state = try await t.load(stream, codec: Period.codec, initial: Period.initialState(year), evolve: Period.evolve)
    let context = try context(by)
    let events: [Period.Event]
    if close {
      let from = month?.firstDay ?? year.firstDay, through = month?.lastDay ?? year.lastDay
      // The pending list comes from the read model: an approval just made must not still count as pending.
      try await caughtUp()
      let pending = try await read { db, set in try LedgerQueries.pending(from: from, through: through, in: db, set) }
      events = try Period.close(month, pending: pending, state, context)
    } else {
      events = try Period.reopen(month, reason: reason, state, context)
    }
    try t.write(events, to: stream, codec: Period.codec)
    let after = events.reduce(state, Period.evolve)
    return Outcome(stream: stream, status: .ok, body: PeriodAnswer(after))
  }

  // MARK: Approval

  /// Approves or rejects `entry` in the stream that holds it (found in the read model, which
  /// has it once entered; an entry just entered may need a moment: 404 until then).
  func decide(_ entry: EntryID, approve: Bool, reason: String, by: Principal, _ t: Transaction) async throws -> Outcome<EntryAnswer> {
    let id = entry.rawValue
    guard let stream = try await read({ db, set in try LedgerQueries.stream(ofEntry: id, in: db, set) }) else {
      throw Problem(.notFound, DepositLedgerError.unknownEntry(entry).description)
    }
    let context = try context(by)
    switch stream.category {
    case Borrowing.category:
      let borrowingID = try BorrowingID(stream.id)
      let state = try await borrowing(borrowingID, t)
      let date = state?.journal.entry(entry)?.entered.valueDate ?? context.today
      let decision = approve
        ? try Borrowing.approve(entry, state, period: try await period(date, t), context) : try Borrowing.reject(entry, reason: reason, state, context)
      return try await finish(decision, stream: stream, codec: Borrowing.codec, entry: entry, subject: stream.id, status: .ok, t)
    case Deposit.category:
      let depositID = try DepositID(stream.id)
      let state = try await deposit(depositID, t)
      let date = state?.journal.entry(entry)?.entered.valueDate ?? context.today
      let decision = approve
        ? try Deposit.approve(entry, state, period: try await period(date, t), context) : try Deposit.reject(entry, reason: reason, state, context)
      return try await finish(decision, stream: stream, codec: Deposit.codec, entry: entry, subject: stream.id, status: .ok, t)
    default:
      let original = try EntryID(stream.id)
      let state = try await manual(original, t)
      let date = state.entry(entry)?.entered.valueDate ?? context.today
      let decision = approve
        ? try ManualEntry.approve(entry, state, period: try await period(date, t), context) : try ManualEntry.reject(entry, reason: reason, state, context)
      return try await finish(decision, stream: stream, codec: ManualEntry.codec, entry: entry, subject: stream.id, status: .ok, t)
    }
  }

  private func finish<Event>(
    _ decision: PostingDecision<Event>, stream: StreamName, codec: EventCodec<Event>, entry: EntryID, subject: String, status: HTTPResponse.Status,
    _ t: Transaction
  ) async throws -> Outcome<EntryAnswer> {
    try await queue(decision, to: stream, codec: codec, t)
    return Outcome(stream: stream, status: status, body: EntryAnswer(entry: entry.rawValue, subject: subject, stream: stream.description))
  }
}

/// What a posting answers: its entry, awaiting approval (or just approved or rejected), and what it is about.
struct EntryAnswer: Codable, Sendable {
  var entry: String
  /// The borrowing, deposit or manual entry the entry belongs to.
  var subject: String
  var stream: String
}

/// An institution as registered.
struct InstitutionAnswer: Codable, Sendable {
  var id: String
  var name: String
  var bankCode: String
  var branchCode: String
  var accountType: String
  var accountNumber: String
  var accountName: String
  var roles: [String]

  init(_ record: Institution.Record) {
    id = record.institution.rawValue
    name = record.name
    bankCode = record.bankCode
    branchCode = record.branchCode
    accountType = record.accountType.rawValue
    accountNumber = record.accountNumber
    accountName = record.accountName
    roles = record.roles.map(\.rawValue)
  }
}

/// One of the foundation's bank accounts, as the register holds it.
struct BankAccountAnswer: Codable, Sendable {
  var id: String
  var name: String
  var bankName: String
  var branchName: String
  var bankCode: String
  var branchCode: String
  var accountType: String
  var accountNumber: String
  var accountName: String
  var requesterCode: String?
  var open: Bool
  /// Where postings that name no account go: the first account opened that is still open.
  var isDefault: Bool

  init(_ record: BankAccounts.Record, isDefault: Bool) {
    id = record.id.rawValue
    name = record.opened.name
    bankName = record.opened.bankName
    branchName = record.opened.branchName
    bankCode = record.opened.bankCode
    branchCode = record.opened.branchCode
    accountType = record.opened.accountType.rawValue
    accountNumber = record.opened.accountNumber
    accountName = record.opened.accountName
    requesterCode = record.opened.requesterCode
    open = record.isOpen
    self.isDefault = isDefault
  }
}

/// A fiscal year's periods after a close or a reopening.
struct PeriodAnswer: Codable, Sendable {
  var fiscalYear: String
  var yearClosed: Bool
  var closedMonths: [YearMonth]

  init(_ state: Period.State) {
    fiscalYear = state.year.description
    yearClosed = state.yearClosed
    closedMonths = state.closedMonths.sorted()
  }
}
