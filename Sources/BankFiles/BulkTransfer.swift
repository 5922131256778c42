public import SharedKernel

/// 総合振込: a request to the paying bank to make transfers from one account on one day, as the
/// treasury hands it over in a 全銀 file (種別コード 21, ``BulkTransferFile``).
///
/// Names are half-width katakana as banks print them (``ZenginKana``: `ｶ)ｶﾅｶﾞﾜｷﾞﾝｺｳ`), not the
/// full-width form statements are read into; the writer refuses anything else.
public struct BulkTransfer: Sendable, Hashable, Codable {
  /// 振込依頼人コード: the 10 digits the paying bank assigned the requester.
  public var requesterCode: String
  /// 振込依頼人名, up to 40 characters of ``ZenginKana/FieldKind/name``.
  public var requesterName: String
  /// 取組日: the day the transfers are to be made (the file holds only month and day).
  public var transferDate: LocalDate
  /// The paying (仕向) bank, branch and the requester's account.
  public var account: TransferAccount
  /// The transfers, one data record each, in this order.
  public var transfers: [Transfer]

  public init(requesterCode: String, requesterName: String, transferDate: LocalDate, account: TransferAccount, transfers: [Transfer]) {
    self.requesterCode = requesterCode
    self.requesterName = requesterName
    self.transferDate = transferDate
    self.account = account
    self.transfers = transfers
  }

  /// The sum of the transfers; throws instead of overflowing.
  public func total() throws(YenError) -> Yen { try transfers.map(\.amount).sum() }
}

/// A bank account as a transfer file names it: bank and branch by code and half-width name,
/// deposit type and 7-digit number.
public struct TransferAccount: Sendable, Hashable, Codable {
  /// 銀行番号: 4 digits.
  public var bankCode: String
  /// 銀行名, up to 15 characters of ``ZenginKana/FieldKind/bankOrBranchName`` (may be empty).
  public var bankName: String
  /// 支店番号: 3 digits.
  public var branchCode: String
  /// 支店名, up to 15 characters (may be empty).
  public var branchName: String
  /// 預金種目.
  public var type: DepositType
  /// 口座番号: 7 digits, leading zeros kept.
  public var number: String

  public init(bankCode: String, bankName: String, branchCode: String, branchName: String, type: DepositType, number: String) {
    self.bankCode = bankCode
    self.bankName = bankName
    self.branchCode = branchCode
    self.branchName = branchName
    self.type = type
    self.number = number
  }
}

/// One transfer of a 総合振込.
public struct Transfer: Sendable, Hashable, Codable {
  /// The payee's (被仕向) bank, branch and account.
  public var payee: TransferAccount
  /// 受取人名, up to 30 characters of ``ZenginKana/FieldKind/name``.
  public var payeeName: String
  /// 振込金額: ¥1 to ¥9,999,999,999 (the field's 10 digits).
  public var amount: Yen
  /// 顧客コード1: the requester's own reference, 10 digits, or nil.
  public var customerCode1: String?
  /// 顧客コード2: a second reference, 10 digits, or nil.
  public var customerCode2: String?

  public init(payee: TransferAccount, payeeName: String, amount: Yen, customerCode1: String? = nil, customerCode2: String? = nil) {
    self.payee = payee
    self.payeeName = payeeName
    self.amount = amount
    self.customerCode1 = customerCode1
    self.customerCode2 = customerCode2
  }
}

/// What goes between the records of a written 全銀 file (総合振込 or 入出金取引明細).
public enum RecordSeparator: Sendable, Hashable {
  /// Nothing: the standard record stream (「改行なし」), 120 or 200 bytes a record.
  case none
  /// CRLF after each record, the last one included (「後付けで122バイト」; 202 for 200-byte
  /// records), as some EB services want.
  case crlf
}

/// The 全銀 総合振込 file (種別コード 21): 120-byte records in JIS8, header (1), one data record
/// (2) per transfer, trailer (8) with the count and total, end (9).
///
/// The writer fills N fields right-justified with zeros and C fields left-justified with spaces;
/// 手形交換所番号, 新規コード and 振込指定区分 are written as zeros (absent) and 識別表示 as a space
/// (no EDI). By default records follow each other with no separator, the standard stream; pass
/// `.crlf` for a bank that wants a line break after each record.
public enum BulkTransferFile {
  /// The record length.
  public static let recordLength = 120
  /// The largest 振込金額 (10 digits).
  public static let maximumAmount: Int64 = 9_999_999_999
  /// The largest 合計金額 (12 digits).
  public static let maximumTotal: Int64 = 999_999_999_999
  /// The most transfers 合計件数 can count (6 digits).
  public static let maximumCount = 999_999

  /// The file for `request`, or the first thing in it a bank would refuse.
  public static func write(_ request: BulkTransfer, separator: RecordSeparator = .none) throws(BankFileError) -> [UInt8] {
    guard !request.transfers.isEmpty else { throw .noTransfers }
    typealias H = Layout.Header
    typealias D = Layout.Data
    typealias T = Layout.Trailer
    var records: [[UInt8]] = []

    var header = RecordWriter(record: 1, length: recordLength)
    header.put("1", H.kind)
    header.put("21", H.fileKind)
    header.put("0", H.codeKind)
    try header.code(request.requesterCode, H.requesterCode)
    try header.text(request.requesterName, H.requesterName, kind: .name, required: true)
    header.put(Self.monthDay(request.transferDate), H.transferDate)
    try header.code(request.account.bankCode, H.bankCode)
    try header.text(request.account.bankName, H.bankName, kind: .bankOrBranchName)
    try header.code(request.account.branchCode, H.branchCode)
    try header.text(request.account.branchName, H.branchName, kind: .bankOrBranchName)
    header.put(String(request.account.type.zenginCode), H.depositType)
    try header.code(request.account.number, H.accountNumber)
    records.append(header.bytes)

    for (offset, transfer) in request.transfers.enumerated() {
      var data = RecordWriter(record: offset + 2, length: recordLength)
      data.put("2", D.kind)
      try data.code(transfer.payee.bankCode, D.bankCode)
      try data.text(transfer.payee.bankName, D.bankName, kind: .bankOrBranchName)
      try data.code(transfer.payee.branchCode, D.branchCode)
      try data.text(transfer.payee.branchName, D.branchName, kind: .bankOrBranchName)
      data.put("0000", D.clearingHouse)
      data.put(String(transfer.payee.type.zenginCode), D.depositType)
      try data.code(transfer.payee.number, D.accountNumber)
      try data.text(transfer.payeeName, D.payeeName, kind: .name, required: true)
      guard (1...maximumAmount).contains(transfer.amount.amount) else {
        throw .amountOutOfRange(record: data.record, field: D.amount, found: transfer.amount, allowed: 1...maximumAmount)
      }
      data.put(Self.zeroPadded(transfer.amount.amount, D.amount.length), D.amount)
      data.put("0", D.newCode)
      try data.code(transfer.customerCode1 ?? String(repeating: "0", count: D.customerCode1.length), D.customerCode1)
      try data.code(transfer.customerCode2 ?? String(repeating: "0", count: D.customerCode2.length), D.customerCode2)
      data.put("0", D.transferKind)
      records.append(data.bytes)
    }

    let trailerNumber = request.transfers.count + 2
    guard request.transfers.count <= maximumCount else {
      throw .countOutOfRange(record: trailerNumber, field: T.count, found: request.transfers.count, maximum: maximumCount)
    }
    let total: Yen
    do { total = try request.total() } catch { throw .amountOverflow(record: trailerNumber, field: T.total) }
    guard total.amount <= maximumTotal else {
      throw .amountOutOfRange(record: trailerNumber, field: T.total, found: total, allowed: 1...maximumTotal)
    }
    var trailer = RecordWriter(record: trailerNumber, length: recordLength)
    trailer.put("8", T.kind)
    trailer.put(Self.zeroPadded(Int64(request.transfers.count), T.count.length), T.count)
    trailer.put(Self.zeroPadded(total.amount, T.total.length), T.total)
    records.append(trailer.bytes)

    var end = RecordWriter(record: trailerNumber + 1, length: recordLength)
    end.put("9", Layout.kindField)
    records.append(end.bytes)

    let separatorBytes: [UInt8] = separator == .crlf ? [0x0D, 0x0A] : []
    return records.flatMap { $0 + separatorBytes }
  }

  /// The request in a 総合振込 file, checked as strictly as the writer writes: one header, its
  /// transfers, a trailer whose count and total agree, the end record. Names come back as written
  /// (half-width, trailing spaces removed), so `read(write(x))` is `x`; customer codes that are
  /// absent (zeros or spaces) come back nil. A transfer with 識別表示 `Y` (EDI text where the
  /// customer codes sit) is not read: its 顧客コード are refused as non-digits.
  ///
  /// - Parameter reference: a day near the transfer date (the file holds only MMDD): the year is
  ///   the one that puts 取組日 nearest to it.
  public static func read(_ bytes: [UInt8], near reference: LocalDate) throws(BankFileError) -> BulkTransfer {
    typealias H = Layout.Header
    typealias D = Layout.Data
    typealias T = Layout.Trailer
    let (records, _) = try FixedWidthRecords.split(bytes, recordLength: recordLength)
    if let first = records.first, ZenginStatement.isEBCDICHeader(first.bytes) { throw .ebcdic(record: 1, field: H.codeKind) }
    func kind(of record: FixedWidthRecords.Record) throws(BankFileError) -> RecordKind {
      guard let byte = record.bytes.first, let kind = RecordKind(code: byte) else {
        throw .unknownRecordKind(record: record.number, field: Layout.kindField, found: JIS8.decode(record.bytes.prefix(1)))
      }
      return kind
    }
    guard let first = records.first else { throw .emptyFile }
    let firstKind = try kind(of: first)
    guard firstKind == .header else { throw .recordOutOfOrder(record: 1, found: firstKind, expected: [.header]) }

    let header = try FieldReader(first, layout: H.all)
    let fileKind = try header.digits(H.fileKind)
    guard fileKind == "21" else { throw .wrongFileKind(record: 1, field: H.fileKind, found: fileKind, expected: "21") }
    let code = header.text(H.codeKind)
    if code == "1" { throw .ebcdic(record: 1, field: H.codeKind) }
    guard code == "0" else { throw .unknownCode(record: 1, field: H.codeKind, found: code, expected: ["0 JIS", "1 EBCDIC（読めません）"]) }
    let monthDay = try header.digits(H.transferDate)
    guard let date = Self.date(monthDay, near: reference) else { throw .impossibleMonthDay(record: 1, field: H.transferDate, found: monthDay) }
    var request = BulkTransfer(
      requesterCode: try header.digits(H.requesterCode), requesterName: header.writtenText(H.requesterName), transferDate: date,
      account: TransferAccount(
        bankCode: try header.digits(H.bankCode), bankName: header.writtenText(H.bankName), branchCode: try header.digits(H.branchCode),
        branchName: header.writtenText(H.branchName), type: try header.code(H.depositType, Layout.depositTypes),
        number: try header.digits(H.accountNumber)),
      transfers: [])

    var total = Yen.zero
    var index = 1
    while index < records.count, try kind(of: records[index]) == .data {
      let reader = try FieldReader(records[index], layout: D.all)
      for field in [D.clearingHouse, D.newCode, D.transferKind] { try reader.checkNumeric(field) }
      let transfer = Transfer(
        payee: TransferAccount(
          bankCode: try reader.digits(D.bankCode), bankName: reader.writtenText(D.bankName), branchCode: try reader.digits(D.branchCode),
          branchName: reader.writtenText(D.branchName), type: try reader.code(D.depositType, Layout.depositTypes),
          number: try reader.digits(D.accountNumber)),
        payeeName: reader.writtenText(D.payeeName), amount: Yen(try reader.number(D.amount)),
        customerCode1: try reader.optionalDigits(D.customerCode1), customerCode2: try reader.optionalDigits(D.customerCode2))
      do { total = try total.adding(transfer.amount) } catch { throw .amountOverflow(record: reader.record, field: D.amount) }
      request.transfers.append(transfer)
      index += 1
    }
    guard index < records.count else { throw .unexpectedEndOfFile(afterRecord: records.count, expected: [.data, .trailer]) }
    let trailerKind = try kind(of: records[index])
    guard trailerKind == .trailer else { throw .recordOutOfOrder(record: index + 1, found: trailerKind, expected: [.data, .trailer]) }
    let trailer = try FieldReader(records[index], layout: T.all)
    let count = try trailer.number(T.count)
    guard count == Int64(request.transfers.count) else {
      throw .countMismatch(record: trailer.record, field: T.count, found: Int(count), expected: request.transfers.count)
    }
    let stated = Yen(try trailer.number(T.total))
    guard stated == total else { throw .amountMismatch(record: trailer.record, field: T.total, found: stated, expected: total) }
    index += 1
    guard index < records.count else { throw .unexpectedEndOfFile(afterRecord: records.count, expected: [.end]) }
    let endKind = try kind(of: records[index])
    guard endKind == .end else { throw .recordOutOfOrder(record: index + 1, found: endKind, expected: [.end]) }
    _ = try FieldReader(records[index], layout: Layout.endAll)
    if index + 1 < records.count { throw .recordAfterEnd(record: index + 2) }
    return request
  }

  static func monthDay(_ date: LocalDate) -> String {
    zeroPadded(Int64(date.month), 2) + zeroPadded(Int64(date.day), 2)
  }

  /// MMDD in the year (of the reference's, the one before or after) nearest `reference`.
  static func date(_ monthDay: String, near reference: LocalDate) -> LocalDate? {
    let value = Int(FieldReader.value(monthDay))
    let candidates = (reference.year - 1...reference.year + 1).compactMap { try? LocalDate(year: $0, month: value / 100, day: value % 100) }
    return candidates.min { abs($0.days(to: reference)) < abs($1.days(to: reference)) }
  }

  static func zeroPadded(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  /// The layout tables of 総合振込 (zengin-layout.md), 1-based byte positions.
  enum Layout {
    static let kindField = RecordField("データ区分", 1, 1, .numeric)

    enum Header {
      static let kind = kindField
      static let fileKind = RecordField("種別コード", 2, 2, .numeric)
      static let codeKind = RecordField("コード区分", 4, 1, .numeric)
      static let requesterCode = RecordField("振込依頼人コード", 5, 10, .numeric)
      static let requesterName = RecordField("振込依頼人名", 15, 40, .character)
      static let transferDate = RecordField("取組日（MMDD）", 55, 4, .numeric)
      static let bankCode = RecordField("仕向銀行番号", 59, 4, .numeric)
      static let bankName = RecordField("仕向銀行名", 63, 15, .character)
      static let branchCode = RecordField("仕向支店番号", 78, 3, .numeric)
      static let branchName = RecordField("仕向支店名", 81, 15, .character)
      static let depositType = RecordField("預金種目（依頼人）", 96, 1, .numeric)
      static let accountNumber = RecordField("口座番号（依頼人）", 97, 7, .numeric)
      static let dummy = RecordField("ダミー", 104, 17, .character)
      static let all = [
        kind, fileKind, codeKind, requesterCode, requesterName, transferDate, bankCode, bankName, branchCode, branchName, depositType,
        accountNumber, dummy,
      ]
    }

    enum Data {
      static let kind = kindField
      static let bankCode = RecordField("被仕向銀行番号", 2, 4, .numeric)
      static let bankName = RecordField("被仕向銀行名", 6, 15, .character)
      static let branchCode = RecordField("被仕向支店番号", 21, 3, .numeric)
      static let branchName = RecordField("被仕向支店名", 24, 15, .character)
      static let clearingHouse = RecordField("手形交換所番号", 39, 4, .numeric)
      static let depositType = RecordField("預金種目", 43, 1, .numeric)
      static let accountNumber = RecordField("口座番号", 44, 7, .numeric)
      static let payeeName = RecordField("受取人名", 51, 30, .character)
      static let amount = RecordField("振込金額", 81, 10, .numeric)
      static let newCode = RecordField("新規コード", 91, 1, .numeric)
      static let customerCode1 = RecordField("顧客コード1", 92, 10, .numeric)
      static let customerCode2 = RecordField("顧客コード2", 102, 10, .numeric)
      static let transferKind = RecordField("振込指定区分", 112, 1, .numeric)
      static let ident = RecordField("識別表示", 113, 1, .character)
      static let dummy = RecordField("ダミー", 114, 7, .character)
      static let all = [
        kind, bankCode, bankName, branchCode, branchName, clearingHouse, depositType, accountNumber, payeeName, amount, newCode,
        customerCode1, customerCode2, transferKind, ident, dummy,
      ]
    }

    enum Trailer {
      static let kind = kindField
      static let count = RecordField("合計件数", 2, 6, .numeric)
      static let total = RecordField("合計金額", 8, 12, .numeric)
      static let dummy = RecordField("ダミー", 20, 101, .character)
      static let all = [kind, count, total, dummy]
    }

    static let endAll = [kindField, RecordField("ダミー", 2, 119, .character)]

    static let depositTypes: [(code: String, value: DepositType, label: String)] =
      DepositType.allCases.map { (String($0.zenginCode), $0, $0.japaneseName) }
  }
}
