import BankFiles
import SharedKernel
import Testing

/// 総合振込 (種別 21): written byte for byte as the layout says, read back to the same request,
/// and refused when a bank would return it.
@Suite("BankFiles: 全銀 総合振込 (種別 21)")
struct BulkTransferTests {
  typealias F = Fixture

  static let transferDate = (try? LocalDate(iso8601: "2024-04-10")) ?? .earliest

  static let request = BulkTransfer(
    requesterCode: "0123456789", requesterName: "ｻﾞｲ)ｶﾅｶﾞﾜｹﾝﾁﾕｳｼﾖｳｷｷﾞﾖｳｼﾝｺｳｻﾞｲﾀﾞﾝ", transferDate: transferDate,
    account: TransferAccount(bankCode: "0138", bankName: "ﾖｺﾊﾏ", branchCode: "001", branchName: "ﾎﾝﾃﾝ", type: .ordinary, number: "0012345"),
    transfers: [
      Transfer(
        payee: TransferAccount(bankCode: "0005", bankName: "ﾐﾂﾋﾞｼUFJ", branchCode: "251", branchName: "ﾖｺﾊﾏｴｷﾏｴ", type: .current, number: "0000001"),
        payeeName: "ｶ)ｶﾅｶﾞﾜｼﾖｳｼﾞ", amount: Yen(50_000), customerCode1: "0000000001"),
      Transfer(
        payee: TransferAccount(bankCode: "0009", bankName: "", branchCode: "100", branchName: "", type: .ordinary, number: "7654321"),
        payeeName: "ﾔﾏﾀﾞ ﾀﾛｳ", amount: Yen(9_999_999_999), customerCode2: "9876543210"),
    ])

  /// The same file assembled from the layout table, field by field.
  static var expectedRecords: [[UInt8]] {
    [
      F.record(
        F.header21,
        [
          "データ区分": "1", "種別コード": "21", "コード区分": "0", "振込依頼人コード": "0123456789", "振込依頼人名": request.requesterName,
          "取組日": "0410", "仕向銀行番号": "0138", "仕向銀行名": "ﾖｺﾊﾏ", "仕向支店番号": "001", "仕向支店名": "ﾎﾝﾃﾝ", "預金種目": "1",
          "口座番号": "0012345",
        ]),
      F.record(
        F.data21,
        [
          "データ区分": "2", "被仕向銀行番号": "0005", "被仕向銀行名": "ﾐﾂﾋﾞｼUFJ", "被仕向支店番号": "251", "被仕向支店名": "ﾖｺﾊﾏｴｷﾏｴ",
          "預金種目": "2", "口座番号": "0000001", "受取人名": "ｶ)ｶﾅｶﾞﾜｼﾖｳｼﾞ", "振込金額": "50000", "顧客コード1": "0000000001",
        ]),
      F.record(
        F.data21,
        [
          "データ区分": "2", "被仕向銀行番号": "0009", "被仕向支店番号": "100", "預金種目": "1", "口座番号": "7654321", "受取人名": "ﾔﾏﾀﾞ ﾀﾛｳ",
          "振込金額": "9999999999", "顧客コード2": "9876543210",
        ]),
      F.record(F.trailer21, ["データ区分": "8", "合計件数": "2", "合計金額": "10000049999"]),
      F.record(F.end21, ["データ区分": "9"]),
    ]
  }

  static func refusal(_ request: BulkTransfer) -> BankFileError? {
    do {
      _ = try BulkTransferFile.write(request)
      Issue.record("the request was written")
      return nil
    } catch {
      return error
    }
  }

  static func withPayee(name: String? = nil, bankName: String? = nil, number: String? = nil, amount: Yen? = nil) -> BulkTransfer {
    var request = request
    if let name { request.transfers[0].payeeName = name }
    if let bankName { request.transfers[0].payee.bankName = bankName }
    if let number { request.transfers[0].payee.number = number }
    if let amount { request.transfers[0].amount = amount }
    return request
  }

  @Test("the file is the layout's 120-byte records, no separators by default")
  func bytes() throws {
    let file = try BulkTransferFile.write(Self.request)
    #expect(Self.expectedRecords.allSatisfy { $0.count == 120 })
    #expect(file == F.join(Self.expectedRecords, .none))
    #expect(file.count == 600)
  }

  @Test("with .crlf each record is followed by CRLF: 122 bytes a record")
  func crlf() throws {
    let file = try BulkTransferFile.write(Self.request, separator: .crlf)
    #expect(file == F.join(Self.expectedRecords, .crlfAfterEach))
    #expect(file.count == 610 && Array(file[120..<122]) == [0x0D, 0x0A])
  }

  @Test("the reader gives back what the writer wrote, with either separator", arguments: [RecordSeparator.none, .crlf])
  func roundTrip(separator: RecordSeparator) throws {
    let file = try BulkTransferFile.write(Self.request, separator: separator)
    #expect(try BulkTransferFile.read(file, near: Self.transferDate) == Self.request)
    // 取組日 holds only MMDD: the year is the one that puts it nearest the reference.
    #expect(try BulkTransferFile.read(file, near: LocalDate(iso8601: "2024-10-01")).transferDate == (try LocalDate(iso8601: "2024-04-10")))
    #expect(try BulkTransferFile.read(file, near: LocalDate(iso8601: "2024-11-01")).transferDate == (try LocalDate(iso8601: "2025-04-10")))
  }

  @Test(
    "names outside the 全銀 character set are refused, naming the record, field, character and position",
    arguments: [
      (
        withPayee(name: "ｶ)ｶﾅｶﾞﾜｼｮｳｼﾞ"),
        BankFileError.characterNotAllowed(
          record: 2, field: RecordField("受取人名", 51, 30, .character), text: "ｶ)ｶﾅｶﾞﾜｼｮｳｼﾞ", character: "ｮ", position: 9, kind: .name)
      ),
      (
        withPayee(name: "カナガワ"),
        .characterNotAllowed(record: 2, field: RecordField("受取人名", 51, 30, .character), text: "カナガワ", character: "カ", position: 1, kind: .name)
      ),
      (
        withPayee(name: "ﾔﾏﾀﾞ taro"),
        .characterNotAllowed(record: 2, field: RecordField("受取人名", 51, 30, .character), text: "ﾔﾏﾀﾞ taro", character: "t", position: 6, kind: .name)
      ),
      (
        withPayee(name: "ｦｶﾞﾜ"),
        .characterNotAllowed(record: 2, field: RecordField("受取人名", 51, 30, .character), text: "ｦｶﾞﾜ", character: "ｦ", position: 1, kind: .name)
      ),
      (
        withPayee(bankName: "(ﾐﾂﾋﾞｼ"),
        .characterNotAllowed(
          record: 2, field: RecordField("被仕向銀行名", 6, 15, .character), text: "(ﾐﾂﾋﾞｼ", character: "(", position: 1, kind: .bankOrBranchName)
      ),
    ])
  func wrongKana(request: BulkTransfer, expected: BankFileError) {
    #expect(Self.refusal(request) == expected)
  }

  @Test("the requester's name is checked too, and the messages say what to write instead")
  func messages() {
    var request = Self.request
    request.requesterName = "ｻﾞｲ)ｶﾅｶﾞﾜ/ｹﾝ"
    let error = Self.refusal(request)
    #expect(
      error
        == .characterNotAllowed(
          record: 1, field: RecordField("振込依頼人名", 15, 40, .character), text: "ｻﾞｲ)ｶﾅｶﾞﾜ/ｹﾝ", character: "/", position: 10, kind: .name))
    #expect(
      error?.description
        == "1件目のレコード、振込依頼人名（15〜54バイト目）: 「ｻﾞｲ)ｶﾅｶﾞﾜ/ｹﾝ」の10文字目「/」は全銀ファイルに使えません。使えるのは半角カナ（ｦ と小さいカナを除く）、ﾞ ﾟ ｰ、英大文字、数字、空白と ( ) - . です")
    #expect(
      Self.refusal(Self.withPayee(name: "ｶ)ｶﾅｶﾞﾜｼｮｳｼﾞ"))?.description
        == "2件目のレコード、受取人名（51〜80バイト目）: 「ｶ)ｶﾅｶﾞﾜｼｮｳｼﾞ」の9文字目「ｮ」は全銀ファイルに使えません。小さいカナは大きく書きます（ｯ → ﾂ、ｮ → ﾖ）")
  }

  @Test("ｰ, ﾞ, ﾟ and the name symbols are allowed")
  func allowedSymbols() throws {
    let request = Self.withPayee(name: "ﾊﾟｰｸ(ｶ ABC-1.")
    #expect(try BulkTransferFile.read(try BulkTransferFile.write(request), near: Self.transferDate) == request)
  }

  @Test("amounts that do not fit 振込金額 (10 digits) or are not positive are refused", arguments: [Int64(0), -1, 10_000_000_000])
  func amountOutOfRange(amount: Int64) {
    #expect(
      Self.refusal(Self.withPayee(amount: Yen(amount)))
        == .amountOutOfRange(record: 2, field: RecordField("振込金額", 81, 10, .numeric), found: Yen(amount), allowed: 1...9_999_999_999))
  }

  @Test("a total that does not fit 合計金額 (12 digits) is refused at the trailer")
  func totalOutOfRange() {
    var request = Self.request
    request.transfers = Array(repeating: Self.request.transfers[1], count: 101)
    let error = Self.refusal(request)
    #expect(
      error
        == .amountOutOfRange(
          record: 103, field: RecordField("合計金額", 8, 12, .numeric), found: Yen(1_009_999_999_899), allowed: 1...999_999_999_999))
    #expect(error?.description == "103件目のレコード、合計金額（8〜19バイト目）: 1,009,999,999,899円は書けません（1円から999,999,999,999円まで）")
  }

  @Test("a name longer than its field, a code of the wrong length and an empty request are refused")
  func otherRefusals() {
    let long = String(repeating: "ｱ", count: 31)
    #expect(
      Self.refusal(Self.withPayee(name: long)) == .textTooLong(record: 2, field: RecordField("受取人名", 51, 30, .character), text: long, length: 31))
    #expect(
      Self.refusal(Self.withPayee(number: "12345"))
        == .wrongDigitCount(record: 2, field: RecordField("口座番号", 44, 7, .numeric), found: "12345", expected: "数字7桁（前の0も含めて）"))
    #expect(Self.refusal(Self.withPayee(name: "  ")) == .blankField(record: 2, field: RecordField("受取人名", 51, 30, .character)))
    var empty = Self.request
    empty.transfers = []
    #expect(Self.refusal(empty) == .noTransfers)
  }

  @Test("the reader refuses a trailer whose total or count disagrees, and other formats")
  func readerRefusals() throws {
    var records = Self.expectedRecords
    records[3] = F.record(F.trailer21, ["データ区分": "8", "合計件数": "2", "合計金額": "10000049998"])
    do {
      _ = try BulkTransferFile.read(F.join(records, .none), near: Self.transferDate)
      Issue.record("accepted")
    } catch {
      #expect(
        error == .amountMismatch(record: 4, field: RecordField("合計金額", 8, 12, .numeric), found: Yen(10_000_049_998), expected: Yen(10_000_049_999)))
    }
    records = Self.expectedRecords
    records[0].replaceSubrange(1..<3, with: F.jis8("11"))
    #expect(throws: BankFileError.wrongFileKind(record: 1, field: RecordField("種別コード", 2, 2, .numeric), found: "11", expected: "21")) {
      try BulkTransferFile.read(F.join(records, .none), near: Self.transferDate)
    }
    // A 200-byte 入出金取引明細 file is not a 総合振込 file.
    let statement = F.statement([F.Account(lines: [F.line("00000001", "060401", "1", 1)])], separator: .crlfAfterEach)
    #expect(throws: BankFileError.recordLength(record: 1, found: 200, expected: 120, startsAt: 1)) {
      try BulkTransferFile.read(statement, near: Self.transferDate)
    }
  }
}
