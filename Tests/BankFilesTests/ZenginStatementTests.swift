import BankFiles
import Foundation
import JapaneseCalendar
import SharedKernel
import Testing

/// 入出金取引明細 (種別 03): the forms banks send, read into one `Statement`; every fault refused
/// whole with the record, the field, what was found and what was expected.
@Suite("BankFiles: 全銀 入出金取引明細 (種別 03)")
struct ZenginStatementTests {
  typealias F = Fixture

  static func date(_ text: String) -> LocalDate {
    (try? LocalDate(iso8601: text)) ?? .earliest
  }

  static let today = date("2024-04-08")

  static func parse(_ bytes: [UInt8], importedOn: LocalDate = today) throws(BankFileError) -> Statement {
    try ZenginStatement.parse(bytes, importedOn: importedOn)
  }

  /// The error `bytes` are refused with (or a test failure if they are not).
  static func refusal(_ bytes: [UInt8], importedOn: LocalDate = today) -> BankFileError? {
    do {
      _ = try parse(bytes, importedOn: importedOn)
      Issue.record("the file was accepted")
      return nil
    } catch {
      return error
    }
  }

  // MARK: - Two accounts

  static let ordinary = F.Account(lines: [
    F.line(
      "00000001", "060401", "1", 1_000_000,
      [
        "取引区分": "11", "振込依頼人コード": "42", "振込依頼人名または契約者番号": "ｶ)ｶﾅｶﾞﾜｼﾖｳｼﾞ", "仕向銀行名": "ﾐｽﾞﾎ", "仕向店名": "ﾖｺﾊﾏ",
        "摘要内容": "ﾌﾘｺﾐ",
      ]),
    F.line("00000002", "060402", "2", 330, ["取引区分": "14", "摘要内容": "ﾃｽｳﾘﾖｳ"]),
    F.line("00000003", "060404", "2", 2_500_000, ["預入・払出日": "060403", "振込依頼人名または契約者番号": "00000123456789012345", "摘要内容": "ｺｳｻﾞﾌﾘｶｴ"]),
  ])

  static let overdrawnCurrent = F.Account(
    header: [
      "銀行コード": "0005", "銀行名": "ﾐﾂﾋﾞｼUFJ", "支店コード": "010", "支店名": "ﾖｺﾊﾏｴｷﾏｴ", "預金種目": "2", "口座番号": "12345",
      "口座名": "(ｶ)ｶﾅｶﾞﾜｷﾞﾝｺｳ", "貸越区分": "2", "取引前残高": "200000",
    ],
    lines: [F.line("00000001", "060403", "1", 500_000, ["取引区分": "10", "摘要内容": "ｹﾞﾝｷﾝ"])])

  @Test("a file of two accounts reads as two accounts, every field where the layout puts it")
  func twoAccounts() throws {
    let statement = try Self.parse(F.statement([Self.ordinary, Self.overdrawnCurrent]))
    #expect(statement.framing == .lineBreakAfterEachRecord)
    #expect(statement.accounts.count == 2)
    let first = try #require(statement.accounts.first)
    #expect(
      first
        == AccountStatement(
          bankCode: "0138", bankName: "ヨコハマ", branchCode: "001", branchName: "ホンテン", depositType: .ordinary, accountNumber: "0001234567",
          accountName: "ザイ)カナガワケン", createdOn: Self.date("2024-04-05"), periodFrom: Self.date("2024-04-01"),
          periodTo: Self.date("2024-04-04"), openingBalance: Yen(5_000_000), closingBalance: Yen(3_499_670),
          lines: [
            StatementLine(
              inquiryNumber: "00000001", postingDate: Self.date("2024-04-01"), valueDate: Self.date("2024-04-01"), direction: .in,
              amount: Yen(1_000_000), counterparty: "カ)カナガワシヨウジ", summary: "フリコミ", transactionKind: .transfer,
              remitterCode: "0000000042", originBankName: "ミズホ", originBranchName: "ヨコハマ"),
            StatementLine(
              inquiryNumber: "00000002", postingDate: Self.date("2024-04-02"), valueDate: Self.date("2024-04-02"), direction: .out,
              amount: Yen(330), summary: "テスウリヨウ", transactionKind: .bookTransfer),
            StatementLine(
              inquiryNumber: "00000003", postingDate: Self.date("2024-04-04"), valueDate: Self.date("2024-04-03"), direction: .out,
              amount: Yen(2_500_000), counterparty: "00000123456789012345", summary: "コウザフリカエ"),
          ]))
    let second = try #require(statement.accounts.last)
    #expect(second.bankCode == "0005" && second.bankName == "ミツビシUFJ" && second.branchCode == "010")
    #expect(second.branchName == "ヨコハマエキマエ" && second.depositType == .current && second.accountNumber == "0000012345")
    #expect(second.openingBalance == Yen(-200_000) && second.closingBalance == Yen(300_000))
    #expect(second.lines.map(\.transactionKind) == [.cash])
  }

  @Test("names and summaries become full-width katakana by NFKC, trailing spaces gone")
  func kana() throws {
    let statement = try Self.parse(F.statement([Self.overdrawnCurrent]))
    let account = try #require(statement.accounts.first)
    // ｶﾞ and ｷﾞ (a kana and a separate ﾞ) compose to ガ and ギ; ASCII parentheses stay ASCII.
    #expect(account.accountName == "(カ)カナガワギンコウ")
    #expect(account.accountName.unicodeScalars.count == 11)
    #expect(account.lines.first?.summary == "ゲンキン")
    let more = F.Account(lines: [F.line("00000001", "060401", "1", 1, ["振込依頼人名または契約者番号": "ﾊﾟｰｸｻｲﾄﾞ ｼｮｳﾃﾝｶｲ"])])
    #expect(try Self.parse(F.statement([more])).accounts.first?.lines.first?.counterparty == "パークサイド ショウテンカイ")
  }

  @Test("codes keep their leading zeros: bank, branch, account number, 照会番号")
  func leadingZeros() throws {
    let account = F.Account(
      header: ["銀行コード": "0001", "支店コード": "002", "口座番号": "7"], lines: [F.line("00000009", "060401", "1", 1)])
    let read = try #require(try Self.parse(F.statement([account])).accounts.first)
    #expect([read.bankCode, read.branchCode, read.accountNumber, read.lines.first?.inquiryNumber] == ["0001", "002", "0000000007", "00000009"])
  }

  // MARK: - The forms banks differ in

  @Test(
    "records with no separators, CRLF after each, CRLF between, or none and a final CRLF all read alike",
    arguments: [
      (F.Separator.none, RecordFraming.unseparated), (.crlfAfterEach, .lineBreakAfterEachRecord), (.crlfBetween, .lineBreakBetweenRecords),
      (.noneWithFinalCRLF, .unseparatedWithFinalLineBreak),
    ])
  func separators(separator: F.Separator, framing: RecordFraming) throws {
    let statement = try Self.parse(F.statement([Self.ordinary, Self.overdrawnCurrent], separator: separator))
    #expect(statement.framing == framing)
    let reference = try Self.parse(F.statement([Self.ordinary, Self.overdrawnCurrent]))
    #expect(statement.accounts == reference.accounts)
  }

  @Test("LF alone between records is refused: the layout knows CRLF or nothing")
  func lineFeedAlone() {
    #expect(Self.refusal(F.statement([Self.ordinary], separator: .lf)) == .unsupportedLineBreak(afterRecord: 1, found: "LF"))
    #expect(
      Self.refusal(F.statement([Self.ordinary], separator: .lf))?.description
        == "1件目のレコードの後が LF だけで区切られています。全銀ファイルの区切りは CRLF か、区切りなしです")
  }

  @Test("an EOF mark (0x1A) after the last record is refused: the layout does not list it")
  func eofMark() {
    let file = F.statement([Self.ordinary], separator: .none) + [0x1A]
    #expect(Self.refusal(file) == .recordLength(record: 7, found: 1, expected: 200, startsAt: 1201))
  }

  @Test("レコード総件数 may count the end record or not", arguments: [true, false])
  func endRecordCount(countsItself: Bool) throws {
    let statement = try Self.parse(F.statement([Self.ordinary, Self.overdrawnCurrent], endCountsItself: countsItself))
    #expect(statement.accounts.count == 2)
  }

  @Test("レコード総件数 that is neither is refused, naming both counts it could have been")
  func endRecordCountWrong() {
    // header, three data records, trailer, end: 6 records, or 5 without the end record.
    let file = F.statement([Self.ordinary], end: ["レコード総件数": "4"])
    let field = RecordField("レコード総件数", 2, 10, .numeric)
    #expect(Self.refusal(file) == .recordTotalMismatch(record: 6, field: field, found: 4, expected: 6))
    #expect(
      Self.refusal(file)?.description
        == "6件目のレコード、レコード総件数（2〜11バイト目）: 4件とありますが、ファイルのレコードは6件（エンド・レコードを含まなければ5件）です")
  }

  @Test("optional fields absent as zeros or as spaces read the same")
  func zerosOrSpaces() throws {
    let zeros = try Self.parse(F.statement([Self.ordinary, Self.overdrawnCurrent], blank: .zeros))
    let spaces = try Self.parse(F.statement([Self.ordinary, Self.overdrawnCurrent], blank: .spaces))
    #expect(zeros == spaces)
    let line = try #require(spaces.accounts.first?.lines.last)
    #expect(line.transactionKind == nil && line.otherBankCheques == nil && line.remitterCode == nil && line.edi == nil)
  }

  @Test("a trailer without 貸越区分 and 取引後残高 (zeros or spaces) has its closing balance worked out", arguments: ["0", " "])
  func closingBalanceAbsent(blank: String) throws {
    let fill = blank == "0" ? "00000000000000" : "              "
    let account = F.Account(lines: Self.ordinary.lines, trailer: ["貸越区分": blank, "取引後残高": fill])
    #expect(try Self.parse(F.statement([account])).accounts.first?.closingBalance == Yen(3_499_670))
  }

  @Test("an absent 預入・払出日 means the line is valued on its 勘定日")
  func valueDateAbsent() throws {
    let account = F.Account(lines: [F.line("00000001", "060402", "1", 10, ["預入・払出日": "000000"])])
    #expect(try Self.parse(F.statement([account])).accounts.first?.lines.first?.valueDate == Self.date("2024-04-02"))
  }

  @Test("an overdrawn account (貸越区分 2) has negative balances, before and after")
  func overdrawn() throws {
    let account = F.Account(
      header: ["預金種目": "2", "貸越区分": "2", "取引前残高": "1000000"],
      lines: [F.line("00000001", "060401", "2", 250_000), F.line("00000002", "060402", "1", 50_000)])
    let read = try #require(try Self.parse(F.statement([account])).accounts.first)
    #expect(read.openingBalance == Yen(-1_000_000) && read.closingBalance == Yen(-1_200_000))
  }

  // MARK: - 和暦

  @Test("the era of YYMMDD is the reading nearest 作成日: 平成31年4月30日, then 令和元年5月1日")
  func eraBoundary() throws {
    let account = F.Account(
      header: ["作成日": "010507", "勘定日（自）": "310430", "勘定日（至）": "010501"],
      lines: [F.line("00000001", "310430", "1", 100), F.line("00000002", "010501", "1", 200)])
    let read = try #require(try Self.parse(F.statement([account]), importedOn: Self.date("2019-05-08")).accounts.first)
    #expect(read.createdOn == Self.date("2019-05-07"))
    #expect(read.periodFrom == Self.date("2019-04-30") && read.periodTo == Self.date("2019-05-01"))
    #expect(read.lines.map(\.postingDate) == [Self.date("2019-04-30"), Self.date("2019-05-01")])
  }

  @Test("作成日 is read against the import date: 310430 imported in May 2019 is 2019-04-30")
  func createdOnAgainstImportDate() throws {
    let account = F.Account(
      header: ["作成日": "310430", "勘定日（自）": "310426", "勘定日（至）": "310426"], lines: [F.line("00000001", "310426", "1", 1)])
    #expect(try Self.parse(F.statement([account]), importedOn: Self.date("2019-05-07")).accounts.first?.createdOn == Self.date("2019-04-30"))
  }

  @Test("leap days only where the year has one: 060229 is 2024-02-29")
  func leapDay() throws {
    let account = F.Account(
      header: ["作成日": "060301", "勘定日（自）": "060229", "勘定日（至）": "060229"], lines: [F.line("00000001", "060229", "1", 1)])
    #expect(try Self.parse(F.statement([account])).accounts.first?.periodFrom == Self.date("2024-02-29"))
  }

  @Test("WarekiDigits: readings by the era rule")
  func eraRule() {
    func resolve(_ y: Int, _ m: Int, _ d: Int, _ reference: String, _ horizon: WarekiDigits.Horizon = .past) -> WarekiDigits.Resolution {
      WarekiDigits.resolve(year: y, month: m, day: d, reference: Self.date(reference), horizon: horizon)
    }
    #expect(resolve(31, 4, 30, "2019-05-10") == .date(Self.date("2019-04-30")))
    #expect(resolve(1, 5, 1, "2019-05-10") == .date(Self.date("2019-05-01")))
    // 平成元年1月5日 was 昭和64年; 令和元年1月5日 was 平成31年.
    #expect(resolve(1, 1, 5, "2019-05-10") == .impossible([.reiwa, .heisei]))
    // A value date a few days after 作成日 stays in 令和, not 1994.
    #expect(resolve(6, 5, 13, "2024-05-10") == .date(Self.date("2024-05-13")))
    // 大正5年2月29日 (1916) is not considered from 2023.
    #expect(resolve(5, 2, 29, "2023-06-01") == .impossible([.reiwa, .heisei]))
    #expect(resolve(31, 5, 7, "2019-05-10") == .tooFarAhead(Self.date("2049-05-07")))
    // 満期日 may lie years ahead.
    #expect(resolve(16, 4, 1, "2024-04-05", .maturity) == .date(Self.date("2034-04-01")))
    // A file made in 平成 can name 昭和 days.
    #expect(resolve(64, 1, 7, "1989-01-10") == .date(Self.date("1989-01-07")))
  }

  @Test("a 平成 form for a day in 令和 (310507 for 2019-05-07) is refused, saying how to write it")
  func heiseiFormAfterTheChange() {
    let account = F.Account(
      header: ["作成日": "010510", "勘定日（自）": "010507", "勘定日（至）": "010507"], lines: [F.line("00000001", "310507", "1", 1)])
    let error = Self.refusal(F.statement([account]), importedOn: Self.date("2019-05-10"))
    #expect(
      error
        == .dateTooFarAhead(
          record: 2, field: RecordField("勘定日", 10, 6, .numeric), found: "310507", resolved: Self.date("2049-05-07"),
          reference: Self.date("2019-05-10"), referenceName: "作成日"))
    #expect(
      error?.description
        == "2件目のレコード、勘定日（10〜15バイト目）: 「310507」は令和31年5月7日（2049-05-07）と読めますが、作成日（2019-05-10）より1年以上先です。平成31年5月7日のつもりなら、その日は令和元年5月7日（2019-05-07）なので「010507」と書きます"
    )
  }

  // MARK: - Time deposits

  @Test("a 定期 account's lines are read by the time-deposit layout, its terms kept")
  func timeDeposit() throws {
    let line: [String: String] = [
      "データ区分": "2", "識別番号": "00000077", "勘定日": "060401", "預入・払出日": "060401", "入払区分": "1", "取引区分": "15",
      "取引金額": "10000000", "当初預入日": "310401", "利率": "2500", "満期日": "070401", "合計利息": "25000", "税額": "5078",
      "税引後利息": "19922", "摘要内容": "ｹｲｿﾞｸ",
    ]
    let account = F.Account(header: ["預金種目": "6", "取引前残高": "0"], lines: [line])
    let read = try #require(try Self.parse(F.statement([account])).accounts.first)
    #expect(read.depositType == .time && read.closingBalance == Yen(10_000_000))
    #expect(
      read.lines
        == [
          StatementLine(
            inquiryNumber: "00000077", postingDate: Self.date("2024-04-01"), valueDate: Self.date("2024-04-01"), direction: .in,
            amount: Yen(10_000_000), summary: "ケイゾク", transactionKind: .renewal,
            timeDeposit: TimeDepositTerms(
              firstDepositDate: Self.date("2019-04-01"), maturityDate: Self.date("2025-04-01"), annualRatePercent: "0.2500",
              totalInterest: Yen(25_000), tax: Yen(5_078), netInterest: Yen(19_922)))
        ])
  }

  // MARK: - Refusals

  /// A one-account file (header 1, data 2–3, trailer 4, end 5) with `edit` applied to its records.
  static func edited(_ edit: (inout [[UInt8]]) -> Void) -> [UInt8] {
    let account = F.Account(lines: [F.line("00000001", "060401", "1", 1_000), F.line("00000002", "060402", "2", 300)])
    var records = F.records(of: F.statement([account]))
    edit(&records)
    return F.join(records, .crlfAfterEach)
  }

  static func replace(_ records: inout [[UInt8]], record: Int, at position: Int, with text: String) {
    let bytes = F.jis8(text)
    records[record - 1].replaceSubrange((position - 1)..<(position - 1 + bytes.count), with: bytes)
  }

  @Test("a record of 199 bytes is refused with its number and where it starts")
  func shortRecord() {
    let file = Self.edited { $0[2].removeLast() }
    #expect(Self.refusal(file) == .recordLength(record: 3, found: 199, expected: 200, startsAt: 405))
    #expect(
      Self.refusal(file)?.description == "3件目のレコード（ファイルの405バイト目から）が199バイトです。全銀のレコードは200バイトです（行末の空白が削られていませんか）")
  }

  @Test("without separators, a length that is no multiple of 200 is refused at the short record")
  func unseparatedShort() {
    let file = Array(F.statement([Self.ordinary], separator: .none).dropLast(3))
    #expect(Self.refusal(file) == .recordLength(record: 6, found: 197, expected: 200, startsAt: 1001))
  }

  @Test("an unknown データ区分 is refused")
  func unknownKind() {
    let file = Self.edited { Self.replace(&$0, record: 2, at: 1, with: "3") }
    #expect(Self.refusal(file) == .unknownRecordKind(record: 2, field: RecordField("データ区分", 1, 1, .numeric), found: "3"))
    #expect(Self.refusal(file)?.description == "2件目のレコード、データ区分（1バイト目）: 「3」というデータ区分はありません（1 ヘッダー、2 データ、8 トレーラ、9 エンド）")
  }

  @Test("records out of order are refused, saying what could come there")
  func outOfOrder() {
    #expect(Self.refusal(Self.edited { $0.swapAt(0, 1) }) == .recordOutOfOrder(record: 1, found: .data, expected: [.header]))
    #expect(Self.refusal(Self.edited { $0.insert($0[0], at: 1) }) == .recordOutOfOrder(record: 2, found: .header, expected: [.data, .trailer]))
    #expect(Self.refusal(Self.edited { $0.insert($0[3], at: 4) }) == .recordOutOfOrder(record: 5, found: .trailer, expected: [.header, .end]))
    #expect(Self.refusal(Self.edited { $0.removeLast() }) == .unexpectedEndOfFile(afterRecord: 4, expected: [.header, .end]))
    #expect(Self.refusal(Self.edited { $0.removeLast(2) }) == .unexpectedEndOfFile(afterRecord: 3, expected: [.data, .trailer]))
    #expect(Self.refusal(Self.edited { $0.append($0[4]) }) == .recordAfterEnd(record: 6))
    #expect(
      Self.refusal(Self.edited { $0.insert($0[0], at: 1) })?.description
        == "2件目のレコードがヘッダー・レコード（1）ですが、ここに来られるのはデータ・レコード（2）かトレーラ・レコード（8）です（並びは ヘッダー、データ…、トレーラ をくり返し、最後にエンド）")
  }

  @Test(
    "a trailer whose counts or sums disagree with its data records is refused, with both figures",
    arguments: [
      ("入金件数", 2, 6, "2", BankFileError.countMismatch(record: 4, field: RecordField("入金件数", 2, 6, .numeric), found: 2, expected: 1)),
      ("入金額合計", 8, 13, "999", .amountMismatch(record: 4, field: RecordField("入金額合計", 8, 13, .numeric), found: Yen(999), expected: Yen(1_000))),
      ("出金件数", 21, 6, "0", .countMismatch(record: 4, field: RecordField("出金件数", 21, 6, .numeric), found: 0, expected: 1)),
      ("出金額合計", 27, 13, "301", .amountMismatch(record: 4, field: RecordField("出金額合計", 27, 13, .numeric), found: Yen(301), expected: Yen(300))),
      (
        "データ・レコード件数", 55, 7, "3",
        .countMismatch(record: 4, field: RecordField("データ・レコード件数", 55, 7, .numeric), found: 3, expected: 2)
      ),
    ])
  func trailerMismatch(field: String, position: Int, length: Int, value: String, expected: BankFileError) {
    #expect(Fixture.position(of: field, in: Fixture.trailer03) == position)
    let padded = String(repeating: "0", count: length - value.count) + value
    #expect(Self.refusal(Self.edited { Self.replace(&$0, record: 4, at: position, with: padded) }) == expected)
  }

  @Test("trailer messages say what the file says and what the records add up to")
  func trailerMessages() {
    let count = Self.refusal(Self.edited { Self.replace(&$0, record: 4, at: 2, with: "000002") })
    #expect(count?.description == "4件目のレコード、入金件数（2〜7バイト目）: 2件とありますが、レコードを数えると1件です")
    let sum = Self.refusal(Self.edited { Self.replace(&$0, record: 4, at: 8, with: "0000000000999") })
    #expect(sum?.description == "4件目のレコード、入金額合計（8〜20バイト目）: 999円とありますが、データ・レコードの合計は1,000円です")
  }

  @Test("a closing balance that is not opening + in − out is refused with the sum")
  func closingBalanceWrong() {
    let file = Self.edited { Self.replace(&$0, record: 4, at: 41, with: "00000005000701") }
    let field = RecordField("取引後残高", 41, 14, .numeric)
    let error = Self.refusal(file)
    #expect(
      error
        == .closingBalanceMismatch(
          record: 4, field: field, found: Yen(5_000_701), expected: Yen(5_000_700), opening: Yen(5_000_000), paidIn: Yen(1_000),
          paidOut: Yen(300)))
    #expect(
      error?.description
        == "4件目のレコード、取引後残高（41〜54バイト目）: 5,000,701円とありますが、取引前残高 5,000,000円 + 入金 1,000円 − 出金 300円 = 5,000,700円です")
    // The sign counts: the right figure with 貸越区分 2 is wrong too.
    let negative = Self.edited { Self.replace(&$0, record: 4, at: 40, with: "2") }
    #expect(
      Self.refusal(negative)
        == .closingBalanceMismatch(
          record: 4, field: field, found: Yen(-5_000_700), expected: Yen(5_000_700), opening: Yen(5_000_000), paidIn: Yen(1_000),
          paidOut: Yen(300)))
  }

  @Test("an end record whose 口座数 disagrees with the accounts is refused")
  func accountCountWrong() {
    let file = F.statement([Self.ordinary, Self.overdrawnCurrent], end: ["口座数": "1"])
    #expect(Self.refusal(file) == .countMismatch(record: 9, field: RecordField("口座数", 12, 5, .numeric), found: 1, expected: 2))
    #expect(Self.refusal(file)?.description == "9件目のレコード、口座数（12〜16バイト目）: 1件とありますが、レコードを数えると2件です")
  }

  @Test("a date that cannot exist (令和5年2月30日) is refused, each era's reason given")
  func impossibleDate() {
    let file = Self.edited { Self.replace(&$0, record: 2, at: 10, with: "050230") }
    let error = Self.refusal(file)
    #expect(error == .impossibleDate(record: 2, field: RecordField("勘定日", 10, 6, .numeric), found: "050230", eras: [.reiwa, .heisei]))
    #expect(
      error?.description
        == "2件目のレコード、勘定日（10〜15バイト目）: 「050230」は日付になりません。令和5年2月30日という日付はありません（その月は28日までです）。平成5年2月30日という日付はありません（その月は28日までです）")
  }

  @Test("a header date that cannot exist is refused too: 作成日 13月")
  func impossibleCreationDate() {
    let file = Self.edited { Self.replace(&$0, record: 1, at: 5, with: "061301") }
    #expect(Self.refusal(file) == .impossibleDate(record: 1, field: RecordField("作成日", 5, 6, .numeric), found: "061301", eras: [.reiwa, .heisei]))
  }

  @Test("non-digits in an N field are refused, naming the field and its bytes")
  func notDigits() {
    let file = Self.edited { Self.replace(&$0, record: 2, at: 25, with: "00000000100A") }
    let error = Self.refusal(file)
    #expect(error == .notDigits(record: 2, field: RecordField("取引金額", 25, 12, .numeric), found: "00000000100A"))
    #expect(error?.description == "2件目のレコード、取引金額（25〜36バイト目）: 「00000000100A」に数字でない文字があります。数字12桁（右詰め、前を0で埋める）で書きます")
  }

  @Test("a required field left blank is refused")
  func blankRequired() {
    let file = Self.edited { Self.replace(&$0, record: 2, at: 2, with: "        ") }
    #expect(Self.refusal(file) == .blankField(record: 2, field: RecordField("照会番号", 2, 8, .numeric)))
  }

  @Test("a Shift_JIS double-byte character is refused, naming the field and the byte")
  func doubleByte() {
    // 「あ」 in Shift_JIS is 0x82 0xA0, at the start of 摘要内容 (bytes 160–179).
    let file = Self.edited { $0[1].replaceSubrange(159..<161, with: [0x82, 0xA0]) }
    let error = Self.refusal(file)
    #expect(error == .doubleByteCharacter(record: 2, field: RecordField("摘要内容", 160, 20, .character), position: 160, found: "0x82 0xA0"))
    #expect(
      error?.description == "2件目のレコード、摘要内容（160〜179バイト目）: 160バイト目に全角文字（Shift_JIS の2バイト文字 0x82 0xA0）があります。全銀ファイルは半角（JIS8）だけです")
  }

  @Test("a control character inside a record is refused")
  func controlCharacter() {
    let file = Self.edited { $0[0][80] = 0x09 }
    #expect(Self.refusal(file) == .invalidByte(record: 1, field: RecordField("口座名", 74, 40, .character), position: 81, found: 0x09))
  }

  @Test("EBCDIC is refused with a clear error: コード区分 1, or EBCDIC bytes")
  func ebcdic() {
    let field = RecordField("コード区分", 4, 1, .numeric)
    let declared = Self.edited { Self.replace(&$0, record: 1, at: 4, with: "1") }
    #expect(Self.refusal(declared) == .ebcdic(record: 1, field: field))
    #expect(
      Self.refusal(declared)?.description == "1件目のレコード、コード区分（4バイト目）: EBCDIC のファイル（コード区分 1）は読めません。JIS（コード区分 0）で出力するよう銀行に依頼してください")
    // 1, 0, 3, 1 in EBCDIC are 0xF1 0xF0 0xF3 0xF1.
    let encoded = Self.edited { $0[0].replaceSubrange(0..<4, with: [0xF1, 0xF0, 0xF3, 0xF1]) }
    #expect(Self.refusal(encoded) == .ebcdic(record: 1, field: field))
  }

  @Test("another 全銀 format is refused by its 種別コード")
  func wrongFileKind() {
    let file = Self.edited { Self.replace(&$0, record: 1, at: 2, with: "01") }
    #expect(Self.refusal(file) == .wrongFileKind(record: 1, field: RecordField("種別コード", 2, 2, .numeric), found: "01", expected: "03"))
    #expect(Self.refusal(file)?.description == "1件目のレコード、種別コード（2〜3バイト目）: 種別コードが「01」（振込入金通知）です。読めるのは 03（入出金取引明細） のファイルです")
  }

  @Test("codes the layout does not define are refused with the list: 入払区分, 預金種目, 取引区分, 貸越区分")
  func unknownCodes() {
    #expect(
      Self.refusal(Self.edited { Self.replace(&$0, record: 2, at: 22, with: "3") })
        == .unknownCode(record: 2, field: RecordField("入払区分", 22, 1, .numeric), found: "3", expected: ["1 入金", "2 出金"]))
    #expect(
      Self.refusal(Self.edited { Self.replace(&$0, record: 1, at: 63, with: "3") })
        == .unknownCode(
          record: 1, field: RecordField("預金種目", 63, 1, .numeric), found: "3",
          expected: ["1 普通", "2 当座", "4 貯蓄", "5 通知", "6 定期", "7 積立定期"]))
    #expect(
      Self.refusal(Self.edited { Self.replace(&$0, record: 2, at: 23, with: "16") })
        == .unknownCode(
          record: 2, field: RecordField("取引区分", 23, 2, .numeric), found: "16",
          expected: ["10 現金", "11 振込", "12 他店券入金", "13 交換", "14 振替", "15 継続", "18 その他", "19 訂正"]))
    #expect(
      Self.refusal(Self.edited { Self.replace(&$0, record: 1, at: 114, with: "3") })
        == .unknownCode(record: 1, field: RecordField("貸越区分（取引前残高）", 114, 1, .numeric), found: "3", expected: ["1 プラス", "2 マイナス（貸越）"]))
  }

  @Test("a fault in the second account refuses the whole file")
  func wholeFile() {
    var records = F.records(of: F.statement([Self.ordinary, Self.overdrawnCurrent]))
    Self.replace(&records, record: 7, at: 25, with: "00000050000X")
    #expect(Self.refusal(F.join(records, .crlfAfterEach)) == .notDigits(record: 7, field: RecordField("取引金額", 25, 12, .numeric), found: "00000050000X"))
  }

  @Test("an empty file is refused")
  func empty() {
    #expect(Self.refusal([]) == .emptyFile)
    #expect(Self.refusal([0x0D, 0x0A]) == .emptyFile)
  }

  // MARK: - JSON

  @Test("the statement encodes as the documented JSON: sorted keys, ISO dates, signed integer yen")
  func json() throws {
    let account = F.Account(
      header: ["貸越区分": "2", "取引前残高": "100"], lines: [F.line("00000001", "060401", "1", 1_000, ["振込依頼人名または契約者番号": "ｶ)ｶﾅｶﾞﾜ", "摘要内容": "ﾌﾘｺﾐ"])])
    let statement = try Self.parse(F.statement([account]))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(statement)
    let text = String(decoding: data, as: UTF8.self)
    // Bytes, not String equality (which is canonical): ガ must be U+30AC, not カ + U+3099.
    #expect(
      Array(data)
        == Array(#"{"accounts":[{"accountName":"ザイ)カナガワケン","accountNumber":"0001234567","bankCode":"0138","bankName":"ヨコハマ","branchCode":"001","branchName":"ホンテン","closingBalanceYen":900,"createdOn":"2024-04-05","depositType":"ordinary","lines":[{"amountYen":1000,"counterparty":"カ)カナガワ","direction":"in","inquiryNumber":"00000001","postingDate":"2024-04-01","summary":"フリコミ","valueDate":"2024-04-01"}],"openingBalanceYen":-100,"periodFrom":"2024-04-01","periodTo":"2024-04-04"}],"framing":"crlf-after-each"}"#.utf8))
    #expect(try JSONDecoder().decode(Statement.self, from: Data(text.utf8)) == statement)
  }
}
