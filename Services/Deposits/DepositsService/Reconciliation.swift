import BankFiles
import DepositLedger
import DepositReadModels
import EventLog
import Foundation
import ServiceKit
import SharedKernel

/// The treasury's reconciliation: statements read from the bank's files, imported into each
/// account's `statements-<account>` stream with what matches automatically, matches made and
/// undone by hand, and the view of one statement beside the ledger.
struct Reconciliation: Sendable {
  let treasury: Treasury

  /// The streams and the ledger a reconciliation decision reads: the books caught up to the
  /// log's head (an entry approved a moment ago must be there to match), the institutions'
  /// カナ names.
  struct Ledger: Sendable {
    var books: Books
    var names: AccountNames
    var kana: [InstitutionID: String]
  }

  func ledger() async throws -> Ledger {
    try await treasury.caughtUp()
    return try await treasury.read { db, set in
      var kana: [InstitutionID: String] = [:]
      for row in try LedgerQueries.institutions(in: db, set) { kana[try InstitutionID(row.id)] = row.accountName }
      return Ledger(books: try LedgerQueries.books(in: db, set), names: try LedgerQueries.accountNames(in: db, set), kana: kana)
    }
  }

  /// The account's stream, once the register is known to hold the account (404 otherwise).
  func statements(_ account: BankAccountID, _ t: Transaction) async throws -> BankStatements.State {
    guard try await treasury.accounts(t).account(account) != nil else { throw DepositLedgerError.unknownBankAccount(account) }
    return try await t.load(try BankStatements.stream(account), codec: BankStatements.codec, initial: BankStatements.initialState, evolve: BankStatements.evolve)
  }

  /// The account's stream as the log has it now (for reads).
  func statements(_ account: BankAccountID) async throws -> BankStatements.State {
    try await treasury.store.readAll(stream: try BankStatements.stream(account)).map { try BankStatements.codec.decode($0) }
      .reduce(BankStatements.initialState, BankStatements.evolve)
  }

  func transfers(_ account: BankAccountID, _ t: Transaction) async throws -> Transfers.State {
    try await t.load(try Transfers.stream(account), codec: Transfers.codec, initial: Transfers.initialState, evolve: Transfers.evolve)
  }

  func transfers(_ account: BankAccountID) async throws -> Transfers.State {
    try await treasury.store.readAll(stream: try Transfers.stream(account)).map { try Transfers.codec.decode($0) }
      .reduce(Transfers.initialState, Transfers.evolve)
  }

  func register() async throws -> BankAccounts.State {
    try await treasury.store.readAll(stream: try BankAccounts.stream()).map { try BankAccounts.codec.decode($0) }
      .reduce(BankAccounts.initialState, BankAccounts.evolve)
  }

  // MARK: Parsing

  /// The statement in a file: 全銀 入出金取引明細 for `application/vnd.zengin`, CSV otherwise.
  /// A malformed file is refused whole (422), naming the record, the field, what was found and
  /// what was expected.
  static func parse(_ body: Data, mediaType: String, today: LocalDate) throws -> (BankFiles.Statement, String) {
    do {
      if mediaType == "application/vnd.zengin" || mediaType == "application/octet-stream" {
        return (try ZenginStatement.parse(Array(body), importedOn: today), "zengin")
      }
      return (try StatementCSV.parse(body), "csv")
    } catch {
      throw Problem(.validationFailed, error.description, field: "body")
    }
  }

  // MARK: Decisions

  /// Imports every account of a statement file in one append; a file naming an account the
  /// register does not hold is refused whole.
  func importFile(_ statement: BankFiles.Statement, format: String, by: Principal, newID: () -> StatementID, _ t: Transaction) async throws
    -> Outcome<ImportAnswer>
  {
    guard !statement.accounts.isEmpty else { throw Problem(.validationFailed, "明細に口座がありません", field: "body") }
    let register = try await treasury.accounts(t)
    let ledger = try await ledger()
    let context = try treasury.context(by)
    var answers: [ReconciliationAnswer] = []
    var first: StreamName?
    var created = false
    for account in statement.accounts {
      let command = ImportStatement(account, id: newID(), format: format)
      let id = try BankStatements.account(bankCode: command.bankCode, branchCode: command.branchCode, accountNumber: command.accountNumber, register)
      let stream = try BankStatements.stream(id)
      let state = try await statements(id, t)
      let movements = BankMovement.movements(through: id, in: ledger.books)
      let batches = try await transfers(id, t).batches
      let events = try BankStatements.importStatement(command, into: id, state, movements: movements, names: ledger.kana, transfers: batches, context)
      if !events.isEmpty {
        try t.write(events, to: stream, codec: BankStatements.codec)
        created = true
      }
      let after = events.reduce(state, BankStatements.evolve)
      guard let imported = after.statement(digest: command.digest) else { throw Problem(.internalError, "the import decided nothing") }
      answers.append(
        ReconciliationAnswer(
          account: id, statement: imported, state: after, ledger: ledger, today: context.today, alreadyImported: events.isEmpty))
      first = first ?? stream
    }
    guard let stream = first else { throw Problem(.internalError, "no account") }
    return Outcome(stream: stream, status: created ? .created : .ok, body: ImportAnswer(statements: answers))
  }

  func match(_ account: BankAccountID, lines: [Int], entries: [EntryID], id: MatchID, by: Principal, _ t: Transaction) async throws
    -> Outcome<MatchAnswer>
  {
    let state = try await statements(account, t)
    let ledger = try await ledger()
    let events = try BankStatements.match(
      lines: lines, entries: entries, id: id, account: account, state, movements: BankMovement.movements(through: account, in: ledger.books),
      try treasury.context(by))
    try t.write(events, to: try BankStatements.stream(account), codec: BankStatements.codec)
    return Outcome(stream: try BankStatements.stream(account), status: .created, body: MatchAnswer(events))
  }

  func undo(_ account: BankAccountID, match: MatchID, reason: String, by: Principal, _ t: Transaction) async throws -> Outcome<MatchAnswer> {
    let state = try await statements(account, t)
    let events = try BankStatements.undo(match, reason: reason, account: account, state, try treasury.context(by))
    try t.write(events, to: try BankStatements.stream(account), codec: BankStatements.codec)
    return Outcome(stream: try BankStatements.stream(account), status: .ok, body: MatchAnswer(events))
  }

  /// Matches again what has become unambiguous (entries approved since the import).
  func autoMatch(_ account: BankAccountID, by: Principal, _ t: Transaction) async throws -> Outcome<MatchAnswer> {
    let state = try await statements(account, t)
    let ledger = try await ledger()
    let events = try BankStatements.rematch(
      state, movements: BankMovement.movements(through: account, in: ledger.books), names: ledger.kana, account: account,
      transfers: try await transfers(account, t).batches, try treasury.context(by))
    try t.write(events, to: try BankStatements.stream(account), codec: BankStatements.codec)
    return Outcome(stream: try BankStatements.stream(account), status: .ok, body: MatchAnswer(events))
  }

  // MARK: Transfers (総合振込)

  /// Prepares the batch of the approved repayments and interest payments leaving `account` on `date`.
  func prepare(_ account: BankAccountID, on date: LocalDate, id: TransferBatchID, by: Principal, _ t: Transaction) async throws -> Outcome<BatchAnswer> {
    let register = try await treasury.accounts(t)
    let state = try await transfers(account, t)
    let ledger = try await ledger()
    let lenders = try await treasury.read { db, set in try LedgerQueries.lenders(in: db, set) }
    var institutions: [InstitutionID: Institution.Record] = [:]
    for lender in Set(lenders.values) {
      if let record = try await treasury.institution(lender, t) { institutions[lender] = record }
    }
    let dues = TransferDue.dues(from: account, on: date, books: ledger.books, lenders: lenders, institutions: institutions)
    let events = try Transfers.prepare(id, account: account, on: date, dues: dues, register: register, state, try treasury.context(by))
    try t.write(events, to: try Transfers.stream(account), codec: Transfers.codec)
    guard let batch = events.reduce(state, Transfers.evolve).batch(id) else { throw Problem(.internalError, "the batch decided nothing") }
    return Outcome(stream: try Transfers.stream(account), status: .created, body: BatchAnswer(batch))
  }

  func approve(_ account: BankAccountID, batch id: TransferBatchID, by: Principal, _ t: Transaction) async throws -> Outcome<BatchAnswer> {
    let state = try await transfers(account, t)
    let events = try Transfers.approve(id, state, try treasury.context(by))
    try t.write(events, to: try Transfers.stream(account), codec: Transfers.codec)
    guard let batch = events.reduce(state, Transfers.evolve).batch(id) else { throw Problem(.internalError, "the approval decided nothing") }
    return Outcome(stream: try Transfers.stream(account), status: .ok, body: BatchAnswer(batch))
  }

  func cancel(_ account: BankAccountID, batch id: TransferBatchID, reason: String, by: Principal, _ t: Transaction) async throws -> Outcome<BatchAnswer> {
    let state = try await transfers(account, t)
    let events = try Transfers.cancel(id, reason: reason, state, try treasury.context(by))
    try t.write(events, to: try Transfers.stream(account), codec: Transfers.codec)
    guard let batch = events.reduce(state, Transfers.evolve).batch(id) else { throw Problem(.internalError, "the cancellation decided nothing") }
    return Outcome(stream: try Transfers.stream(account), status: .ok, body: BatchAnswer(batch))
  }

  /// The 全銀 総合振込 file of an approved batch: 120-byte JIS8 records, no separators.
  func file(_ account: BankAccountID, batch id: TransferBatchID) async throws -> [UInt8] {
    guard let record = try await register().account(account) else { throw Problem(.notFound, DepositLedgerError.unknownBankAccount(account).japaneseDescription) }
    guard let batch = try await transfers(account).batch(id) else { throw Problem(.notFound, DepositLedgerError.unknownTransferBatch(id).japaneseDescription) }
    guard batch.status == .approved else { throw Problem(.conflict, "振込データ \(id) は\(batch.status.japaneseName)です。承認済のデータだけがファイルになります") }
    guard let requester = record.opened.requesterCode else {
      throw Problem(.conflict, "口座 \(account) に振込依頼人コードが登録されていません（総合振込の契約で銀行が決めた10桁）")
    }
    func type(_ type: BankAccountType) -> DepositType { type == .current ? .current : .ordinary }
    let request = BulkTransfer(
      requesterCode: requester, requesterName: record.opened.accountName, transferDate: batch.prepared.date,
      account: TransferAccount(
        bankCode: record.opened.bankCode, bankName: "", branchCode: record.opened.branchCode, branchName: "", type: type(record.opened.accountType),
        number: record.opened.accountNumber),
      transfers: batch.prepared.transfers.map { due in
        Transfer(
          payee: TransferAccount(bankCode: due.bankCode, bankName: "", branchCode: due.branchCode, branchName: "", type: type(due.accountType), number: due.accountNumber),
          payeeName: due.accountName, amount: due.amount)
      })
    do { return try BulkTransferFile.write(request) } catch { throw Problem(.conflict, error.description) }
  }

  /// The account of a statement id, found among the register's accounts.
  func find(_ statement: StatementID) async throws -> (BankAccountID, BankStatements.State, BankStatements.Statement)? {
    for record in try await register().accounts {
      let state = try await statements(record.id)
      if let found = state.statement(statement) { return (record.id, state, found) }
    }
    return nil
  }
}

// MARK: - Answers

/// One statement beside the ledger: its lines with their match, the entries of the account not
/// matched yet (dated up to the statement's last day) with their age, and the tie-out.
struct ReconciliationAnswer: Codable, Sendable {
  struct Line: Codable, Sendable {
    var number: Int
    var inquiryNumber: String?
    var postingDate: LocalDate
    var valueDate: LocalDate
    var direction: String
    var amountYen: Yen
    var counterparty: String
    var summary: String
    var match: String?
    var rule: String?
    var automatic: Bool?
    var entries: [String]?
    /// Days since its value date, while unmatched.
    var ageDays: Int?
  }
  struct Entry: Codable, Sendable {
    var entry: String
    var valueDate: LocalDate
    var purpose: String
    var memo: String
    /// Into the account positive.
    var amountYen: Yen
    var ageDays: Int
  }
  struct TieOut: Codable, Sendable {
    var statementBalanceYen: Yen
    var ledgerBalanceYen: Yen
    var differenceYen: Yen
    var agrees: Bool
    /// Unmatched lines less unmatched entries, as far as they explain the difference.
    var unmatchedLinesYen: Yen
    var unmatchedEntriesYen: Yen
  }
  var account: String
  var accountName: String
  var statement: String
  var format: String
  var periodFrom: LocalDate
  var periodTo: LocalDate
  var openingBalanceYen: Yen
  var closingBalanceYen: Yen
  var alreadyImported: Bool
  var lines: [Line]
  var unmatchedEntries: [Entry]
  var tieOut: TieOut

  init(
    account: BankAccountID, statement: BankStatements.Statement, state: BankStatements.State, ledger: Reconciliation.Ledger, today: LocalDate,
    alreadyImported: Bool = false, movements given: [BankMovement]? = nil
  ) {
    self.account = account.rawValue
    accountName = ledger.names.name(of: .bank(account))
    self.statement = statement.id.rawValue
    format = statement.format
    periodFrom = statement.periodFrom
    periodTo = statement.periodTo
    openingBalanceYen = statement.openingBalance
    closingBalanceYen = statement.closingBalance
    self.alreadyImported = alreadyImported
    func age(_ date: LocalDate) -> Int { max(0, date.days(to: today)) }
    lines = statement.lines.compactMap { number in
      guard let numbered = state.line(number) else { return nil }
      let line = numbered.line
      let match = state.lineMatches[number].flatMap { state.matches[$0] }
      return Line(
        number: number, inquiryNumber: line.inquiryNumber, postingDate: line.postingDate, valueDate: line.valueDate, direction: line.direction.rawValue,
        amountYen: line.amount, counterparty: line.counterparty, summary: line.summary, match: match?.match.rawValue, rule: match?.rule,
        automatic: match?.automatic, entries: match?.entries.map(\.rawValue), ageDays: match == nil ? age(line.valueDate) : nil)
    }
    // A list of the account's statements passes the account's movements, folded once.
    let movements = given ?? BankMovement.movements(through: account, in: ledger.books)
    unmatchedEntries = movements.filter { state.entryMatches[$0.entry] == nil && $0.valueDate <= statement.periodTo }.map {
      Entry(entry: $0.entry.rawValue, valueDate: $0.valueDate, purpose: $0.purpose.rawValue, memo: $0.memo, amountYen: Yen($0.amount), ageDays: age($0.valueDate))
    }
    let balance = (try? ledger.books.balance(of: .bank(account), asOf: statement.periodTo)) ?? .zero
    let tie = BankStatements.tieOut(statement, ledgerBalance: balance)
    let unmatchedLines = state.unmatchedLines.filter { $0.line.valueDate <= statement.periodTo }.reduce(Int64(0)) { $0 + $1.line.signedAmount }
    tieOut = TieOut(
      statementBalanceYen: tie.statementBalance, ledgerBalanceYen: tie.ledgerBalance, differenceYen: tie.difference, agrees: tie.agrees,
      unmatchedLinesYen: Yen(unmatchedLines), unmatchedEntriesYen: Yen(unmatchedEntries.reduce(Int64(0)) { $0 + $1.amountYen.amount }))
  }
}

/// What an import answers: each account's statement beside the ledger.
struct ImportAnswer: Codable, Sendable {
  var statements: [ReconciliationAnswer]
}

/// The matches a decision made or undid.
struct MatchAnswer: Codable, Sendable {
  struct Match: Codable, Sendable {
    var match: String
    var lines: [Int]
    var entries: [String]
    var rule: String
    var undone: Bool
  }
  var matches: [Match]

  init(_ events: [BankStatements.Event]) {
    matches = events.compactMap { event in
      switch event {
      case .matched(let m): Match(match: m.match.rawValue, lines: m.lines, entries: m.entries.map(\.rawValue), rule: m.rule, undone: false)
      case .unmatched(let u): Match(match: u.match.rawValue, lines: [], entries: [], rule: "", undone: true)
      case .imported: nil
      }
    }
  }
}

/// A 総合振込 batch: its day, status, total and transfers.
struct BatchAnswer: Codable, Sendable {
  struct Line: Codable, Sendable {
    var entry: String
    var purpose: String
    var institution: String
    var institutionName: String
    var bankCode: String
    var branchCode: String
    var accountType: String
    var accountNumber: String
    var accountName: String
    var amountYen: Yen
  }
  var batch: String
  var account: String
  var date: LocalDate
  var status: String
  var totalYen: Yen
  var preparedBy: String
  var approvedBy: String?
  var transfers: [Line]

  init(_ batch: Transfers.Batch) {
    self.batch = batch.id.rawValue
    account = batch.prepared.account.rawValue
    date = batch.prepared.date
    status = batch.status.rawValue
    totalYen = batch.prepared.total
    preparedBy = batch.prepared.by.rawValue
    approvedBy = batch.approvedBy?.rawValue
    transfers = batch.prepared.transfers.map {
      Line(
        entry: $0.entry.rawValue, purpose: $0.purpose.rawValue, institution: $0.institution.rawValue, institutionName: $0.institutionName,
        bankCode: $0.bankCode, branchCode: $0.branchCode, accountType: $0.accountType.rawValue, accountNumber: $0.accountNumber,
        accountName: $0.accountName, amountYen: $0.amount)
    }
  }
}
