public import Foundation
import JapaneseCalendar
import SharedKernel

/// A bank statement as CSV, for banks and services that give no 全銀 file: one line per
/// movement, each carrying its account, read into the same ``Statement`` as a 全銀 file.
///
/// The file is UTF-8 (with or without a byte-order mark) or Shift_JIS (CP932, as Excel in Japan
/// saves CSV), RFC 4180 (a field in double quotes when it holds a comma, a quote — doubled — or
/// a line break), lines ending in CRLF or LF. The first line is the header; columns may come in
/// any order, names compared without case; a column not listed here is refused (so a misspelt
/// optional column is not silently ignored):
///
/// | column | required | holds |
/// |---|---|---|
/// | `bankCode` | yes | 銀行コード, 4 digits |
/// | `branchCode` | yes | 支店コード, 3 digits |
/// | `depositType` | yes | `ordinary`, `current`, `savings`, `notice`, `time`, `installment-time`, or the 全銀 code (1, 2, 4, 5, 6, 7) |
/// | `accountNumber` | yes | 口座番号, 1–10 digits, kept as written |
/// | `postingDate` | yes | 勘定日: `2024-04-01`, `2024/4/1`, `令和6年4月1日`, `R6.4.1` |
/// | `valueDate` | no | 起算日, as `postingDate`; empty means the posting date |
/// | `direction` | yes | `in` or `out` (also 入金, 出金) |
/// | `amountYen` | yes | 取引金額: whole yen, digits only |
/// | `balanceYen` | yes | the balance after the line, whole yen, `-` when overdrawn |
/// | `counterparty`, `summary` | no | 振込依頼人名, 摘要 |
/// | `inquiryNumber` | no | 照会番号, digits, kept as written |
/// | `bankName`, `branchName`, `accountName` | no | names (the account's first line gives them) |
///
/// ```
/// bankCode,branchCode,depositType,accountNumber,postingDate,direction,amountYen,balanceYen,counterparty,summary
/// 0138,001,ordinary,0001234567,2024-04-01,in,1000000,6000000,ｶ)ﾃｽﾄｼｮｳｼﾞ,ﾌﾘｺﾐ
/// 0138,001,ordinary,0001234567,2024-04-02,out,330,5999670,,ﾃｽｳﾘｮｳ
/// ```
///
/// Accounts are in the order they first appear. Every balance must be the previous line's of the
/// same account plus or minus the line's amount; the first line's gives the opening balance (its
/// balance minus its own movement), the last the closing balance; the period runs from the
/// earliest to the latest posting date. Text is read as ``JIS8/readable(_:)`` reads 全銀 names
/// (half-width katakana to full-width by NFKC) and trimmed.
public enum StatementCSV {
  /// The columns, in the order the table above lists them.
  public static let columns = [
    "bankCode", "branchCode", "depositType", "accountNumber", "postingDate", "valueDate", "direction", "amountYen", "balanceYen",
    "counterparty", "summary", "inquiryNumber", "bankName", "branchName", "accountName",
  ]
  static let required: Set = ["bankCode", "branchCode", "depositType", "accountNumber", "postingDate", "direction", "amountYen", "balanceYen"]

  /// The statement in `data`, or the first thing wrong with it.
  public static func parse(_ data: Data) throws(BankFileError) -> Statement {
    let (text, encoding) = try decode(data)
    var records = try records(in: text).filter { !$0.isBlank }
    guard !records.isEmpty else { throw .emptyFile }
    let header = records.removeFirst()
    var index: [String: Int] = [:]
    for (position, name) in header.fields.enumerated() {
      let trimmed = name.trimmingCharacters(in: .whitespaces)
      guard let column = columns.first(where: { $0.lowercased() == trimmed.lowercased() }) else {
        throw .csvUnknownColumn(column: position + 1, found: trimmed, known: columns)
      }
      guard index[column] == nil else { throw .csvDuplicateColumn(column) }
      index[column] = position
    }
    let missing = columns.filter { required.contains($0) && index[$0] == nil }
    guard missing.isEmpty else { throw .csvMissingColumns(missing) }
    guard !records.isEmpty else { throw .csvNoRows }

    struct Key: Hashable { var bank: String, branch: String, type: DepositType, number: String }
    var order: [Key] = []
    var accounts: [Key: AccountStatement] = [:]
    for record in records {
      guard record.fields.count == header.fields.count else {
        throw .csvFieldCount(line: record.line, found: record.fields.count, expected: header.fields.count)
      }
      let row = Row(record: record, index: index)
      let key = Key(
        bank: try row.digits("bankCode", count: 4...4), branch: try row.digits("branchCode", count: 3...3), type: try row.depositType(),
        number: try row.digits("accountNumber", count: 1...10))
      let posting = try row.date("postingDate")
      let line = StatementLine(
        inquiryNumber: try row.optionalDigits("inquiryNumber") ?? "", postingDate: posting, valueDate: try row.optionalDate("valueDate") ?? posting,
        direction: try row.direction(), amount: try row.amount("amountYen", signed: false), counterparty: row.text("counterparty"),
        summary: row.text("summary"))
      let balance = try row.amount("balanceYen", signed: true)
      do {
        let movement = line.direction == .in ? line.amount : try line.amount.negated()
        if var account = accounts[key] {
          let expected = try account.closingBalance.adding(movement)
          guard balance == expected else {
            throw BankFileError.csvBalanceMismatch(line: record.line, column: "balanceYen", found: balance, expected: expected)
          }
          account.closingBalance = balance
          account.periodFrom = min(account.periodFrom, posting)
          account.periodTo = max(account.periodTo, posting)
          account.lines.append(line)
          accounts[key] = account
        } else {
          order.append(key)
          accounts[key] = AccountStatement(
            bankCode: key.bank, bankName: row.text("bankName"), branchCode: key.branch, branchName: row.text("branchName"),
            depositType: key.type, accountNumber: key.number, accountName: row.text("accountName"), periodFrom: posting, periodTo: posting,
            openingBalance: try balance.subtracting(movement), closingBalance: balance, lines: [line])
        }
      } catch let error as BankFileError {
        throw error
      } catch {
        throw .csvInvalidValue(line: record.line, column: "balanceYen", found: balance.amount.description, expected: "金額が大きすぎます")
      }
    }
    return Statement(accounts: order.compactMap { accounts[$0] }, encoding: encoding)
  }

  /// `statement` as CSV: the inverse of ``parse(_:)``, as Excel in Japan opens it (UTF-8 with a
  /// byte-order mark, CRLF, RFC 4180 quoting by ``CSVText``).
  ///
  /// The header is every column in ``columns`` order; then one row per line, account by account,
  /// each row carrying its account's codes and names; dates ISO (`2024-04-01`), `valueDate` always
  /// given, `direction` `in` or `out`, `depositType` by name, amounts in whole yen, `balanceYen`
  /// the running balance from the opening balance (`-` when overdrawn), names as given
  /// (full-width is fine: the reader reads both).
  ///
  /// So `parse(write(s))` is `s` for any `s` ``parse`` can return (encoding UTF-8). A statement
  /// from elsewhere (a 全銀 file) loses what CSV has no column for: 作成日, the period beyond the
  /// posting dates (it reads back as the first to the last posting date), 取引区分, うち他店券金額,
  /// 振込依頼人コード, 仕向銀行名・店名, EDI情報 and time-deposit terms; an account without lines has
  /// no row and disappears; a stated closing balance is replaced by the running one; names come
  /// back as NFKC reads them (half-width kana full-width, trimmed). The writer checks nothing:
  /// what ``parse`` refuses (a bank code of 3 digits, a negative amount) is written as it is, and
  /// refused when read.
  public static func write(_ statement: Statement) -> Data {
    var rows = [columns]
    for account in statement.accounts {
      // Int128: a running balance cannot overflow here, whatever the statement holds.
      var balance = Int128(account.openingBalance.amount)
      for line in account.lines {
        balance += line.direction == .in ? Int128(line.amount.amount) : -Int128(line.amount.amount)
        let values: [String: String] = [
          "bankCode": account.bankCode, "branchCode": account.branchCode, "depositType": account.depositType.rawValue,
          "accountNumber": account.accountNumber, "postingDate": line.postingDate.description, "valueDate": line.valueDate.description,
          "direction": line.direction.rawValue, "amountYen": String(line.amount.amount), "balanceYen": String(balance),
          "counterparty": line.counterparty, "summary": line.summary, "inquiryNumber": line.inquiryNumber, "bankName": account.bankName,
          "branchName": account.branchName, "accountName": account.accountName,
        ]
        rows.append(columns.map { values[$0] ?? "" })
      }
    }
    return CSVText.render(rows)
  }

  /// The text of `data`: UTF-8 when it has a BOM or is valid UTF-8, else Shift_JIS (CP932).
  ///
  /// Foundation on Linux reads `.shiftJIS` as CP932 and fails on bytes that are not CP932 rather
  /// than guess. CP932 Japanese is practically never valid UTF-8 (its lead bytes 0x81–0x9F are
  /// UTF-8 continuation bytes), so trying UTF-8 first does not misread it.
  static func decode(_ data: Data) throws(BankFileError) -> (String, TextEncoding) {
    do { return try CSVText.decode(data) } catch { throw error.bankFile }
  }

  /// One data row, its fields found by column.
  private struct Row {
    let record: CSVRecord
    let index: [String: Int]

    /// The field of `column`, NFKC then NFC as ``JIS8/readable(_:)`` (full-width digits and
    /// half-width kana alike) and trimmed; empty when the column is absent.
    func text(_ column: String) -> String {
      guard let position = index[column], position < record.fields.count else { return "" }
      return record.fields[position].precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
        .trimmingCharacters(in: .whitespaces)
    }

    func invalid(_ column: String, _ expected: String) -> BankFileError {
      .csvInvalidValue(line: record.line, column: column, found: text(column), expected: expected)
    }

    func digits(_ column: String, count: ClosedRange<Int>) throws(BankFileError) -> String {
      let value = text(column)
      let expected = count.count == 1 ? "数字\(count.lowerBound)桁" : "数字\(count.lowerBound)〜\(count.upperBound)桁"
      guard count.contains(value.utf8.count), value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { throw invalid(column, expected) }
      return value
    }

    func optionalDigits(_ column: String) throws(BankFileError) -> String? {
      let value = text(column)
      if value.isEmpty { return nil }
      guard value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { throw invalid(column, "数字") }
      return value
    }

    func depositType() throws(BankFileError) -> DepositType {
      let value = text("depositType")
      if let type = DepositType(rawValue: value.lowercased()), type != .other { return type }
      if value.count == 1, let code = value.first, let type = DepositType(zenginCode: code), type != .other { return type }
      throw invalid("depositType", "ordinary, current, savings, notice, time, installment-time、または 1, 2, 4, 5, 6, 7")
    }

    func direction() throws(BankFileError) -> Direction {
      switch text("direction").lowercased() {
      case "in", "入金": return .in
      case "out", "出金": return .out
      default: throw invalid("direction", "in か out（入金 か 出金）")
      }
    }

    func amount(_ column: String, signed: Bool) throws(BankFileError) -> Yen {
      let value = text(column)
      let negative = signed && value.hasPrefix("-")
      let digits = negative ? String(value.dropFirst()) : value
      let expected = signed ? "円単位の整数（マイナスは -）" : "円単位の整数（数字だけ）"
      guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let magnitude = Int64(digits) else {
        throw invalid(column, expected)
      }
      return Yen(negative ? -magnitude : magnitude)
    }

    func date(_ column: String) throws(BankFileError) -> LocalDate {
      guard let date = try optionalDate(column) else { throw invalid(column, "日付（2024-04-01、2024/4/1、令和6年4月1日）") }
      return date
    }

    func optionalDate(_ column: String) throws(BankFileError) -> LocalDate? {
      let value = text(column)
      if value.isEmpty { return nil }
      do {
        return try LocalDate(typed: value)
      } catch {
        throw invalid(column, error.description)
      }
    }
  }
}

extension CSVReadError {
  var bankFile: BankFileError {
    switch self {
    case .unreadable(let reason): .unreadableText(reason: reason)
    case .syntax(let line, let reason): .csvSyntax(line: line, reason: reason)
    }
  }
}

extension StatementCSV {
  static func records(in text: String) throws(BankFileError) -> [CSVRecord] {
    do { return try CSVText.records(in: text) } catch { throw error.bankFile }
  }
}
