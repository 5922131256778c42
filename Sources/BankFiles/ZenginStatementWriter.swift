import JapaneseCalendar
public import SharedKernel

extension ZenginStatement {
  /// The largest 取引金額 or うち他店券金額 (12 digits).
  public static let maximumAmount: Int64 = 999_999_999_999
  /// The largest 入金額合計 or 出金額合計 (13 digits).
  public static let maximumTotal: Int64 = 9_999_999_999_999
  /// The largest balance either side of zero (取引前残高, 取引後残高: 14 digits, the sign in 貸越区分).
  public static let maximumBalance: Int64 = 99_999_999_999_999
  /// The most 入金 lines, and the most 出金 lines, of one account (入金件数, 出金件数: 6 digits).
  public static let maximumLines = 999_999
  /// The most accounts in one file (口座数: 5 digits).
  public static let maximumAccounts = 99_999
  /// The most records in one file (レコード総件数: 10 digits).
  public static let maximumRecords = 9_999_999_999

  /// The 入出金取引明細 file of `statement`: the inverse of ``parse(_:importedOn:)``, or the first
  /// thing in the statement the file cannot carry.
  ///
  /// One header … trailer group per account, in order, then the end record; records follow each
  /// other with nothing between (`.none`, 「改行なし」) or with CRLF after each (`.crlf`). What the
  /// writer chooses where the layout leaves a choice:
  /// - 作成日 is `createdOn` in every header (the accounts' own ``AccountStatement/createdOn`` is
  ///   not used: one file, one day); every date is 和暦 YYMMDD in the era of the date itself, and
  ///   is refused unless the reader, resolving the era from 作成日 (``WarekiDigits``), gets the same
  ///   day back — so a date more than a year after 作成日, or more than one era before it, or one
  ///   that would read as the same YYMMDD thirty years on, is refused rather than misread;
  /// - N fields the statement does not hold (交換呈示日, 手形・小切手, 僚店番号, 通帳・証書区分) and
  ///   absent optional ones (取引区分, うち他店券金額, 振込依頼人コード) are zeros; 預入・払出日 is
  ///   always written; 貸越区分 is 1 or 2 (never absent), and 取引後残高 is always given;
  /// - レコード総件数 counts the end record itself (as Diva.Zengin writes it);
  /// - names and summaries are written half-width by the inverse of ``JIS8/readable(_:)``: ガ → ｶﾞ,
  ///   ー → ｰ, and small kana large (ショウジ → ｼﾖｳｼﾞ), as 付録1 says; the 付録1 character sets
  ///   themselves are not applied (they govern what is sent to a bank; a bank's statement holds
  ///   any JIS8: lower case, `/`, ｦ).
  ///
  /// So `parse(write(s, createdOn: d), importedOn:)` is `s` with its framing set and every
  /// account's 作成日 `d`, for any `s` ``parse`` can return from a file of 普通・当座・貯蓄 accounts
  /// (with `importedOn` on or shortly after `d`: the reader resolves 作成日's era from it), except
  /// three normalisations the file cannot avoid: small kana come back large; an 口座番号, 照会番号 or 振込依頼人コード with fewer digits
  /// comes back zero-filled (an empty 照会番号 as `00000000`); and values the reader reports as
  /// absent come back nil (うち他店券金額 0, 振込依頼人コード of zeros, empty names).
  ///
  /// Refused: a statement without accounts; accounts of 預金種目 通知・定期・積立定期 (their data
  /// record is the time-deposit layout, which the model holds only part of — 期間, 中間払, 期後,
  /// 税区分 would be written as zeros no bank sends — and whose positions are less well attested)
  /// and その他; time-deposit terms on a line; a reversed period; a closing balance the lines do
  /// not add up to; text no JIS8 byte holds or too long for its field; codes of the wrong number
  /// of digits; amounts, totals, balances and counts that overflow their fields. Each error names
  /// the account, the line and the field (``StatementLocation``).
  public static func write(_ statement: Statement, createdOn: LocalDate, separator: RecordSeparator = .none) throws(BankFileError) -> [UInt8] {
    typealias E = Layout.End
    guard !statement.accounts.isEmpty else { throw .noAccounts }
    guard statement.accounts.count <= maximumAccounts else {
      throw .countNotWritable(at: .file, field: E.accountCount, found: statement.accounts.count, maximum: maximumAccounts)
    }
    let created = FieldWriter(at: .file, createdOn: createdOn, record: 1)
    let createdOnDigits = try created.digits(of: createdOn, Layout.Header.createdOn, checked: false)

    var records: [[UInt8]] = []
    for (offset, account) in statement.accounts.enumerated() {
      let place = StatementLocation(account: offset + 1, accountNumber: account.accountNumber)
      records += try group(account, at: place, createdOn: createdOn, createdOnDigits: createdOnDigits, firstRecord: records.count + 1)
    }

    let total = records.count + 1
    guard total <= maximumRecords else { throw .countNotWritable(at: .file, field: E.recordTotal, found: total, maximum: maximumRecords) }
    var end = RecordWriter(record: total, length: recordLength)
    end.put("9", E.kind)
    end.put(String(total), E.recordTotal)
    end.put(String(statement.accounts.count), E.accountCount)
    records.append(end.bytes)

    let separatorBytes: [UInt8] = separator == .crlf ? [FixedWidthRecords.cr, FixedWidthRecords.lf] : []
    return records.flatMap { $0 + separatorBytes }
  }

  /// One account's header, data records and trailer.
  private static func group(
    _ account: AccountStatement, at place: StatementLocation, createdOn: LocalDate, createdOnDigits: String, firstRecord: Int
  ) throws(BankFileError) -> [[UInt8]] {
    typealias H = Layout.Header
    typealias T = Layout.Trailer
    guard Layout.depositTypes.contains(where: { $0.value == account.depositType }), !account.depositType.hasTimeDepositRecords else {
      throw .depositTypeNotWritable(at: place, depositType: account.depositType)
    }
    guard account.periodFrom <= account.periodTo else { throw .periodNotWritable(at: place, from: account.periodFrom, to: account.periodTo) }
    // Counted before any line is written, so that a million lines are refused at once.
    let inCount = account.lines.count(where: { $0.direction == .in })
    let outCount = account.lines.count - inCount
    for (count, field) in [(inCount, T.inCount), (outCount, T.outCount)] where count > maximumLines {
      throw .countNotWritable(at: place, field: field, found: count, maximum: maximumLines)
    }

    var header = FieldWriter(at: place, createdOn: createdOn, record: firstRecord)
    header.put("1", H.kind)
    header.put("03", H.fileKind)
    header.put("0", H.codeKind)
    header.put(createdOnDigits, H.createdOn)
    try header.date(account.periodFrom, H.periodFrom)
    try header.date(account.periodTo, H.periodTo)
    try header.code(account.bankCode, H.bankCode)
    try header.text(account.bankName, H.bankName)
    try header.code(account.branchCode, H.branchCode)
    try header.text(account.branchName, H.branchName)
    header.put("000", H.reserved)
    header.put(String(account.depositType.zenginCode), H.depositType)
    try header.number(account.accountNumber, H.accountNumber, required: true)
    try header.text(account.accountName, H.accountName)
    try header.balance(account.openingBalance, sign: H.overdraft, amount: H.openingBalance)
    header.put("0", H.passbook)
    var records = [header.record.bytes]

    // Each amount is at most 12 digits and each count at most 6, so these sums stay far inside Int64.
    var paidIn: Int64 = 0
    var paidOut: Int64 = 0
    for (offset, line) in account.lines.enumerated() {
      let linePlace = StatementLocation(account: place.account, accountNumber: place.accountNumber, line: offset + 1)
      records.append(try dataRecord(line, at: linePlace, createdOn: createdOn, record: firstRecord + records.count))
      if line.direction == .in { paidIn += line.amount.amount } else { paidOut += line.amount.amount }
    }
    for (total, field) in [(paidIn, T.inTotal), (paidOut, T.outTotal)] where total > maximumTotal {
      throw .amountNotWritable(at: place, field: field, found: Yen(total), allowed: 0...maximumTotal)
    }
    // The opening balance has at most 14 digits: no overflow either.
    let closing = Yen(account.openingBalance.amount + paidIn - paidOut)
    guard closing == account.closingBalance else {
      throw .closingBalanceNotWritable(
        at: place, found: account.closingBalance, expected: closing, opening: account.openingBalance, paidIn: Yen(paidIn),
        paidOut: Yen(paidOut))
    }

    var trailer = FieldWriter(at: place, createdOn: createdOn, record: firstRecord + records.count)
    trailer.put("8", T.kind)
    trailer.put(String(inCount), T.inCount)
    trailer.put(String(paidIn), T.inTotal)
    trailer.put(String(outCount), T.outCount)
    trailer.put(String(paidOut), T.outTotal)
    try trailer.balance(closing, sign: T.overdraft, amount: T.closingBalance)
    trailer.put(String(account.lines.count), T.dataCount)
    records.append(trailer.record.bytes)
    return records
  }

  /// The data record (普通・当座・貯蓄) of `line`.
  private static func dataRecord(_ line: StatementLine, at place: StatementLocation, createdOn: LocalDate, record: Int) throws(BankFileError)
    -> [UInt8]
  {
    typealias D = Layout.LiquidData
    guard line.timeDeposit == nil else { throw .timeDepositTermsNotWritable(at: place) }
    var data = FieldWriter(at: place, createdOn: createdOn, record: record)
    data.put("2", D.kind)
    try data.number(line.inquiryNumber, D.inquiryNumber, required: false)
    try data.date(line.postingDate, D.postingDate)
    try data.date(line.valueDate, D.valueDate)
    data.put(line.direction == .in ? "1" : "2", D.direction)
    data.put(line.transactionKind?.zenginCode ?? "00", D.transactionKind)
    try data.amount(line.amount, D.amount)
    try data.amount(line.otherBankCheques ?? .zero, D.otherBankCheques)
    for field in [D.exchangeDate, D.dishonourDate, D.billKind, D.billNumber, D.relatedBranch] { data.put("", field) }
    try data.number(line.remitterCode ?? "", D.remitterCode, required: false)
    try data.text(line.counterparty, D.counterparty)
    try data.text(line.originBankName ?? "", D.originBankName)
    try data.text(line.originBranchName ?? "", D.originBranchName)
    try data.text(line.summary, D.summary)
    try data.text(line.edi ?? "", D.edi)
    return data.record.bytes
  }

  /// Writes the fields of one record from a statement's values, refusing what the field cannot
  /// hold with an error naming the account, the line and the field.
  private struct FieldWriter {
    let place: StatementLocation
    let createdOn: LocalDate
    var record: RecordWriter

    init(at place: StatementLocation, createdOn: LocalDate, record number: Int) {
      self.place = place
      self.createdOn = createdOn
      self.record = RecordWriter(record: number, length: recordLength)
    }

    /// ASCII the writer made itself (codes, counts it checked): padded by the field's attribute.
    mutating func put(_ value: String, _ field: RecordField) { record.put(value, field) }

    private static func isDigits(_ value: String) -> Bool { value.utf8.allSatisfy { (0x30...0x39).contains($0) } }

    /// A code of exactly the field's number of digits (銀行コード, 支店コード).
    mutating func code(_ value: String, _ field: RecordField) throws(BankFileError) {
      guard value.utf8.count == field.length, Self.isDigits(value) else {
        throw .digitsNotWritable(at: place, field: field, found: value, expected: "数字\(field.length)桁（前の0も含めて）")
      }
      put(value, field)
    }

    /// Digits up to the field's length, zero-filled on the left; empty (when not `required`) is all zeros.
    mutating func number(_ value: String, _ field: RecordField, required: Bool) throws(BankFileError) {
      guard value.utf8.count <= field.length, !(required && value.isEmpty), Self.isDigits(value) else {
        let lengths = required ? "1〜\(field.length)桁" : "\(field.length)桁まで"
        throw .digitsNotWritable(at: place, field: field, found: value, expected: "数字\(lengths)（足りない桁は前を0で埋めます）")
      }
      put(value, field)
    }

    /// Text in half-width JIS8 (``JIS8/encode(readable:)``), at most the field's length in bytes.
    mutating func text(_ value: String, _ field: RecordField) throws(BankFileError) {
      let bytes: [UInt8]
      switch JIS8.encode(readable: value) {
      case .success(let encoded): bytes = encoded
      case .failure(let unwritable):
        throw .characterNotWritable(at: place, field: field, text: value, character: unwritable.character, position: unwritable.position)
      }
      guard bytes.count <= field.length else { throw .textTooLongToWrite(at: place, field: field, text: value, length: bytes.count) }
      record.put(bytes: bytes, field)
    }

    /// An amount of 0 up to ``ZenginStatement/maximumAmount``.
    mutating func amount(_ value: Yen, _ field: RecordField) throws(BankFileError) {
      guard (0...maximumAmount).contains(value.amount) else {
        throw .amountNotWritable(at: place, field: field, found: value, allowed: 0...maximumAmount)
      }
      put(String(value.amount), field)
    }

    /// A balance: 貸越区分 1 (plus or zero) or 2 (minus, 貸越) and the magnitude.
    mutating func balance(_ value: Yen, sign: RecordField, amount: RecordField) throws(BankFileError) {
      guard (-maximumBalance...maximumBalance).contains(value.amount) else {
        throw .amountNotWritable(at: place, field: amount, found: value, allowed: -maximumBalance...maximumBalance)
      }
      put(value.amount < 0 ? "2" : "1", sign)
      put(String(value.amount.magnitude), amount)
    }

    /// A date read back from 作成日.
    mutating func date(_ date: LocalDate, _ field: RecordField) throws(BankFileError) {
      put(try digits(of: date, field, checked: true), field)
    }

    /// YYMMDD of `date` in its own era; when `checked`, only if the era rule reads it back from 作成日.
    func digits(of date: LocalDate, _ field: RecordField, checked: Bool) throws(BankFileError) -> String {
      let wareki = date.wareki
      guard wareki.year <= 99 else { throw .dateNotWritable(at: place, field: field, date: date, reference: createdOn, readsAs: nil) }
      if checked {
        switch WarekiDigits.resolve(year: wareki.year, month: wareki.month, day: wareki.day, reference: createdOn) {
        case .date(let read) where read == date: break
        case .date(let read): throw .dateNotWritable(at: place, field: field, date: date, reference: createdOn, readsAs: read)
        case .impossible, .tooFarAhead: throw .dateNotWritable(at: place, field: field, date: date, reference: createdOn, readsAs: nil)
        }
      }
      func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
      return two(wareki.year) + two(wareki.month) + two(wareki.day)
    }
  }
}
