public import SharedKernel

/// 全銀協 入出金取引明細 (種別コード 03): the statement file banks send for an account, 200-byte
/// records in JIS8, `(header data* trailer)+ end` — one header … trailer group per account.
///
/// What the reader accepts where banks differ (the layout's "Ambiguities"):
/// - records with no separators, CRLF after each, CRLF between, or no separators and a final
///   CRLF (``Statement/framing`` says which); LF or CR alone, an EOF mark (0x1A) or a record of
///   any other length is refused;
/// - レコード総件数 counting the end record or not;
/// - optional N fields absent as all zeros or all spaces; `000000` is never a date;
/// - 貸越区分 absent in the header (the balance is then not negative) and 貸越区分 and
///   取引後残高 both absent in a trailer (the closing balance is then worked out);
/// - 預入・払出日 absent (the line is then valued on its 勘定日);
/// - 和暦 dates by the era rule of ``WarekiDigits``.
///
/// Everything is checked before anything is returned: the bytes (JIS8 only; a Shift_JIS
/// double-byte character is refused), every N field, the order of the records, each trailer's
/// counts, sums and closing balance against its data records, and the end record's counts.
public enum ZenginStatement {
  /// The record length.
  public static let recordLength = 200

  /// The statement in `bytes`, or the first thing wrong with them.
  ///
  /// - Parameter importedOn: today, as the reference date for 作成日's era (no clock here).
  public static func parse(_ bytes: [UInt8], importedOn: LocalDate) throws(BankFileError) -> Statement {
    let (records, framing) = try FixedWidthRecords.split(bytes, recordLength: recordLength)
    if let first = records.first, isEBCDICHeader(first.bytes) {
      throw .ebcdic(record: 1, field: Layout.Header.codeKind)
    }
    var accounts: [AccountStatement] = []
    var group: Group?
    var ended = false
    for record in records {
      if ended { throw .recordAfterEnd(record: record.number) }
      guard let first = record.bytes.first, let kind = RecordKind(code: first) else {
        throw .unknownRecordKind(record: record.number, field: Layout.kindField, found: JIS8.decode(record.bytes.prefix(1)))
      }
      switch (kind, group) {
      case (.header, nil):
        group = try Group(header: record, importedOn: importedOn)
      case (.data, var current?):
        try current.add(record)
        group = current
      case (.trailer, let current?):
        accounts.append(try current.close(with: record))
        group = nil
      case (.end, nil) where !accounts.isEmpty:
        try checkEnd(record, accounts: accounts.count, records: records.count)
        ended = true
      case (_, nil):
        throw .recordOutOfOrder(record: record.number, found: kind, expected: accounts.isEmpty ? [.header] : [.header, .end])
      case (_, _?):
        throw .recordOutOfOrder(record: record.number, found: kind, expected: [.data, .trailer])
      }
    }
    if !ended {
      throw .unexpectedEndOfFile(afterRecord: records.count, expected: group == nil ? [.header, .end] : [.data, .trailer])
    }
    return Statement(accounts: accounts, framing: framing)
  }

  /// EBCDIC digits (0xF0–0xF9) where an ASCII header has データ区分, 種別コード and コード区分.
  static func isEBCDICHeader(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 4 && bytes[0..<4].allSatisfy { (0xF0...0xF9).contains($0) }
  }

  private static func checkEnd(_ record: FixedWidthRecords.Record, accounts: Int, records: Int) throws(BankFileError) {
    let reader = try FieldReader(record, layout: Layout.End.all)
    let total = try reader.number(Layout.End.recordTotal)
    guard total == Int64(records) || total == Int64(records - 1) else {
      throw .recordTotalMismatch(record: record.number, field: Layout.End.recordTotal, found: Int(total), expected: records)
    }
    let count = try reader.number(Layout.End.accountCount)
    guard count == Int64(accounts) else {
      throw .countMismatch(record: record.number, field: Layout.End.accountCount, found: Int(count), expected: accounts)
    }
  }

  /// One account's records, from its header to its trailer.
  private struct Group {
    var account: AccountStatement
    let timeDeposit: Bool
    let createdOn: LocalDate
    var paidIn = (count: 0, total: Yen.zero)
    var paidOut = (count: 0, total: Yen.zero)

    init(header record: FixedWidthRecords.Record, importedOn: LocalDate) throws(BankFileError) {
      typealias H = Layout.Header
      let reader = try FieldReader(record, layout: H.all)
      let kind = try reader.digits(H.fileKind)
      guard kind == "03" else { throw .wrongFileKind(record: record.number, field: H.fileKind, found: kind, expected: "03") }
      let code = reader.text(H.codeKind)
      if code == "1" { throw .ebcdic(record: record.number, field: H.codeKind) }
      guard code == "0" else {
        throw code == " "
          ? .blankField(record: record.number, field: H.codeKind)
          : .unknownCode(record: record.number, field: H.codeKind, found: code, expected: ["0 JIS", "1 EBCDIC（読めません）"])
      }
      let createdOn = try reader.date(H.createdOn, reference: importedOn, referenceName: "取込日")
      let from = try reader.date(H.periodFrom, reference: createdOn, referenceName: "作成日")
      let to = try reader.date(H.periodTo, reference: createdOn, referenceName: "作成日")
      guard from <= to else { throw .periodReversed(record: record.number, from: from, to: to) }
      let bankCode = try reader.digits(H.bankCode)
      let branchCode = try reader.digits(H.branchCode)
      try reader.checkNumeric(H.reserved)
      let depositType = try reader.code(H.depositType, Layout.depositTypes)
      let accountNumber = try reader.digits(H.accountNumber)
      let sign = try Layout.sign(reader, H.overdraft) ?? 1
      try reader.checkNumeric(H.passbook)
      let opening = Yen(sign * (try reader.optionalNumber(H.openingBalance) ?? 0))
      self.account = AccountStatement(
        bankCode: bankCode, bankName: reader.name(H.bankName), branchCode: branchCode, branchName: reader.name(H.branchName),
        depositType: depositType, accountNumber: accountNumber, accountName: reader.name(H.accountName), createdOn: createdOn,
        periodFrom: from, periodTo: to, openingBalance: opening, closingBalance: opening, lines: [])
      self.timeDeposit = depositType.hasTimeDepositRecords
      self.createdOn = createdOn
    }

    mutating func add(_ record: FixedWidthRecords.Record) throws(BankFileError) {
      let line = timeDeposit ? try timeDepositLine(record) : try liquidLine(record)
      let amountField = timeDeposit ? Layout.TimeDepositData.amount : Layout.LiquidData.amount
      do {
        switch line.direction {
        case .in:
          paidIn = (paidIn.count + 1, try paidIn.total.adding(line.amount))
          account.closingBalance = try account.closingBalance.adding(line.amount)
        case .out:
          paidOut = (paidOut.count + 1, try paidOut.total.adding(line.amount))
          account.closingBalance = try account.closingBalance.subtracting(line.amount)
        }
      } catch {
        throw .amountOverflow(record: record.number, field: amountField)
      }
      account.lines.append(line)
    }

    private func liquidLine(_ record: FixedWidthRecords.Record) throws(BankFileError) -> StatementLine {
      typealias D = Layout.LiquidData
      let reader = try FieldReader(record, layout: D.all)
      let posting = try reader.date(D.postingDate, reference: createdOn, referenceName: "作成日")
      let value = try reader.optionalDate(D.valueDate, reference: createdOn, referenceName: "作成日") ?? posting
      let direction = try reader.code(D.direction, Layout.directions)
      let kind = try Layout.transactionKind(reader, D.transactionKind)
      let amount = Yen(try reader.number(D.amount))
      let cheques = try reader.optionalNumber(D.otherBankCheques).map(Yen.init)
      for field in [D.exchangeDate, D.dishonourDate, D.billKind, D.billNumber, D.relatedBranch] { try reader.checkNumeric(field) }
      return StatementLine(
        inquiryNumber: try reader.digits(D.inquiryNumber), postingDate: posting, valueDate: value, direction: direction, amount: amount,
        counterparty: reader.name(D.counterparty), summary: reader.name(D.summary), transactionKind: kind, otherBankCheques: cheques,
        remitterCode: try reader.optionalDigits(D.remitterCode), originBankName: reader.optionalName(D.originBankName),
        originBranchName: reader.optionalName(D.originBranchName), edi: reader.optionalName(D.edi))
    }

    private func timeDepositLine(_ record: FixedWidthRecords.Record) throws(BankFileError) -> StatementLine {
      typealias D = Layout.TimeDepositData
      let reader = try FieldReader(record, layout: D.all)
      let posting = try reader.date(D.postingDate, reference: createdOn, referenceName: "作成日")
      let value = try reader.optionalDate(D.valueDate, reference: createdOn, referenceName: "作成日") ?? posting
      let direction = try reader.code(D.direction, Layout.directions)
      let kind = try Layout.transactionKind(reader, D.transactionKind)
      let amount = Yen(try reader.number(D.amount))
      let cheques = try reader.optionalNumber(D.otherBankCheques).map(Yen.init)
      for field in [
        D.exchangeDate, D.dishonourDate, D.billKind, D.billNumber, D.relatedBranch, D.term1, D.termInterest, D.interimRate, D.interimKind,
        D.afterTerm, D.afterRate, D.afterInterest, D.taxKind, D.taxRate, D.term2, D.termInterestSign,
      ] {
        try reader.checkNumeric(field)
      }
      let rate = try reader.optionalDigits(D.rate).map { digits in
        let value = Int(FieldReader.value(digits))
        let fraction = String(value % 10_000)
        return "\(value / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
      }
      let terms = TimeDepositTerms(
        firstDepositDate: try reader.optionalDate(D.firstDepositDate, reference: createdOn, referenceName: "作成日"),
        maturityDate: try reader.optionalDate(D.maturityDate, reference: createdOn, referenceName: "作成日", horizon: .maturity),
        annualRatePercent: rate, totalInterest: try reader.optionalNumber(D.totalInterest).map(Yen.init),
        tax: try reader.optionalNumber(D.taxAmount).map(Yen.init), netInterest: try reader.optionalNumber(D.netInterest).map(Yen.init))
      return StatementLine(
        inquiryNumber: try reader.digits(D.identNumber), postingDate: posting, valueDate: value, direction: direction, amount: amount,
        counterparty: "", summary: reader.name(D.summary), transactionKind: kind, otherBankCheques: cheques, timeDeposit: terms)
    }

    /// Checks the trailer against the data records and returns the account.
    func close(with record: FixedWidthRecords.Record) throws(BankFileError) -> AccountStatement {
      typealias T = Layout.Trailer
      let reader = try FieldReader(record, layout: T.all)
      func count(_ field: RecordField, _ expected: Int) throws(BankFileError) {
        let found = try reader.number(field)
        guard found == Int64(expected) else {
          throw .countMismatch(record: record.number, field: field, found: Int(found), expected: expected)
        }
      }
      func sum(_ field: RecordField, _ expected: Yen) throws(BankFileError) {
        let found = Yen(try reader.number(field))
        guard found == expected else { throw .amountMismatch(record: record.number, field: field, found: found, expected: expected) }
      }
      try count(T.inCount, paidIn.count)
      try sum(T.inTotal, paidIn.total)
      try count(T.outCount, paidOut.count)
      try sum(T.outTotal, paidOut.total)
      try count(T.dataCount, account.lines.count)
      let sign = try Layout.sign(reader, T.overdraft)
      let stated = try reader.optionalNumber(T.closingBalance)
      if sign != nil || stated != nil {
        let found = Yen((sign ?? 1) * (stated ?? 0))
        guard found == account.closingBalance else {
          throw .closingBalanceMismatch(
            record: record.number, field: T.closingBalance, found: found, expected: account.closingBalance,
            opening: account.openingBalance, paidIn: paidIn.total, paidOut: paidOut.total)
        }
      }
      return account
    }
  }

  /// The layout tables of 入出金取引明細 (zengin-layout.md), 1-based byte positions.
  enum Layout {
    static let kindField = RecordField("データ区分", 1, 1, .numeric)

    enum Header {
      static let kind = kindField
      static let fileKind = RecordField("種別コード", 2, 2, .numeric)
      static let codeKind = RecordField("コード区分", 4, 1, .numeric)
      static let createdOn = RecordField("作成日", 5, 6, .numeric)
      static let periodFrom = RecordField("勘定日（自）", 11, 6, .numeric)
      static let periodTo = RecordField("勘定日（至）", 17, 6, .numeric)
      static let bankCode = RecordField("銀行コード", 23, 4, .numeric)
      static let bankName = RecordField("銀行名", 27, 15, .character)
      static let branchCode = RecordField("支店コード", 42, 3, .numeric)
      static let branchName = RecordField("支店名", 45, 15, .character)
      static let reserved = RecordField("ダミー（「000」）", 60, 3, .numeric)
      static let depositType = RecordField("預金種目", 63, 1, .numeric)
      static let accountNumber = RecordField("口座番号", 64, 10, .numeric)
      static let accountName = RecordField("口座名", 74, 40, .character)
      static let overdraft = RecordField("貸越区分（取引前残高）", 114, 1, .numeric)
      static let passbook = RecordField("通帳・証書区分", 115, 1, .numeric)
      static let openingBalance = RecordField("取引前残高", 116, 14, .numeric)
      static let dummy = RecordField("ダミー", 130, 71, .character)
      static let all = [
        kind, fileKind, codeKind, createdOn, periodFrom, periodTo, bankCode, bankName, branchCode, branchName, reserved, depositType,
        accountNumber, accountName, overdraft, passbook, openingBalance, dummy,
      ]
    }

    enum LiquidData {
      static let kind = kindField
      static let inquiryNumber = RecordField("照会番号", 2, 8, .numeric)
      static let postingDate = RecordField("勘定日", 10, 6, .numeric)
      static let valueDate = RecordField("預入・払出日（起算日）", 16, 6, .numeric)
      static let direction = RecordField("入払区分", 22, 1, .numeric)
      static let transactionKind = RecordField("取引区分", 23, 2, .numeric)
      static let amount = RecordField("取引金額", 25, 12, .numeric)
      static let otherBankCheques = RecordField("うち他店券金額", 37, 12, .numeric)
      static let exchangeDate = RecordField("交換呈示日", 49, 6, .numeric)
      static let dishonourDate = RecordField("不渡返還日", 55, 6, .numeric)
      static let billKind = RecordField("手形・小切手区分", 61, 1, .numeric)
      static let billNumber = RecordField("手形・小切手番号", 62, 7, .numeric)
      static let relatedBranch = RecordField("僚店番号", 69, 3, .numeric)
      static let remitterCode = RecordField("振込依頼人コード", 72, 10, .numeric)
      static let counterparty = RecordField("振込依頼人名または契約者番号", 82, 48, .character)
      static let originBankName = RecordField("仕向銀行名", 130, 15, .character)
      static let originBranchName = RecordField("仕向店名", 145, 15, .character)
      static let summary = RecordField("摘要内容", 160, 20, .character)
      static let edi = RecordField("EDI情報", 180, 20, .character)
      static let dummy = RecordField("ダミー", 200, 1, .character)
      static let all = [
        kind, inquiryNumber, postingDate, valueDate, direction, transactionKind, amount, otherBankCheques, exchangeDate, dishonourDate,
        billKind, billNumber, relatedBranch, remitterCode, counterparty, originBankName, originBranchName, summary, edi, dummy,
      ]
    }

    enum TimeDepositData {
      static let kind = kindField
      static let identNumber = RecordField("識別番号", 2, 8, .numeric)
      static let postingDate = RecordField("勘定日", 10, 6, .numeric)
      static let valueDate = RecordField("預入・払出日", 16, 6, .numeric)
      static let direction = RecordField("入払区分", 22, 1, .numeric)
      static let transactionKind = RecordField("取引区分", 23, 2, .numeric)
      static let amount = RecordField("取引金額", 25, 12, .numeric)
      static let otherBankCheques = RecordField("うち他店券金額", 37, 12, .numeric)
      static let exchangeDate = RecordField("交換呈示日", 49, 6, .numeric)
      static let dishonourDate = RecordField("不渡返還日", 55, 6, .numeric)
      static let billKind = RecordField("手形・小切手区分", 61, 1, .numeric)
      static let billNumber = RecordField("手形・小切手番号", 62, 7, .numeric)
      static let relatedBranch = RecordField("僚店番号", 69, 3, .numeric)
      static let firstDepositDate = RecordField("当初預入日", 72, 6, .numeric)
      static let rate = RecordField("利率", 78, 6, .numeric)
      static let maturityDate = RecordField("満期日", 84, 6, .numeric)
      static let term1 = RecordField("期間(1)", 90, 7, .numeric)
      static let termInterest = RecordField("期間利息", 97, 11, .numeric)
      static let interimRate = RecordField("中間払利率", 108, 6, .numeric)
      static let interimKind = RecordField("中間払区分", 114, 1, .numeric)
      static let afterTerm = RecordField("期後期間", 115, 4, .numeric)
      static let afterRate = RecordField("期後利率", 119, 6, .numeric)
      static let afterInterest = RecordField("期後利息", 125, 9, .numeric)
      static let totalInterest = RecordField("合計利息", 134, 11, .numeric)
      static let taxKind = RecordField("税区分", 145, 1, .numeric)
      static let taxRate = RecordField("税率", 146, 4, .numeric)
      static let taxAmount = RecordField("税額", 150, 10, .numeric)
      static let netInterest = RecordField("税引後利息", 160, 11, .numeric)
      static let summary = RecordField("摘要内容", 171, 20, .character)
      static let term2 = RecordField("期間(2)", 191, 5, .numeric)
      static let termInterestSign = RecordField("期間利息正負表示", 196, 1, .numeric)
      static let dummy = RecordField("ダミー", 197, 4, .character)
      static let all = [
        kind, identNumber, postingDate, valueDate, direction, transactionKind, amount, otherBankCheques, exchangeDate, dishonourDate,
        billKind, billNumber, relatedBranch, firstDepositDate, rate, maturityDate, term1, termInterest, interimRate, interimKind,
        afterTerm, afterRate, afterInterest, totalInterest, taxKind, taxRate, taxAmount, netInterest, summary, term2, termInterestSign,
        dummy,
      ]
    }

    enum Trailer {
      static let kind = kindField
      static let inCount = RecordField("入金件数", 2, 6, .numeric)
      static let inTotal = RecordField("入金額合計", 8, 13, .numeric)
      static let outCount = RecordField("出金件数", 21, 6, .numeric)
      static let outTotal = RecordField("出金額合計", 27, 13, .numeric)
      static let overdraft = RecordField("貸越区分（取引後残高）", 40, 1, .numeric)
      static let closingBalance = RecordField("取引後残高", 41, 14, .numeric)
      static let dataCount = RecordField("データ・レコード件数", 55, 7, .numeric)
      static let dummy = RecordField("ダミー", 62, 139, .character)
      static let all = [kind, inCount, inTotal, outCount, outTotal, overdraft, closingBalance, dataCount, dummy]
    }

    enum End {
      static let kind = kindField
      static let recordTotal = RecordField("レコード総件数", 2, 10, .numeric)
      static let accountCount = RecordField("口座数", 12, 5, .numeric)
      static let dummy = RecordField("ダミー", 17, 184, .character)
      static let all = [kind, recordTotal, accountCount, dummy]
    }

    static let depositTypes: [(code: String, value: DepositType, label: String)] =
      [DepositType.ordinary, .current, .savings, .notice, .time, .installmentTime].map { (String($0.zenginCode), $0, $0.japaneseName) }

    static let directions: [(code: String, value: Direction, label: String)] = [("1", .in, "入金"), ("2", .out, "出金")]

    /// 貸越区分: +1 (1), −1 (2), nil when absent (0 or space).
    static func sign(_ reader: FieldReader, _ field: RecordField) throws(BankFileError) -> Int64? {
      switch reader.text(field) {
      case "1": return 1
      case "2": return -1
      case "0", " ": return nil
      case let found: throw .unknownCode(record: reader.record, field: field, found: found, expected: ["1 プラス", "2 マイナス（貸越）"])
      }
    }

    /// 取引区分, nil when absent (`00` or spaces).
    static func transactionKind(_ reader: FieldReader, _ field: RecordField) throws(BankFileError) -> TransactionKind? {
      let found = reader.text(field)
      if found == "00" || found == "  " { return nil }
      guard let kind = TransactionKind(zenginCode: found) else {
        throw .unknownCode(
          record: reader.record, field: field, found: found, expected: TransactionKind.allCases.map { "\($0.zenginCode) \($0.japaneseName)" })
      }
      return kind
    }
  }
}
