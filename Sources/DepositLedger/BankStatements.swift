public import BankFiles
import Crypto
public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``StatementID``.
public enum StatementTag {}
/// An imported bank statement: `st-<UUIDv7>` as the service makes it.
public typealias StatementID = ID<StatementTag>
/// Phantom tag for ``MatchID``.
public enum MatchTag {}
/// A match of statement lines with journal entries: `m-<UUIDv7>`.
public typealias MatchID = ID<MatchTag>

/// Money into the account (入金) or out of it (出金).
public enum StatementDirection: String, Sendable, Hashable, Codable, CaseIterable {
  case `in`
  case out

  public var japaneseName: String { self == .in ? "入金" : "出金" }
}

/// One line of a bank statement (入出金明細), as the bank printed it.
public struct BankLine: Sendable, Hashable, Codable {
  /// 照会番号: the bank's number for the line, when it gives one (leading zeros kept).
  public var inquiryNumber: String?
  /// 勘定日: the day the bank booked it.
  public var postingDate: LocalDate
  /// 起算日: the day it counts from (the ledger's value date).
  public var valueDate: LocalDate
  public var direction: StatementDirection
  public var amount: Yen
  /// 振込依頼人名 or the other party, in full-width カナ.
  public var counterparty: String
  /// 摘要.
  public var summary: String

  public init(
    inquiryNumber: String? = nil, postingDate: LocalDate, valueDate: LocalDate, direction: StatementDirection, amount: Yen, counterparty: String = "",
    summary: String = ""
  ) {
    self.inquiryNumber = inquiryNumber
    self.postingDate = postingDate
    self.valueDate = valueDate
    self.direction = direction
    self.amount = amount
    self.counterparty = counterparty
    self.summary = summary
  }

  /// Into the account positive, out of it negative.
  public var signedAmount: Int64 { direction == .in ? amount.amount : -amount.amount }
}

/// A statement of one account to import: the account as the bank names it, the period, the
/// balances (negative when overdrawn) and the lines.
public struct ImportStatement: Sendable, Hashable {
  public var id: StatementID
  public var bankCode: String
  public var branchCode: String
  public var accountNumber: String
  public var periodFrom: LocalDate
  public var periodTo: LocalDate
  public var openingBalance: Yen
  public var closingBalance: Yen
  public var lines: [BankLine]
  /// What the file was: `zengin` or `csv`.
  public var format: String
  /// SHA-256 of the account's part of the file, as the service computed it: the same
  /// statement imported again is recognised by it.
  public var digest: String

  public init(
    id: StatementID, bankCode: String, branchCode: String, accountNumber: String, periodFrom: LocalDate, periodTo: LocalDate, openingBalance: Yen,
    closingBalance: Yen, lines: [BankLine], format: String, digest: String
  ) {
    self.id = id
    self.bankCode = bankCode
    self.branchCode = branchCode
    self.accountNumber = accountNumber
    self.periodFrom = periodFrom
    self.periodTo = periodTo
    self.openingBalance = openingBalance
    self.closingBalance = closingBalance
    self.lines = lines
    self.format = format
    self.digest = digest
  }
}

extension ImportStatement {
  /// The command for one account of a statement file (全銀 or CSV). The 全銀 口座番号 is 10
  /// digits, the register's the bank's 7: leading zeros beyond 7 digits are dropped. The digest
  /// is SHA-256 over the account's part as read (sorted-key JSON), whatever the file's framing.
  public init(_ account: AccountStatement, id: StatementID, format: String) {
    var number = account.accountNumber
    while number.count > 7, number.hasPrefix("0") { number.removeFirst() }
    let lines = account.lines.map {
      BankLine(
        inquiryNumber: $0.inquiryNumber.isEmpty ? nil : $0.inquiryNumber, postingDate: $0.postingDate, valueDate: $0.valueDate,
        direction: $0.direction == .in ? .in : .out, amount: $0.amount, counterparty: $0.counterparty, summary: $0.summary)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let digest = SHA256.hash(data: (try? encoder.encode(account)) ?? Data()).hexadecimal
    self.init(
      id: id, bankCode: account.bankCode, branchCode: account.branchCode, accountNumber: number, periodFrom: account.periodFrom,
      periodTo: account.periodTo, openingBalance: account.openingBalance, closingBalance: account.closingBalance, lines: lines, format: format,
      digest: digest)
  }
}

/// What the ledger moved through one bank account in one approved entry: the entry's net of
/// its lines on `bank:<account>`, into the account positive.
public struct BankMovement: Sendable, Hashable {
  public var entry: EntryID
  public var valueDate: LocalDate
  public var amount: Int64
  public var purpose: EntryPurpose
  public var memo: String
  /// The lender or handling institution the money went to or came from, if any.
  public var institution: InstitutionID?
  /// The entry this one reverses, if it is a reversal.
  public var reverses: EntryID?

  public init(
    entry: EntryID, valueDate: LocalDate, amount: Int64, purpose: EntryPurpose, memo: String, institution: InstitutionID?, reverses: EntryID? = nil
  ) {
    self.entry = entry
    self.valueDate = valueDate
    self.amount = amount
    self.purpose = purpose
    self.memo = memo
    self.institution = institution
    self.reverses = reverses
  }

  /// The movements through `account` of the entries of `statuses` (approved ones by default:
  /// only they count), in the order entered; entries whose lines on it net to zero move nothing
  /// and are left out.
  public static func movements(through account: BankAccountID, in books: Books, statuses: Set<Journal.Status> = [.approved]) -> [BankMovement] {
    books.entries.compactMap { statuses.contains($0.status) ? movement(of: $0, through: account) : nil }
  }

  /// What `entry` moves through `account`, or nil when its lines there net to zero.
  public static func movement(of entry: Journal.Entry, through account: BankAccountID) -> BankMovement? {
    let net = entry.entered.lines.reduce(Int64(0)) { total, line in
      guard line.account == .bank(account) else { return total }
      return total + (line.side == .debit ? line.amount.amount : -line.amount.amount)
    }
    guard net != 0 else { return nil }
    return BankMovement(
      entry: entry.id, valueDate: entry.entered.valueDate, amount: net, purpose: entry.entered.purpose, memo: entry.entered.memo,
      institution: entry.entered.lines.lazy.compactMap(\.account.institution).first, reverses: entry.entered.reverses)
  }
}

/// 入出金明細と照合: one stream per bank account of the register, `statements-<account>`,
/// holding every statement line the bank has sent for it and every match of lines with the
/// ledger's entries, so that one append keeps both invariants: a line is known once however
/// many statements repeat it (a monthly statement over daily ones adds only what is new), and a
/// line or an entry is in at most one match.
///
/// A line is the same line again when its 照会番号 and 勘定日 are, or, where the bank gives no
/// number, when its dates, direction, amount, counterparty and summary are and it is the same
/// occurrence of those within its statement (two ¥660 charges on one day stay two).
///
/// A match puts lines and entries whose amounts (into the account positive) sum to the same;
/// an entry and its reversal may be matched with no line (no money moved). Matching
/// automatically (``autoMatches(_:movements:names:)``) takes only what is unambiguous.
public enum BankStatements {
  public static let category = "statements"

  /// `statements-<account>`.
  public static func stream(_ account: BankAccountID) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: account.rawValue)
  }

  /// A line as the stream numbers it: 1, 2, 3… per account, in the order first imported.
  public struct NumberedLine: Sendable, Hashable, Codable {
    public var number: Int
    public var line: BankLine
  }

  /// A statement was imported: its new lines numbered, the numbers of lines it repeats.
  public struct Imported: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.StatementImported"
    public static let schemaVersion = 1
    public var statement: StatementID
    public var account: BankAccountID
    public var format: String
    public var digest: String
    public var periodFrom: LocalDate
    public var periodTo: LocalDate
    public var openingBalance: Yen
    public var closingBalance: Yen
    public var lines: [NumberedLine]
    /// Lines of this statement already known from an earlier one.
    public var repeated: [Int]
    public var by: UserID
    public var at: Timestamp
  }

  /// Lines and entries were matched, by hand or automatically.
  public struct Matched: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.StatementLinesMatched"
    public static let schemaVersion = 1
    public var match: MatchID
    public var account: BankAccountID
    public var lines: [Int]
    public var entries: [EntryID]
    public var automatic: Bool
    /// Why, for an automatic match: `amount-and-date`, `same-day-total`, `reversal-pair`…
    public var rule: String
    public var by: UserID
    public var at: Timestamp
  }

  /// A match was undone, with the reason: its lines and entries are unmatched again.
  public struct Unmatched: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.StatementMatchUndone"
    public static let schemaVersion = 1
    public var match: MatchID
    public var account: BankAccountID
    public var reason: String
    public var by: UserID
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case imported(Imported)
    case matched(Matched)
    case unmatched(Unmatched)
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Imported.self, embed: Event.imported) { if case .imported(let e) = $0 { e } else { nil } }
    codec.register(Matched.self, embed: Event.matched) { if case .matched(let e) = $0 { e } else { nil } }
    codec.register(Unmatched.self, embed: Event.unmatched) { if case .unmatched(let e) = $0 { e } else { nil } }
    return codec
  }()

  /// An imported statement: its period, balances and the numbers of its lines (new and repeated).
  public struct Statement: Sendable, Hashable {
    public var id: StatementID
    public var format: String
    public var digest: String
    public var periodFrom: LocalDate
    public var periodTo: LocalDate
    public var openingBalance: Yen
    public var closingBalance: Yen
    public var lines: [Int]
  }

  /// What the stream holds for one account.
  public struct State: Sendable, Hashable {
    public private(set) var lines: [NumberedLine] = []
    public private(set) var statements: [Statement] = []
    public private(set) var matches: [MatchID: Matched] = [:]
    public private(set) var lineMatches: [Int: MatchID] = [:]
    public private(set) var entryMatches: [EntryID: MatchID] = [:]
    fileprivate var keys: [String: Int] = [:]

    public init() {}

    public func line(_ number: Int) -> NumberedLine? { number >= 1 && number <= lines.count ? lines[number - 1] : nil }
    public func statement(_ id: StatementID) -> Statement? { statements.first { $0.id == id } }
    public func statement(digest: String) -> Statement? { statements.first { $0.digest == digest } }
    public var unmatchedLines: [NumberedLine] { lines.filter { lineMatches[$0.number] == nil } }

    mutating func apply(_ event: Event) {
      switch event {
      case .imported(let e):
        for numbered in e.lines {
          lines.append(numbered)
        }
        for (numbered, key) in zip(e.lines, BankStatements.keys(of: e.lines.map(\.line))) { keys[key] = numbered.number }
        statements.append(
          Statement(
            id: e.statement, format: e.format, digest: e.digest, periodFrom: e.periodFrom, periodTo: e.periodTo, openingBalance: e.openingBalance,
            closingBalance: e.closingBalance, lines: (e.lines.map(\.number) + e.repeated).sorted()))
      case .matched(let e):
        matches[e.match] = e
        for line in e.lines { lineMatches[line] = e.match }
        for entry in e.entries { entryMatches[entry] = e.match }
      case .unmatched(let e):
        guard let match = matches.removeValue(forKey: e.match) else { return }
        for line in match.lines { lineMatches[line] = nil }
        for entry in match.entries { entryMatches[entry] = nil }
      }
    }
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    state.apply(event)
    return state
  }

  /// The register's account that a statement names by its codes.
  public static func account(bankCode: String, branchCode: String, accountNumber: String, _ register: BankAccounts.State) throws(DepositLedgerError)
    -> BankAccountID
  {
    guard let record = register.account(bankCode: bankCode, branchCode: branchCode, accountNumber: accountNumber) else {
      throw .statementForUnknownAccount(bankCode: bankCode, branchCode: branchCode, accountNumber: accountNumber)
    }
    return record.id
  }

  /// Imports a statement of `account` (treasury or its manager), then matches what is
  /// unambiguous. The same statement again decides nothing. Refused: a statement whose lines
  /// do not take the opening balance to the closing one, a period that ends before it starts,
  /// a line of zero.
  public static func importStatement(
    _ command: ImportStatement, into account: BankAccountID, _ state: State, movements: [BankMovement], names: [InstitutionID: String],
    transfers: [Transfers.Batch] = [], _ context: TreasuryContext
  ) throws(DepositLedgerError) -> [Event] {
    let user = try context.user(in: [.treasury, .treasuryManager], to: "import a bank statement")
    if state.statement(digest: command.digest) != nil { return [] }
    guard command.periodFrom <= command.periodTo else {
      throw .dateTooEarly(field: "periodTo", command.periodTo, earliest: command.periodFrom, what: "the statement's first day")
    }
    if let index = command.lines.firstIndex(where: { $0.amount <= .zero }) { throw .invalidLineAmount(line: index + 1, command.lines[index].amount) }
    let moved = command.lines.reduce(Int128(0)) { $0 + Int128($1.signedAmount) }
    guard Int128(command.openingBalance.amount) + moved == Int128(command.closingBalance.amount) else {
      throw .statementDoesNotAdd(opening: command.openingBalance, moved: Yen.clamped(moved), closing: command.closingBalance)
    }
    var numbered: [NumberedLine] = []
    var repeated: [Int] = []
    for (line, key) in zip(command.lines, keys(of: command.lines)) {
      if let known = state.keys[key] {
        repeated.append(known)
      } else {
        numbered.append(NumberedLine(number: state.lines.count + numbered.count + 1, line: line))
      }
    }
    let imported = Event.imported(
      Imported(
        statement: command.id, account: account, format: command.format, digest: command.digest, periodFrom: command.periodFrom,
        periodTo: command.periodTo, openingBalance: command.openingBalance, closingBalance: command.closingBalance, lines: numbered, repeated: repeated,
        by: user, at: context.timestamp))
    let after = evolve(state, imported)
    return [imported] + autoMatches(after, movements: movements, names: names, account: account, context, first: command.id, transfers: transfers)
  }

  /// Matches `lines` with `entries` by hand: each known and unmatched, the entries approved
  /// movements of the account, the two sums equal (an entry and its reversal may go without a line).
  public static func match(
    lines: [Int], entries: [EntryID], id: MatchID, account: BankAccountID, _ state: State, movements: [BankMovement], _ context: TreasuryContext
  ) throws(DepositLedgerError) -> [Event] {
    let user = try context.user(in: [.treasury, .treasuryManager], to: "match statement lines")
    guard lines.count + entries.count >= 2, !entries.isEmpty else { throw .matchTooSmall }
    var lineTotal: Int64 = 0
    for number in Set(lines) {
      guard let line = state.line(number) else { throw .unknownStatementLine(number) }
      if let match = state.lineMatches[number] { throw .lineAlreadyMatched(number, match: match) }
      lineTotal += line.line.signedAmount
    }
    var entryTotal: Int64 = 0
    let byEntry = Dictionary(movements.map { ($0.entry, $0) }, uniquingKeysWith: { first, _ in first })
    for entry in Set(entries) {
      guard let movement = byEntry[entry] else { throw .entryNotOnAccount(entry, account: account) }
      if let match = state.entryMatches[entry] { throw .entryAlreadyMatched(entry, match: match) }
      entryTotal += movement.amount
    }
    guard lineTotal == entryTotal else { throw .matchUnbalanced(lines: Yen(lineTotal), entries: Yen(entryTotal)) }
    return [
      .matched(
        Matched(
          match: id, account: account, lines: Array(Set(lines)).sorted(), entries: entries.uniqued(), automatic: false, rule: "by-hand", by: user,
          at: context.timestamp))
    ]
  }

  /// Undoes a match, with the reason.
  public static func undo(_ match: MatchID, reason: String, account: BankAccountID, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError)
    -> [Event]
  {
    let user = try context.user(in: [.treasury, .treasuryManager], to: "undo a match")
    guard state.matches[match] != nil else { throw .unknownMatch(match) }
    guard let reason = Text.required(reason, limit: 500) else { throw .reasonRequired(action: "undoing a match") }
    return [.unmatched(Unmatched(match: match, account: account, reason: reason, by: user, at: context.timestamp))]
  }

  /// Matches again what has become unambiguous (entries approved since the import), for
  /// the treasury or its manager.
  public static func rematch(
    _ state: State, movements: [BankMovement], names: [InstitutionID: String], account: BankAccountID, transfers: [Transfers.Batch] = [],
    _ context: TreasuryContext
  ) throws(DepositLedgerError) -> [Event] {
    _ = try context.user(in: [.treasury, .treasuryManager], to: "match statement lines")
    return autoMatches(state, movements: movements, names: names, account: account, context, transfers: transfers)
  }

  /// Matches what is unambiguous, in this order:
  /// 0. an approved 総合振込 batch (``Transfers``): the one debit of its total on its day, with
  ///    all its entries (`transfer-batch`);
  /// 1. a line and an entry of the same amount on the same value date, when no other unmatched
  ///    line or entry of that amount shares the date, and the line's counterparty does not
  ///    contradict the entry's institution (`amount-and-date`); where several share it, the
  ///    counterparty's カナ name against the institutions' decides, if it singles one out
  ///    (`amount-date-and-name`);
  /// 2. one line and all the day's unmatched entries in its direction, when they sum to it (a
  ///    総合振込 paid as one debit: `same-day-total`), and the converse;
  /// 3. an entry and its reversal, both unmatched, dated the same day (`reversal-pair`).
  /// Match ids are derived from the statement that caused them (`first`) and a counter, so
  /// the decision is deterministic.
  public static func autoMatches(
    _ state: State, movements: [BankMovement], names: [InstitutionID: String], account: BankAccountID, _ context: TreasuryContext,
    first statement: StatementID? = nil, transfers: [Transfers.Batch] = []
  ) -> [Event] {
    guard case .user(let user, _) = context.by else { return [] }
    var state = state
    var events: [Event] = []
    var open = movements.filter { state.entryMatches[$0.entry] == nil }
    func record(_ lines: [Int], _ entries: [EntryID], _ rule: String) {
      let seed = statement?.rawValue ?? "auto-\(context.timestamp)"
      guard let id = try? MatchID("m-\(seed)-\(state.matches.count + events.count + 1)") else { return }
      let event = Event.matched(
        Matched(match: id, account: account, lines: lines, entries: entries, automatic: true, rule: rule, by: user, at: context.timestamp))
      events.append(event)
      state.apply(event)
      open.removeAll { entries.contains($0.entry) }
    }
    // 0. A transfer batch paid as one debit.
    for batch in transfers where batch.status == .approved {
      let entries = batch.prepared.transfers.map(\.entry)
      guard entries.allSatisfy({ entry in open.contains { $0.entry == entry } }) else { continue }
      let lines = state.unmatchedLines.filter {
        $0.line.direction == .out && $0.line.amount == batch.prepared.total && $0.line.valueDate == batch.prepared.date
      }
      if lines.count == 1, let line = lines.first { record([line.number], entries, "transfer-batch") }
    }
    // 1. One to one.
    for line in state.unmatchedLines {
      let amount = line.line.signedAmount, day = line.line.valueDate
      let candidates = open.filter { $0.amount == amount && $0.valueDate == day }
      let rivals = state.unmatchedLines.filter { $0.line.signedAmount == amount && $0.line.valueDate == day }
      if candidates.count == 1, rivals.count == 1, let only = candidates.first {
        if !contradicts(line.line.counterparty, only, names) { record([line.number], [only.entry], "amount-and-date") }
      } else if candidates.count > 1 {
        let named = candidates.filter { agrees(line.line.counterparty, $0, names) }
        if named.count == 1, let only = named.first, rivals.filter({ sameName($0.line.counterparty, line.line.counterparty) }).count == 1 {
          record([line.number], [only.entry], "amount-date-and-name")
        }
      }
    }
    // 2. One line for a day's entries in its direction, and one entry for a day's lines.
    for line in state.unmatchedLines {
      let sign: Int64 = line.line.direction == .in ? 1 : -1
      let day = open.filter { $0.valueDate == line.line.valueDate && $0.amount.signum() == sign }
      let sameDayLines = state.unmatchedLines.filter { $0.line.valueDate == line.line.valueDate && $0.line.direction == line.line.direction }
      if day.count > 1, sameDayLines.count == 1, day.reduce(0, { $0 + $1.amount }) == line.line.signedAmount {
        record([line.number], day.map(\.entry), "same-day-total")
      }
    }
    for movement in open {
      let sign = movement.amount.signum()
      let lines = state.unmatchedLines.filter { $0.line.valueDate == movement.valueDate && $0.line.signedAmount.signum() == sign }
      let sameDayEntries = open.filter { $0.valueDate == movement.valueDate && $0.amount.signum() == sign }
      if lines.count > 1, sameDayEntries.count == 1, lines.reduce(0, { $0 + $1.line.signedAmount }) == movement.amount {
        record(lines.map(\.number), [movement.entry], "same-day-total")
      }
    }
    // 3. An entry and its reversal: no money moved.
    for reversal in open where reversal.reverses != nil {
      guard let original = open.first(where: { $0.entry == reversal.reverses }), original.valueDate == reversal.valueDate,
        original.amount == -reversal.amount
      else { continue }
      record([], [original.entry, reversal.entry], "reversal-pair")
    }
    return events
  }

  /// The statement's closing balance against the ledger's balance of the account on the
  /// statement's last day; a difference is what the unmatched lines and entries must explain.
  public struct TieOut: Sendable, Hashable {
    public var statementBalance: Yen
    public var ledgerBalance: Yen
    public var difference: Yen { Yen(statementBalance.amount - ledgerBalance.amount) }
    public var agrees: Bool { statementBalance == ledgerBalance }
  }

  public static func tieOut(_ statement: Statement, ledgerBalance: Yen) -> TieOut {
    TieOut(statementBalance: statement.closingBalance, ledgerBalance: ledgerBalance)
  }

  // MARK: Lines' identity and names

  /// Each line's identity within its statement (see the type's documentation).
  static func keys(of lines: [BankLine]) -> [String] {
    var seen: [String: Int] = [:]
    return lines.map { line in
      if let number = line.inquiryNumber, !number.allSatisfy({ $0 == "0" || $0 == " " }) {
        return "n|\(line.postingDate)|\(number)"
      }
      let base = "c|\(line.postingDate)|\(line.valueDate)|\(line.direction.rawValue)|\(line.amount.amount)|\(KanaName.normalized(line.counterparty))|\(line.summary)"
      let occurrence = (seen[base] ?? 0) + 1
      seen[base] = occurrence
      return "\(base)|\(occurrence)"
    }
  }

  private static func institutionName(_ movement: BankMovement, _ names: [InstitutionID: String]) -> String? {
    movement.institution.flatMap { names[$0] }.map(KanaName.normalized).flatMap { $0.isEmpty ? nil : $0 }
  }

  /// The counterparty names someone else than the entry's institution.
  static func contradicts(_ counterparty: String, _ movement: BankMovement, _ names: [InstitutionID: String]) -> Bool {
    let name = KanaName.normalized(counterparty)
    guard !name.isEmpty, let institution = institutionName(movement, names) else { return false }
    return !KanaName.similar(name, institution)
  }

  static func agrees(_ counterparty: String, _ movement: BankMovement, _ names: [InstitutionID: String]) -> Bool {
    let name = KanaName.normalized(counterparty)
    guard !name.isEmpty, let institution = institutionName(movement, names) else { return false }
    return KanaName.similar(name, institution)
  }

  static func sameName(_ a: String, _ b: String) -> Bool { KanaName.normalized(a) == KanaName.normalized(b) }

  /// Whether two カナ names as banks print them name the same party (legal forms, spaces and
  /// width aside; one may be cut short).
  public static func namesAgree(_ a: String, _ b: String) -> Bool { KanaName.similar(KanaName.normalized(a), KanaName.normalized(b)) }
}

/// カナ names as banks print them, compared: full-width by NFKC, without spaces, punctuation
/// and the abbreviated legal forms (カ) for 株式会社, ザイ) for 財団法人, (シン for 信用金庫 …).
enum KanaName {
  static func normalized(_ text: String) -> String {
    var name = text.precomposedStringWithCompatibilityMapping.uppercased()
    // Legal forms: one to three カナ before ")" or after "(".
    name = name.replacingOccurrences(of: #"\([ァ-ヴー]{1,3}\)|[ァ-ヴー]{1,3}\)|\([ァ-ヴー]{1,3}$|\([ァ-ヴー]{1,3}(?=[ァ-ヴ])"#, with: "", options: .regularExpression)
    return String(name.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
  }

  /// Whether one name holds the other (banks cut names at their field's length).
  static func similar(_ a: String, _ b: String) -> Bool {
    guard !a.isEmpty, !b.isEmpty else { return false }
    return a.hasPrefix(b) || b.hasPrefix(a) || a.contains(b) || b.contains(a)
  }
}

extension Array where Element: Hashable {
  /// The elements in order, each once.
  func uniqued() -> [Element] {
    var seen: Set<Element> = []
    return filter { seen.insert($0).inserted }
  }
}
