public import DepositLedger
public import EventLog
import Foundation
public import GRDB
public import Projections
public import SharedKernel

/// An institution as the treasury's lists show it.
public struct InstitutionRow: Sendable, Hashable, Codable {
  public var id: String
  public var name: String
  public var bankCode: String
  public var branchCode: String
  public var accountType: String
  public var accountNumber: String
  /// 口座名義 in half-width カナ, as banks print it.
  public var accountName: String
  public var roles: [String]
}

/// One of the foundation's bank accounts, as the register holds it.
public struct BankAccountRow: Sendable, Hashable, Codable {
  public var id: String
  public var name: String
  public var bankName: String
  public var branchName: String
  public var bankCode: String
  public var branchCode: String
  public var accountType: String
  public var accountNumber: String
  public var accountName: String
  /// 振込依頼人コード for 総合振込, if the bank assigned one.
  public var requesterCode: String?
  public var open: Bool
  /// Where postings that name no account go: the first opened that is still open.
  public var isDefault: Bool
}

/// A borrowing as the treasury's list shows it: its lender, principal, terms and dates.
public struct BorrowingRow: Sendable, Hashable, Codable {
  public var id: String
  public var lender: String
  public var lenderName: String
  public var amountYen: Yen
  public var ratePercent: String
  public var dayCount: String
  public var yearBasis: String
  public var valueDate: LocalDate
  public var maturity: LocalDate
}

/// A journal entry in the treasury's lists: the approval queue, the journal (仕訳帳).
public struct EntryRow: Sendable, Hashable, Codable {
  public var id: String
  public var stream: String
  public var valueDate: LocalDate
  public var purpose: String
  public var status: String
  public var memo: String
  public var amountYen: Yen
  public var maker: String
  public var checker: String?
  public var reverses: String?
  public var reason: String?
}

/// The questions the treasury's routes ask of the `ledger` read model. Balances, the trial
/// balance and the year's totals are the context's own folds (``Books``) over the entries the
/// read model keeps, so there is one rule for each.
public enum LedgerQueries {
  public static func institutions(in db: Database, _ set: TableSet) throws -> [InstitutionRow] {
    try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("institutions"))\" ORDER BY seq").map { row in
      InstitutionRow(
        id: row["id"], name: row["name"], bankCode: row["bank_code"], branchCode: row["branch_code"], accountType: row["account_type"],
        accountNumber: row["account_number"], accountName: row["account_name"],
        roles: (row["roles"] as String).split(separator: ",").map(String.init))
    }
  }

  /// The foundation's bank accounts in the order opened.
  public static func bankAccounts(in db: Database, _ set: TableSet) throws -> [BankAccountRow] {
    var defaultTaken = false
    return try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("bank_accounts"))\" ORDER BY seq").map { row in
      let open = (row["closed_reason"] as String?) == nil
      defer { if open { defaultTaken = true } }
      return BankAccountRow(
        id: row["id"], name: row["name"], bankName: row["bank_name"], branchName: row["branch_name"], bankCode: row["bank_code"],
        branchCode: row["branch_code"], accountType: row["account_type"], accountNumber: row["account_number"], accountName: row["account_name"],
        requesterCode: row["requester_code"], open: open, isDefault: open && !defaultTaken)
    }
  }

  /// The lender of each borrowing's entries (its drawdown, repayments, accruals, interest payments).
  public static func lenders(in db: Database, _ set: TableSet) throws -> [EntryID: InstitutionID] {
    var lenders: [EntryID: InstitutionID] = [:]
    let sql = """
      SELECT e.id AS entry, b.lender AS lender FROM "\(set.table("entries"))" e JOIN "\(set.table("borrowings"))" b ON e.stream = 'borrowing-' || b.id
      """
    for row in try Row.fetchAll(db, sql: sql) { lenders[try EntryID(row["entry"] as String)] = try InstitutionID(row["lender"] as String) }
    return lenders
  }

  /// The names the chart's accounts are shown with.
  public static func accountNames(in db: Database, _ set: TableSet) throws -> AccountNames {
    var names = AccountNames()
    for row in try Row.fetchAll(db, sql: "SELECT id, name FROM \"\(set.table("institutions"))\"") {
      names.institutions[try InstitutionID(row["id"] as String)] = row["name"]
    }
    for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("bank_accounts"))\"") {
      let id = try BankAccountID(row["id"] as String)
      names.bankAccounts[id] = AccountNames.Bank(
        bankName: row["bank_name"], branchName: row["branch_name"], accountType: BankAccountType(rawValue: row["account_type"]) ?? .ordinary,
        accountNumber: row["account_number"])
    }
    return names
  }

  /// The borrowings, by value date.
  public static func borrowings(in db: Database, _ set: TableSet) throws -> [BorrowingRow] {
    try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table("borrowings"))\" ORDER BY value_date, id").map { row in
      BorrowingRow(
        id: row["id"], lender: row["lender"], lenderName: row["lender_name"], amountYen: Yen(row["amount"] as Int64), ratePercent: row["rate"],
        dayCount: row["day_count"], yearBasis: row["year_basis"], valueDate: try LocalDate(iso8601: row["value_date"]),
        maturity: try LocalDate(iso8601: row["maturity"]))
    }
  }

  /// The stream holding entry `id` (its borrowing, deposit or manual entry), if entered.
  public static func stream(ofEntry id: String, in db: Database, _ set: TableSet) throws -> StreamName? {
    try String.fetchOne(db, sql: "SELECT stream FROM \"\(set.table("entries"))\" WHERE id = ?", arguments: [id]).map { try StreamName($0) }
  }

  /// Entries awaiting approval dated `from … through`, oldest first.
  public static func pending(from: LocalDate, through: LocalDate, in db: Database, _ set: TableSet) throws -> [EntryID] {
    try String.fetchAll(
      db, sql: "SELECT id FROM \"\(set.table("entries"))\" WHERE status = 'pending' AND value_date >= ? AND value_date <= ? ORDER BY seq",
      arguments: [from.description, through.description]
    ).map { try EntryID($0) }
  }

  /// The journal: entries of `status` (all when nil), in the order entered.
  public static func entries(status: String?, limit: Int = 500, in db: Database, _ set: TableSet) throws -> [EntryRow] {
    var sql = "SELECT * FROM \"\(set.table("entries"))\""
    var arguments: StatementArguments = []
    if let status {
      sql += " WHERE status = ?"
      arguments += [status]
    }
    sql += " ORDER BY seq LIMIT ?"
    arguments += [limit]
    return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
      EntryRow(
        id: row["id"], stream: row["stream"], valueDate: try LocalDate(iso8601: row["value_date"]), purpose: row["purpose"], status: row["status"],
        memo: row["memo"], amountYen: Yen(row["amount"] as Int64), maker: row["maker"], checker: row["checker"], reverses: row["reverses"],
        reason: row["reason"])
    }
  }

  /// The books as the read model has them: every entry and its approval or rejection, in the
  /// order entered, folded by the context.
  public static func books(in db: Database, _ set: TableSet) throws -> Books {
    let decoder = JSONDecoder()
    var books = Books()
    for row in try Row.fetchAll(db, sql: "SELECT id, status, checker, reason, decided_at, data FROM \"\(set.table("entries"))\" ORDER BY seq") {
      let entered = try decoder.decode(Journal.Entered.self, from: Data((row["data"] as String).utf8))
      books.apply(.entered(entered))
      guard let checker = (row["checker"] as String?).map({ try? UserID($0) }) ?? nil, let decided = row["decided_at"] as String? else { continue }
      let at = try decoder.decode(Timestamp.self, from: Data(decided.utf8))
      switch row["status"] as String {
      case "approved": books.apply(.approved(Journal.Approved(entry: entered.entry, by: checker, at: at)))
      case "rejected": books.apply(.rejected(Journal.Rejected(entry: entered.entry, reason: row["reason"] ?? "", by: checker, at: at)))
      default: break
      }
    }
    return books
  }
}
