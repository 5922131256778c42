import DepositLedger
public import EventLog
import Foundation
public import GRDB
public import Projections
import SharedKernel

/// The treasury's read model: the institutions, the foundation's bank accounts, every journal entry with its lines and status
/// (and the stream that holds it, so an approval finds its borrowing, deposit or manual entry),
/// the borrowings and the deposits placed, folded from the deposit ledger's events.
public struct LedgerProjection: Projection {
  public let name = "ledger"
  public let version = 2

  public init() {}

  public var eventTypes: Set<String> {
    Set(Institution.codec.types + BankAccounts.codec.types + Borrowing.codec.types + Deposit.codec.types + ManualEntry.codec.types)
  }

  public var tables: [String] { ["institutions", "bank_accounts", "entries", "lines", "borrowings", "deposits"] }

  public func createTables(in db: Database, _ set: TableSet) throws {
    let t = set.table
    try db.execute(
      sql: """
        CREATE TABLE "\(t("institutions"))" (
          id TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT NOT NULL, bank_code TEXT NOT NULL, branch_code TEXT NOT NULL,
          account_type TEXT NOT NULL, account_number TEXT NOT NULL, account_name TEXT NOT NULL, roles TEXT NOT NULL);
        CREATE TABLE "\(t("bank_accounts"))" (
          id TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT NOT NULL, bank_name TEXT NOT NULL, branch_name TEXT NOT NULL,
          bank_code TEXT NOT NULL, branch_code TEXT NOT NULL, account_type TEXT NOT NULL, account_number TEXT NOT NULL,
          account_name TEXT NOT NULL, requester_code TEXT, closed_reason TEXT);
        CREATE TABLE "\(t("entries"))" (
          id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, stream TEXT NOT NULL, value_date TEXT NOT NULL, purpose TEXT NOT NULL,
          status TEXT NOT NULL, memo TEXT NOT NULL, amount INTEGER NOT NULL, maker TEXT NOT NULL, checker TEXT, reverses TEXT, reason TEXT,
          entered_at TEXT NOT NULL, decided_at TEXT, data TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE INDEX "\(t("entries"))_date" ON "\(t("entries"))"(status, value_date);
        CREATE TABLE "\(t("lines"))" (
          entry TEXT NOT NULL, seq INTEGER NOT NULL, account TEXT NOT NULL, side TEXT NOT NULL, amount INTEGER NOT NULL,
          PRIMARY KEY (entry, seq));
        CREATE INDEX "\(t("lines"))_account" ON "\(t("lines"))"(account);
        CREATE TABLE "\(t("borrowings"))" (
          id TEXT PRIMARY KEY, lender TEXT NOT NULL, lender_name TEXT NOT NULL, amount INTEGER NOT NULL, rate TEXT NOT NULL,
          day_count TEXT NOT NULL, year_basis TEXT NOT NULL, accrual_unit INTEGER NOT NULL, value_date TEXT NOT NULL, maturity TEXT NOT NULL,
          bank_account TEXT NOT NULL, entry TEXT NOT NULL);
        CREATE TABLE "\(t("deposits"))" (
          id TEXT PRIMARY KEY, institution TEXT NOT NULL, institution_name TEXT NOT NULL, amount INTEGER NOT NULL, programme TEXT NOT NULL,
          value_date TEXT NOT NULL, return_date TEXT NOT NULL, bank_account TEXT NOT NULL, entry TEXT NOT NULL);
        """)
  }

  public func apply(_ event: RecordedEvent, in db: Database, _ set: TableSet) throws {
    let t = set.table
    if Institution.codec.reads(event.type) {
      switch try Institution.codec.decode(event) {
      case .registered(let e):
        try db.execute(
          sql: """
            INSERT INTO "\(t("institutions"))" (id, seq, name, bank_code, branch_code, account_type, account_number, account_name, roles)
            VALUES (?, (SELECT count(*) FROM "\(t("institutions"))") + 1, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            e.institution.rawValue, e.name, e.bankCode, e.branchCode, e.accountType.rawValue, e.accountNumber, e.accountName,
            e.roles.map(\.rawValue).joined(separator: ","),
          ])
      }
    } else if BankAccounts.codec.reads(event.type) {
      switch try BankAccounts.codec.decode(event) {
      case .opened(let e):
        try db.execute(
          sql: """
            INSERT INTO "\(t("bank_accounts"))" (id, seq, name, bank_name, branch_name, bank_code, branch_code, account_type, account_number,
              account_name, requester_code) VALUES (?, (SELECT count(*) FROM "\(t("bank_accounts"))") + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            e.account.rawValue, e.name, e.bankName, e.branchName, e.bankCode, e.branchCode, e.accountType.rawValue, e.accountNumber,
            e.accountName, e.requesterCode,
          ])
      case .closed(let e):
        try db.execute(sql: "UPDATE \"\(t("bank_accounts"))\" SET closed_reason = ? WHERE id = ?", arguments: [e.reason, e.account.rawValue])
      }
    } else if Borrowing.codec.reads(event.type) {
      switch try Borrowing.codec.decode(event) {
      case .drawn(let e):
        try db.execute(
          sql: """
            INSERT INTO "\(t("borrowings"))" (id, lender, lender_name, amount, rate, day_count, year_basis, accrual_unit, value_date, maturity,
              bank_account, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            e.borrowing.rawValue, e.lender.rawValue, e.lenderName, e.amount.amount, e.terms.rate.description, e.terms.dayCount.rawValue,
            e.terms.yearBasis.rawValue, e.terms.accrualUnit.amount, e.valueDate.description, e.maturity.description, e.bankAccount.rawValue,
            e.entry.rawValue,
          ])
      case .journal(let e): try journal(e, stream: event.stream, position: event.position, in: db, set)
      }
    } else if Deposit.codec.reads(event.type) {
      switch try Deposit.codec.decode(event) {
      case .placed(let e):
        try db.execute(
          sql: """
            INSERT INTO "\(t("deposits"))" (id, institution, institution_name, amount, programme, value_date, return_date, bank_account, entry)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            e.deposit.rawValue, e.institution.rawValue, e.institutionName, e.amount.amount, e.programme, e.valueDate.description,
            e.returnDate.description, e.bankAccount.rawValue, e.entry.rawValue,
          ])
      case .journal(let e): try journal(e, stream: event.stream, position: event.position, in: db, set)
      }
    } else if ManualEntry.codec.reads(event.type) {
      try journal(try ManualEntry.codec.decode(event), stream: event.stream, position: event.position, in: db, set)
    }
  }

  /// Keys sorted, so a rebuild writes the same text.
  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  private func journal(_ event: Journal.Event, stream: StreamName, position: Int64, in db: Database, _ set: TableSet) throws {
    let t = set.table
    switch event {
    case .entered(let e):
      try db.execute(
        sql: """
          INSERT INTO "\(t("entries"))" (id, seq, stream, value_date, purpose, status, memo, amount, maker, reverses, entered_at, data, position)
          VALUES (?, (SELECT count(*) FROM "\(t("entries"))") + 1, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          e.entry.rawValue, stream.description, e.valueDate.description, e.purpose.rawValue, e.memo, e.amount.amount, e.by.rawValue,
          e.reverses?.rawValue, e.at.description, String(decoding: try Self.encoder.encode(e), as: UTF8.self), position,
        ])
      for (index, line) in e.lines.enumerated() {
        try db.execute(
          sql: "INSERT INTO \"\(t("lines"))\" (entry, seq, account, side, amount) VALUES (?, ?, ?, ?, ?)",
          arguments: [e.entry.rawValue, index, line.account.code, line.side.rawValue, line.amount.amount])
      }
    case .approved(let e):
      try db.execute(
        sql: "UPDATE \"\(t("entries"))\" SET status = 'approved', checker = ?, decided_at = ?, position = ? WHERE id = ?",
        arguments: [e.by.rawValue, String(decoding: try Self.encoder.encode(e.at), as: UTF8.self), position, e.entry.rawValue])
    case .rejected(let e):
      try db.execute(
        sql: "UPDATE \"\(t("entries"))\" SET status = 'rejected', checker = ?, reason = ?, decided_at = ?, position = ? WHERE id = ?",
        arguments: [e.by.rawValue, e.reason, String(decoding: try Self.encoder.encode(e.at), as: UTF8.self), position, e.entry.rawValue])
    }
  }
}
