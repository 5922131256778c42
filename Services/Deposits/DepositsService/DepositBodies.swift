import DepositLedger
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// Yen as sent: 1 … ¥1 trillion (the scheme moves ¥76 billion a year; a single posting of more is a typing error).
let yenSchema = Schema.integer(minimum: 1, maximum: 1_000_000_000_000)
let rateSchema = Schema.string(pattern: "^[0-9]{1,3}(\\.[0-9]{1,6})?$", maxLength: 10, description: "A percent with up to 6 decimal places: 0.125")
let dateSchema = Schema.string(maxLength: 40, description: "ISO 2023-03-31 or 和暦 令和5年3月31日")

/// An interest rate as typed: a refusal names the field.
func rate(_ text: String, field: String) throws -> InterestRate {
  do { return try InterestRate(percent: text) } catch {
    var problem = error.problem
    problem.field = field
    throw problem
  }
}

/// 金融機関の登録.
struct InstitutionBody: DocumentedBody, Sendable {
  var name: String
  var bankCode: String
  var branchCode: String
  var accountType: BankAccountType
  var accountNumber: String
  var accountName: String
  var roles: [InstitutionRole]

  func command(id: InstitutionID) throws -> RegisterInstitution {
    RegisterInstitution(
      id: id, name: name, bankCode: bankCode, branchCode: branchCode, accountType: accountType, accountNumber: accountNumber, accountName: accountName,
      roles: roles)
  }

  static let schema = Schema.object(
    [
      "name": .string(maxLength: 60), "bankCode": .string(maxLength: 8), "branchCode": .string(maxLength: 8),
      "accountType": .string(values: BankAccountType.allCases.map(\.rawValue)), "accountNumber": .string(maxLength: 10),
      "accountName": .string(maxLength: 60), "roles": .array(.string(values: InstitutionRole.allCases.map(\.rawValue)), maxItems: 2),
    ], required: ["name", "bankCode", "branchCode", "accountType", "accountNumber", "accountName", "roles"])
}

/// A bank account named in a request; nil when none was given (the decider then takes the
/// register's default). A name that cannot be an id is refused here; whether it is in the
/// register is the decider's to say.
func bankAccountID(_ text: String?) throws -> BankAccountID? {
  guard let text else { return nil }
  do { return try BankAccountID(text) } catch { throw Problem(.validationFailed, "口座 \(text) は財団の口座として登録されていません", field: "bankAccount") }
}

let bankAccountSchema = Schema.string(maxLength: 64, description: "The foundation's bank account (GET /api/bank-accounts); the default account when absent")

/// 財団の口座の登録 (treasury manager).
struct BankAccountBody: DocumentedBody, Sendable {
  var id: String
  var name: String
  var bankName: String
  var branchName: String
  var bankCode: String
  var branchCode: String
  var accountType: BankAccountType
  var accountNumber: String
  var accountName: String
  var requesterCode: String?

  func command() throws -> OpenBankAccount {
    let account: BankAccountID
    do { account = try BankAccountID(id) } catch {
      throw Problem(.validationFailed, "口座の識別子は英小文字・数字・ハイフンで入力してください（例: main、yokohama-current）", field: "id")
    }
    return OpenBankAccount(
      id: account, name: name, bankName: bankName, branchName: branchName, bankCode: bankCode, branchCode: branchCode, accountType: accountType,
      accountNumber: accountNumber, accountName: accountName, requesterCode: requesterCode)
  }

  static let schema = Schema.object(
    [
      "id": .string(pattern: "^[a-z0-9][a-z0-9-]{0,62}$", maxLength: 63), "name": .string(maxLength: 100), "bankName": .string(maxLength: 60),
      "branchName": .string(maxLength: 60), "bankCode": .string(maxLength: 8), "branchCode": .string(maxLength: 8),
      "accountType": .string(values: BankAccountType.allCases.map(\.rawValue)), "accountNumber": .string(maxLength: 10),
      "accountName": .string(maxLength: 60), "requesterCode": .string(maxLength: 12, description: "振込依頼人コード (10 digits) for 総合振込 files"),
    ], required: ["id", "name", "bankName", "branchName", "bankCode", "branchCode", "accountType", "accountNumber", "accountName"])
}

/// The interest calculator's question.
struct QuoteBody: DocumentedBody, Sendable {
  var principalYen: Int64
  var ratePercent: String
  var from: DateInput
  var to: DateInput
  var dayCount: DayCount?
  var yearBasis: YearBasis?
  var accrualUnitYen: Int64?

  static func read(_ request: Request, context: KIPRequestContext) async throws -> QuoteBody {
    let (_, data) = try await JSONInput.decode(QuoteBody.self, from: request)
    return try JSONInput.decode(QuoteBody.self, from: data)
  }

  func quote() throws -> QuoteAnswer {
    let quote = try Interest.quote(
      principal: Yen(principalYen), rate: try rate(ratePercent, field: "ratePercent"), from: from.date, to: to.date,
      dayCount: dayCount ?? .katahashi, yearBasis: yearBasis ?? .fixed365, accrualUnit: Yen(accrualUnitYen ?? 1))
    return QuoteAnswer(days: quote.days, interestYen: quote.interest, product: String(quote.product))
  }

  static let schema = Schema.object(
    [
      "principalYen": yenSchema, "ratePercent": rateSchema, "from": dateSchema, "to": dateSchema,
      "dayCount": .string(values: DayCount.allCases.map(\.rawValue)), "yearBasis": .string(values: YearBasis.allCases.map(\.rawValue)),
      "accrualUnitYen": .integer(minimum: 1, maximum: 1_000_000),
    ], required: ["principalYen", "ratePercent", "from", "to"])
}

/// 借入: a drawdown with its terms.
struct BorrowingBody: DocumentedBody, Sendable {
  var lender: String
  var amountYen: Int64
  var ratePercent: String
  var dayCount: DayCount?
  var yearBasis: YearBasis?
  var accrualUnitYen: Int64?
  var valueDate: DateInput
  /// 償還期日; or `termMonths` after the value date, rolled to the next business day when banks are closed on it.
  var maturity: DateInput?
  var termMonths: Int?
  var bankAccount: String?
  var memo: String?

  /// The maturity given, or computed from the term; one of the two is needed.
  func maturityDate() throws -> LocalDate {
    switch (maturity, termMonths) {
    case (let date?, nil): return date.date
    case (nil, let months?): return try ValueDates.maturity(of: valueDate.date, monthsAfter: months)
    case (nil, nil): throw Problem(.validationFailed, "償還期日（maturity）か期間（termMonths）を指定してください", field: "maturity")
    case (_?, _?): throw Problem(.validationFailed, "償還期日（maturity）と期間（termMonths）はどちらか一方を指定してください", field: "termMonths")
    }
  }

  func command(id: BorrowingID, entry: EntryID, key: String) throws -> DrawBorrowing {
    let lender: InstitutionID
    do { lender = try InstitutionID(self.lender) } catch { throw Problem(.validationFailed, "金融機関 \(self.lender) は登録されていません", field: "lender") }
    let terms = InterestTerms(
      rate: try rate(ratePercent, field: "ratePercent"), dayCount: dayCount ?? .katahashi, yearBasis: yearBasis ?? .fixed365,
      accrualUnit: Yen(accrualUnitYen ?? 1))
    return DrawBorrowing(
      id: id, entry: entry, lender: lender, amount: Yen(amountYen), terms: terms, valueDate: valueDate.date, maturity: try maturityDate(),
      bankAccount: try bankAccountID(self.bankAccount), memo: memo ?? "", idempotencyKey: key)
  }

  static let schema = Schema.object(
    [
      "bankAccount": bankAccountSchema, "lender": .string(maxLength: 128), "amountYen": yenSchema, "ratePercent": rateSchema,
      "dayCount": .string(values: DayCount.allCases.map(\.rawValue)), "yearBasis": .string(values: YearBasis.allCases.map(\.rawValue)),
      "accrualUnitYen": .integer(minimum: 1, maximum: 1_000_000), "valueDate": dateSchema, "maturity": dateSchema,
      "termMonths": .integer(minimum: 1, maximum: 360), "memo": .string(maxLength: 200),
    ], required: ["lender", "amountYen", "ratePercent", "valueDate"])
}

/// 預託: a deposit placed with a handling institution.
struct DepositBody: DocumentedBody, Sendable {
  var institution: String
  var amountYen: Int64
  var valueDate: DateInput
  var returnDate: DateInput
  var programme: String
  var bankAccount: String?
  var memo: String?

  func command(id: DepositID, entry: EntryID, key: String) throws -> PlaceDeposit {
    let institution: InstitutionID
    do { institution = try InstitutionID(self.institution) } catch {
      throw Problem(.validationFailed, "金融機関 \(self.institution) は登録されていません", field: "institution")
    }
    return PlaceDeposit(
      id: id, entry: entry, institution: institution, amount: Yen(amountYen), programme: programme, valueDate: valueDate.date,
      returnDate: returnDate.date, bankAccount: try bankAccountID(self.bankAccount), memo: memo ?? "", idempotencyKey: key)
  }

  static let schema = Schema.object(
    [
      "bankAccount": bankAccountSchema, "institution": .string(maxLength: 128), "amountYen": yenSchema, "valueDate": dateSchema, "returnDate": dateSchema,
      "programme": .string(maxLength: 100), "memo": .string(maxLength: 200),
    ], required: ["institution", "amountYen", "valueDate", "returnDate", "programme"])
}

/// A repayment, a deposit's return or an interest payment: all outstanding when no amount.
struct MovementBody: DocumentedBody, Sendable {
  var amountYen: Int64?
  var valueDate: DateInput
  /// The account the money moves through: the borrowing's or deposit's own when nil.
  var bankAccount: String?
  var memo: String?

  static let schema = Schema.object(
    [
      "amountYen": yenSchema, "valueDate": dateSchema, "memo": .string(maxLength: 200),
      "bankAccount": .string(maxLength: 64, description: "The foundation's bank account; the borrowing's or deposit's own when absent"),
    ], required: ["valueDate"])
}

/// 利息計上 through a day.
struct AccrualBody: DocumentedBody, Sendable {
  var through: DateInput
  var memo: String?

  static let schema = Schema.object(["through": dateSchema, "memo": .string(maxLength: 200)], required: ["through"])
}

/// 差戻し with its reason.
struct RejectionBody: DocumentedBody, Sendable {
  var reason: String

  static let schema = Schema.object(["reason": .string(maxLength: 200)], required: ["reason"])
}

/// 振替伝票 as typed: lines of account codes (`bank:main`, `own-funds`, `bank-charges`…).
struct ManualEntryBody: DocumentedBody, Sendable {
  struct LineBody: Decodable, Sendable {
    var account: String
    var side: JournalLine.Side
    var amountYen: Int64
  }
  var valueDate: DateInput
  var lines: [LineBody]
  var memo: String

  func entry(id: EntryID, key: String) throws -> NewEntry {
    let lines = try self.lines.enumerated().map { index, line in
      do { return JournalLine(account: try LedgerAccount(code: line.account), side: line.side, amount: Yen(line.amountYen)) } catch let error as DepositLedgerError {
        var problem = error.problem
        problem.field = "lines[\(index)].account"
        throw problem
      }
    }
    return NewEntry(id: id, valueDate: valueDate.date, lines: lines, memo: memo, idempotencyKey: key)
  }

  static let schema = Schema.object(
    [
      "valueDate": dateSchema, "memo": .string(maxLength: 200),
      "lines": .array(
        .object(
          ["account": .string(maxLength: 140), "side": .string(values: ["debit", "credit"]), "amountYen": yenSchema],
          required: ["account", "side", "amountYen"]), maxItems: 20),
    ], required: ["valueDate", "lines", "memo"])
}

/// 訂正: the reversing entry's value date (in an open period).
struct ReversalBody: DocumentedBody, Sendable {
  var valueDate: DateInput
  var memo: String?

  static let schema = Schema.object(["valueDate": dateSchema, "memo": .string(maxLength: 200)], required: ["valueDate"])
}

/// A month of the fiscal year (none: the whole year), and for a reopening its reason.
struct PeriodBody: DocumentedBody, Sendable {
  var month: String?
  var reason: String?

  func yearMonth() throws -> YearMonth? {
    guard let month else { return nil }
    do { return try YearMonth(iso8601: month) } catch { throw Problem(.validationFailed, "month は 2022-04 の形で入力してください", field: "month") }
  }

  static let schema = Schema.object(
    ["month": .string(pattern: "^[0-9]{4}-[0-9]{2}$", maxLength: 7), "reason": .string(maxLength: 500)])
}
