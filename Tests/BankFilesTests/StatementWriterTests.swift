import BankFiles
import Foundation
import JapaneseCalendar
import SharedKernel
import Testing

/// Writing statements: a 全銀 入出金取引明細 file (種別 03) and a bank CSV, each the inverse of its
/// parser, byte for byte where the layout leaves no choice; and every statement the file cannot
/// carry refused with the account, the line and the field.
@Suite("BankFiles: writing statements (全銀 入出金取引明細 and CSV)")
struct StatementWriterTests {
  typealias F = Fixture

  static func date(_ text: String) -> LocalDate { (try? LocalDate(iso8601: text)) ?? .earliest }

  static let createdOn = date("2024-04-05")
  static let importedOn = date("2024-04-08")

  // MARK: - The statement

  /// 普通: a remittance with every optional field, a fee with no counterparty, a back-valued
  /// 口座振替 with a contract number and an 照会番号 with leading zeros, a cheque paid in.
  static let ordinary = AccountStatement(
    bankCode: "0138", bankName: "ヨコハマ", branchCode: "001", branchName: "ホンテン", depositType: .ordinary, accountNumber: "0001234567",
    accountName: "ザイ)カナガワケン パークサイド", createdOn: createdOn, periodFrom: date("2024-04-01"), periodTo: date("2024-04-04"),
    openingBalance: Yen(5_000_000), closingBalance: Yen(3_999_670),
    lines: [
      StatementLine(
        inquiryNumber: "00000001", postingDate: date("2024-04-01"), valueDate: date("2024-04-01"), direction: .in, amount: Yen(1_000_000),
        counterparty: "カ)カナガワショウジ", summary: "フリコミ", transactionKind: .transfer, remitterCode: "0000000042", originBankName: "ミズホ",
        originBranchName: "ヨコハマ", edi: "INV-2024-0401"),
      StatementLine(
        inquiryNumber: "00000002", postingDate: date("2024-04-02"), valueDate: date("2024-04-02"), direction: .out, amount: Yen(330),
        summary: "テスウリヨウ", transactionKind: .bookTransfer),
      StatementLine(
        inquiryNumber: "00000987", postingDate: date("2024-04-04"), valueDate: date("2024-04-03"), direction: .out, amount: Yen(2_500_000),
        counterparty: "00000123456789012345", summary: "コウザフリカエ"),
      StatementLine(
        inquiryNumber: "00004321", postingDate: date("2024-04-04"), valueDate: date("2024-04-04"), direction: .in, amount: Yen(500_000),
        counterparty: "ヴイ・パートナーズ", summary: "タテンケン", transactionKind: .otherBankCheques, otherBankCheques: Yen(500_000)),
    ])

  /// 当座, overdrawn before and after.
  static let overdrawn = AccountStatement(
    bankCode: "0005", bankName: "ミツビシUFJ", branchCode: "010", branchName: "ヨコハマエキマエ", depositType: .current,
    accountNumber: "0000012345", accountName: "(カ)カナガワギンコウ", createdOn: createdOn, periodFrom: date("2024-04-03"),
    periodTo: date("2024-04-04"), openingBalance: Yen(-200_000), closingBalance: Yen(-450_000),
    lines: [
      StatementLine(
        inquiryNumber: "00000001", postingDate: date("2024-04-03"), valueDate: date("2024-04-03"), direction: .in, amount: Yen(500_000),
        summary: "ゲンキン", transactionKind: .cash),
      StatementLine(
        inquiryNumber: "00000002", postingDate: date("2024-04-04"), valueDate: date("2024-04-04"), direction: .out, amount: Yen(750_000),
        summary: "テガタ", transactionKind: .clearing),
    ])

  static let statement = Statement(accounts: [ordinary, overdrawn])

  /// What the file gives back: small kana written large (ショ → ｼﾖ → シヨ), nothing else changed.
  static var readBack: [AccountStatement] {
    var accounts = statement.accounts
    accounts[0].lines[0].counterparty = "カ)カナガワシヨウジ"
    return accounts
  }

  /// The same file assembled from the layout tables of zengin-layout.md, field by field.
  static let fixture: [F.Account] = [
    F.Account(
      header: ["口座番号": "0001234567", "口座名": "ｻﾞｲ)ｶﾅｶﾞﾜｹﾝ ﾊﾟｰｸｻｲﾄﾞ", "通帳・証書区分": "0"],
      lines: [
        F.line(
          "00000001", "060401", "1", 1_000_000,
          [
            "取引区分": "11", "振込依頼人コード": "42", "振込依頼人名または契約者番号": "ｶ)ｶﾅｶﾞﾜｼﾖｳｼﾞ", "仕向銀行名": "ﾐｽﾞﾎ", "仕向店名": "ﾖｺﾊﾏ",
            "摘要内容": "ﾌﾘｺﾐ", "EDI情報": "INV-2024-0401",
          ]),
        F.line("00000002", "060402", "2", 330, ["取引区分": "14", "摘要内容": "ﾃｽｳﾘﾖｳ"]),
        F.line("00000987", "060404", "2", 2_500_000, ["預入・払出日": "060403", "振込依頼人名または契約者番号": "00000123456789012345", "摘要内容": "ｺｳｻﾞﾌﾘｶｴ"]),
        F.line(
          "00004321", "060404", "1", 500_000,
          ["取引区分": "12", "うち他店券金額": "500000", "振込依頼人名または契約者番号": "ｳﾞｲ･ﾊﾟｰﾄﾅｰｽﾞ", "摘要内容": "ﾀﾃﾝｹﾝ"]),
      ]),
    F.Account(
      header: [
        "勘定日（自）": "060403", "銀行コード": "0005", "銀行名": "ﾐﾂﾋﾞｼUFJ", "支店コード": "010", "支店名": "ﾖｺﾊﾏｴｷﾏｴ", "預金種目": "2",
        "口座番号": "12345", "口座名": "(ｶ)ｶﾅｶﾞﾜｷﾞﾝｺｳ", "貸越区分": "2", "取引前残高": "200000", "通帳・証書区分": "0",
      ],
      lines: [
        F.line("00000001", "060403", "1", 500_000, ["取引区分": "10", "摘要内容": "ｹﾞﾝｷﾝ"]),
        F.line("00000002", "060404", "2", 750_000, ["取引区分": "13", "摘要内容": "ﾃｶﾞﾀ"]),
      ]),
  ]

  static func write(_ statement: Statement, createdOn: LocalDate = createdOn, separator: RecordSeparator = .none) throws(BankFileError)
    -> [UInt8]
  {
    try ZenginStatement.write(statement, createdOn: createdOn, separator: separator)
  }

  /// The error `statement` is refused with (or a test failure if it is written).
  static func refusal(_ statement: Statement, createdOn: LocalDate = createdOn) -> BankFileError? {
    do {
      _ = try write(statement, createdOn: createdOn)
      Issue.record("the statement was written")
      return nil
    } catch {
      return error
    }
  }

  /// The statement with `edit` applied.
  static func edited(_ edit: (inout Statement) -> Void) -> Statement {
    var statement = statement
    edit(&statement)
    return statement
  }

  /// The text of the field `name` of a record, by the fixture's layout table.
  static func field(_ name: String, of record: [UInt8], _ layout: [F.Field]) -> String {
    let start = F.position(of: name, in: layout) - 1
    let length = layout.first { $0.name == name }?.length ?? 0
    return JIS8.decode(record[start..<start + length])
  }

  static func place(_ account: Int, line: Int? = nil) -> StatementLocation {
    StatementLocation(account: account, accountNumber: account == 1 ? "0001234567" : "0000012345", line: line)
  }

  // MARK: - Round trips

  @Test(
    "a two-account statement reads back as written, with each separator",
    arguments: [(RecordSeparator.none, RecordFraming.unseparated, 200), (.crlf, .lineBreakAfterEachRecord, 202)])
  func roundTrip(separator: RecordSeparator, framing: RecordFraming, recordSize: Int) throws {
    let file = try Self.write(Self.statement, separator: separator)
    // Header, 4 lines, trailer; header, 2 lines, trailer; end.
    #expect(file.count == 11 * recordSize)
    if separator == .crlf {
      #expect(stride(from: 200, to: file.count, by: 202).allSatisfy { file[$0] == 0x0D && file[$0 + 1] == 0x0A })
    }
    let read = try ZenginStatement.parse(file, importedOn: Self.importedOn)
    #expect(read.accounts == Self.readBack)
    #expect(read.framing == framing)
  }

  @Test("the written file is the layout's records, byte for byte, with each separator", arguments: [RecordSeparator.none, .crlf])
  func bytes(separator: RecordSeparator) throws {
    let expected = F.statement(Self.fixture, separator: separator == .crlf ? .crlfAfterEach : .none)
    #expect(try Self.write(Self.statement, separator: separator) == expected)
  }

  @Test("a hand-built fixture, parsed and written again, is its own bytes but for 通帳・証書区分")
  func fixtureWrittenAgain() throws {
    let accounts = [ZenginStatementTests.ordinary, ZenginStatementTests.overdrawnCurrent]
    let fixture = F.statement(accounts)
    let parsed = try ZenginStatement.parse(fixture, importedOn: Self.importedOn)
    let written = try Self.write(parsed, createdOn: Self.date("2024-04-05"), separator: .crlf)
    // The one choice that differs: the fixture says 通帳 (1) in 通帳・証書区分, which the statement
    // does not hold; the writer leaves it absent (0). Everything else is the fixture's.
    let passbook = F.position(of: "通帳・証書区分", in: F.header03) - 1
    var records = F.records(of: fixture)
    let headers = records.indices.filter { records[$0][0] == 0x31 }
    #expect(headers == [0, 5])
    #expect(headers.allSatisfy { records[$0][passbook] == 0x31 && written[$0 * 202 + passbook] == 0x30 })
    for index in headers { records[index][passbook] = 0x30 }
    #expect(written == F.join(records, .crlfAfterEach))
    // With the writer's choice in the fixture itself, the same bytes without separators too.
    let same = accounts.map { account in F.Account(header: account.header.merging(["通帳・証書区分": "0"]) { $1 }, lines: account.lines) }
    #expect(try Self.write(parsed, createdOn: Self.date("2024-04-05")) == F.statement(same, separator: .none))
    #expect(try ZenginStatement.parse(written, importedOn: Self.importedOn).accounts == parsed.accounts)
  }

  @Test("every JIS8 character but the small kana is written back to its own byte, through readable and back")
  func everyCharacter() throws {
    let bytes: [UInt8] = Array(0x21...0x7E) + Array(0xA1...0xA6) + Array(0xB0...0xDF)
    let chunks = stride(from: 0, to: bytes.count, by: 48).map { Array(bytes[$0..<min($0 + 48, bytes.count)]) }
    let day = Self.date("2024-04-01")
    let lines = chunks.enumerated().map { offset, chunk in
      StatementLine(
        inquiryNumber: String(offset + 1), postingDate: day, valueDate: day, direction: .in, amount: Yen(1),
        counterparty: JIS8.readable(JIS8.decode(chunk)))
    }
    var account = Self.ordinary
    account.lines = lines
    account.closingBalance = Yen(5_000_000 + Int64(lines.count))
    let file = try Self.write(Statement(accounts: [account]), separator: .crlf)
    let records = F.records(of: file)
    for (offset, chunk) in chunks.enumerated() {
      let written = Array(records[offset + 1][81..<129])
      #expect(written == chunk + Array(repeating: 0x20, count: 48 - chunk.count))
    }
    #expect(try ZenginStatement.parse(file, importedOn: Self.importedOn).accounts.first?.lines.map(\.counterparty) == lines.map(\.counterparty))
  }

  @Test("full-width katakana are written half-width: ガ → ｶﾞ, パ → ﾊﾟ, ヴ → ｳﾞ, ー → ｰ, ・ → ･, small kana large")
  func kana() throws {
    var account = Self.overdrawn
    account.accountName = "ガパヴー ショッピング・センターヵヶヮ"
    account.lines[0].summary = "ｶ)ﾊﾝｶｸ"  // half-width input is written as it is
    account.lines[1].summary = "ＡＴＭ　カ゛ード¥"  // full-width ASCII and space by NFKC, ゛ as ﾞ, ¥ as 0x5C
    let file = try Self.write(Statement(accounts: [account]), separator: .crlf)
    let records = F.records(of: file)
    #expect(Self.field("口座名", of: records[0], F.header03) == "ｶﾞﾊﾟｳﾞｰ ｼﾖﾂﾋﾟﾝｸﾞ･ｾﾝﾀｰｶｹﾜ" + String(repeating: " ", count: 16))
    #expect(Self.field("摘要内容", of: records[1], F.liquid03) == "ｶ)ﾊﾝｶｸ" + String(repeating: " ", count: 14))
    #expect(Array(records[2][159..<169]) == F.jis8("ATM ｶﾞｰﾄﾞ") + [0x5C])
    let read = try #require(try ZenginStatement.parse(file, importedOn: Self.importedOn).accounts.first)
    #expect(read.accountName == "ガパヴー シヨツピング・センターカケワ")
    #expect(read.lines.map(\.summary) == ["カ)ハンカク", "ATM ガード¥"])
    // Composed, as the reader gives names: ガ is U+30AC, not カ + U+3099.
    #expect(read.accountName.unicodeScalars.first == "\u{30AC}")
  }

  @Test("what the file cannot tell apart reads back normalised: short numbers zero-filled, absent values nil")
  func normalised() throws {
    var account = Self.overdrawn
    account.accountNumber = "12345"
    account.createdOn = nil
    account.lines[0].inquiryNumber = ""
    account.lines[0].remitterCode = "42"
    account.lines[0].otherBankCheques = .zero
    account.lines[0].originBankName = ""
    account.lines[0].counterparty = "ヤマダ タロウ  "
    account.lines[1].inquiryNumber = "7"
    account.lines[1].remitterCode = "0000000000"
    let read = try #require(try ZenginStatement.parse(try Self.write(Statement(accounts: [account])), importedOn: Self.importedOn).accounts.first)
    #expect(read.accountNumber == "0000012345" && read.createdOn == Self.createdOn)
    #expect(read.lines.map(\.inquiryNumber) == ["00000000", "00000007"])
    #expect(read.lines.map(\.remitterCode) == ["0000000042", nil])
    #expect(read.lines[0].otherBankCheques == nil && read.lines[0].originBankName == nil && read.lines[0].counterparty == "ヤマダ タロウ")
  }

  // MARK: - 和暦

  @Test(
    "dates are 和暦 YYMMDD in the era of the date itself: 2019-04-30 is 310430 (平成31年), 2019-05-01 is 010501 (令和元年)",
    arguments: [("2019-05-07", "010507"), ("2019-05-01", "010501")])
  func eraBoundary(created: String, createdDigits: String) throws {
    let last = Self.date("2019-04-30")
    let first = Self.date("2019-05-01")
    let account = AccountStatement(
      bankCode: "0138", branchCode: "001", depositType: .ordinary, accountNumber: "0001234567", createdOn: Self.date(created),
      periodFrom: last, periodTo: first, openingBalance: .zero, closingBalance: Yen(1_500),
      lines: [
        StatementLine(inquiryNumber: "00000001", postingDate: last, valueDate: last, direction: .in, amount: Yen(1_000)),
        StatementLine(inquiryNumber: "00000002", postingDate: first, valueDate: last, direction: .in, amount: Yen(500)),
      ])
    let file = try Self.write(Statement(accounts: [account]), createdOn: Self.date(created), separator: .crlf)
    let records = F.records(of: file)
    #expect(Self.field("作成日", of: records[0], F.header03) == createdDigits)
    #expect(Self.field("勘定日（自）", of: records[0], F.header03) == "310430")
    #expect(Self.field("勘定日（至）", of: records[0], F.header03) == "010501")
    #expect(Self.field("勘定日", of: records[1], F.liquid03) == "310430")
    #expect(Self.field("勘定日", of: records[2], F.liquid03) == "010501")
    #expect(Self.field("預入・払出日", of: records[2], F.liquid03) == "310430")
    #expect(try ZenginStatement.parse(file, importedOn: Self.date("2019-05-10")).accounts == [account])
  }

  @Test("a file made on the last day of 平成 says 310430, and its 平成 dates read back")
  func lastDayOfHeisei() throws {
    let day = Self.date("2019-04-30")
    let account = AccountStatement(
      bankCode: "0138", branchCode: "001", depositType: .ordinary, accountNumber: "0001234567", createdOn: day, periodFrom: day, periodTo: day,
      openingBalance: .zero, closingBalance: Yen(1),
      lines: [StatementLine(inquiryNumber: "00000001", postingDate: day, valueDate: Self.date("2019-04-26"), direction: .in, amount: Yen(1))])
    let file = try Self.write(Statement(accounts: [account]), createdOn: day)
    #expect(Self.field("作成日", of: Array(file[0..<200]), F.header03) == "310430")
    #expect(try ZenginStatement.parse(file, importedOn: Self.date("2019-05-07")).accounts == [account])
  }

  @Test(
    "a date the reader would take for another day, or could not read, is refused with what it would read",
    arguments: [
      // Thirty years back: 060401 is 令和6年 before it is 平成6年.
      ("2024-04-05", "1994-04-01", "2024-04-01"),
      // More than a year ahead: 070601 is then 平成7年.
      ("2024-04-05", "2025-06-01", "1995-06-01"),
      // 昭和63年 from a file made in 令和: 630101 is only 令和63年, decades ahead.
      ("2024-04-05", "1988-01-01", nil),
      // A 令和 value date in a file made in 平成: 010501 is 平成元年.
      ("2019-04-30", "2019-05-01", "1989-05-01"),
    ])
  func dateNotWritable(created: String, value: String, readsAs: String?) {
    // One line posted on 作成日, valued on `value`.
    let day = Self.date(created)
    var account = Self.ordinary
    (account.createdOn, account.periodFrom, account.periodTo) = (day, day, day)
    account.lines = [StatementLine(inquiryNumber: "00000001", postingDate: day, valueDate: Self.date(value), direction: .in, amount: Yen(1))]
    account.closingBalance = Yen(5_000_001)
    #expect(
      Self.refusal(Statement(accounts: [account]), createdOn: day)
        == .dateNotWritable(
          at: Self.place(1, line: 1), field: RecordField("預入・払出日（起算日）", 16, 6, .numeric), date: Self.date(value), reference: day,
          readsAs: readsAs.map(Self.date)))
  }

  @Test("the date messages say how the date is written and how it would read")
  func dateMessages() {
    let back = Self.refusal(Self.edited { $0.accounts[0].lines[0].postingDate = Self.date("1994-04-01") })
    #expect(
      back?.description
        == "口座1（口座番号 0001234567）の明細1行目、勘定日（10〜15バイト目）: 1994-04-01（平成6年4月1日）は「060401」と書きますが、作成日（2024-04-05）から元号を決めると2024-04-01（令和6年4月1日）と読まれます。全銀の日付には元号がないため、作成日の元号かその前の元号の、作成日の1年後までの日付しか書けません"
    )
    let period = Self.refusal(Self.edited { $0.accounts[1].periodFrom = Self.date("1988-12-01") })
    #expect(
      period
        == .dateNotWritable(
          at: Self.place(2), field: RecordField("勘定日（自）", 11, 6, .numeric), date: Self.date("1988-12-01"), reference: Self.createdOn,
          readsAs: nil))
    #expect(
      period?.description
        == "口座2（口座番号 0000012345）、勘定日（自）（11〜16バイト目）: 1988-12-01（昭和63年12月1日）は「631201」と書きますが、作成日（2024-04-05）から元号を決めると読めない日付になります。全銀の日付には元号がないため、作成日の元号かその前の元号の、作成日の1年後までの日付しか書けません"
    )
    // 令和100年 has three digits.
    let far = Self.date("2118-01-01")
    let created = Self.refusal(Self.statement, createdOn: far)
    #expect(created == .dateNotWritable(at: .file, field: RecordField("作成日", 5, 6, .numeric), date: far, reference: far, readsAs: nil))
    #expect(created?.description == "ファイル全体、作成日（5〜10バイト目）: 2118-01-01（令和100年1月1日）は和暦の年が3桁になり、YYMMDD の6桁に書けません")
  }

  // MARK: - Refusals

  @Test("a statement without accounts is refused")
  func noAccounts() {
    #expect(Self.refusal(Statement(accounts: [])) == .noAccounts)
    #expect(Self.refusal(Statement(accounts: []))?.description == "口座が1つもありません。入出金取引明細には少なくとも1口座が必要です")
  }

  @Test("通知・定期・積立定期 and その他 accounts are refused, naming the account", arguments: [DepositType.notice, .time, .installmentTime, .other])
  func depositTypeNotWritable(type: DepositType) {
    let statement = Self.edited { $0.accounts[1].depositType = type }
    #expect(Self.refusal(statement) == .depositTypeNotWritable(at: Self.place(2), depositType: type))
  }

  @Test("the deposit-type messages say what can be written")
  func depositTypeMessages() {
    #expect(
      Self.refusal(Self.edited { $0.accounts[1].depositType = .time })?.description
        == "口座2（口座番号 0000012345）: 預金種目が定期です。通知・定期・積立定期の明細レコード（定期預金の形式）は書き出せません。普通・当座・貯蓄の口座だけを書きます")
    #expect(
      Self.refusal(Self.edited { $0.accounts[0].depositType = .other })?.description
        == "口座1（口座番号 0001234567）: 預金種目がその他です。入出金取引明細にその他の預金種目コードはありません（1 普通、2 当座、4 貯蓄、5 通知、6 定期、7 積立定期）")
    // 貯蓄 is written with the 普通・当座 record.
    #expect(throws: Never.self) { try Self.write(Self.edited { $0.accounts[0].depositType = .savings }) }
  }

  @Test("time-deposit terms on an ordinary account's line are refused, not dropped")
  func timeDepositTerms() {
    let statement = Self.edited { $0.accounts[0].lines[2].timeDeposit = TimeDepositTerms(annualRatePercent: "0.0020") }
    #expect(Self.refusal(statement) == .timeDepositTermsNotWritable(at: Self.place(1, line: 3)))
  }

  @Test("a reversed period is refused")
  func reversedPeriod() {
    let statement = Self.edited { $0.accounts[0].periodTo = Self.date("2024-03-31") }
    #expect(Self.refusal(statement) == .periodNotWritable(at: Self.place(1), from: Self.date("2024-04-01"), to: Self.date("2024-03-31")))
  }

  @Test("a closing balance the lines do not add up to is refused with the sum")
  func closingBalance() {
    let error = Self.refusal(Self.edited { $0.accounts[1].closingBalance = Yen(-450_001) })
    #expect(
      error
        == .closingBalanceNotWritable(
          at: Self.place(2), found: Yen(-450_001), expected: Yen(-450_000), opening: Yen(-200_000), paidIn: Yen(500_000), paidOut: Yen(750_000)))
    #expect(
      error?.description
        == "口座2（口座番号 0000012345）: 取引後残高が-450,001円とありますが、取引前残高 -200,000円 + 入金 500,000円 − 出金 750,000円 = -450,000円です")
  }

  @Test("a character no JIS8 byte holds is refused, naming the account, the line and the field")
  func characterNotWritable() {
    let kanji = Self.refusal(Self.edited { $0.accounts[0].lines[1].counterparty = "カ)神奈川" })
    #expect(
      kanji
        == .characterNotWritable(
          at: Self.place(1, line: 2), field: RecordField("振込依頼人名または契約者番号", 82, 48, .character), text: "カ)神奈川", character: "神",
          position: 3))
    #expect(
      kanji?.description
        == "口座1（口座番号 0001234567）の明細2行目、振込依頼人名または契約者番号（82〜129バイト目）: 「カ)神奈川」の3文字目「神」は全銀ファイル（JIS8）に書けません。漢字は書けません。カタカナで書きます")
    #expect(
      Self.refusal(Self.edited { $0.accounts[1].accountName = "カナがわ" })
        == .characterNotWritable(at: Self.place(2), field: RecordField("口座名", 74, 40, .character), text: "カナがわ", character: "が", position: 3))
    #expect(
      Self.refusal(Self.edited { $0.accounts[0].lines[3].summary = "ヰスキー" })
        == .characterNotWritable(
          at: Self.place(1, line: 4), field: RecordField("摘要内容", 160, 20, .character), text: "ヰスキー", character: "ヰ", position: 1))
    // \ is 0x5C, which reads back as ¥: refused rather than changed.
    let backslash = Self.refusal(Self.edited { $0.accounts[0].lines[0].edi = "A\\B" })
    #expect(
      backslash
        == .characterNotWritable(
          at: Self.place(1, line: 1), field: RecordField("EDI情報", 180, 20, .character), text: "A\\B", character: "\\", position: 2))
    #expect(backslash?.description.hasSuffix("JIS8 の 0x5C は ¥ です。¥ と書きます") == true)
  }

  @Test("a text longer than its field is refused, ガ counting two bytes")
  func textTooLong() throws {
    let name = String(repeating: "A", count: 41)
    #expect(
      Self.refusal(Self.edited { $0.accounts[0].accountName = name })
        == .textTooLongToWrite(at: Self.place(1), field: RecordField("口座名", 74, 40, .character), text: name, length: 41))
    // 24 ガ are 48 bytes (ｶﾞ × 24): they fit; 25 do not.
    let fits = String(repeating: "ガ", count: 24)
    #expect(throws: Never.self) { try Self.write(Self.edited { $0.accounts[0].lines[0].counterparty = fits }) }
    let error = Self.refusal(Self.edited { $0.accounts[0].lines[0].counterparty = fits + "ガ" })
    #expect(
      error
        == .textTooLongToWrite(
          at: Self.place(1, line: 1), field: RecordField("振込依頼人名または契約者番号", 82, 48, .character), text: fits + "ガ", length: 50))
    #expect(error?.description.hasSuffix("は半角で50文字（濁点・半濁点も1文字）です。この項目は48文字までです") == true)
  }

  @Test("codes of the wrong number of digits are refused, saying how many")
  func digitsNotWritable() {
    let exactly4 = "数字4桁（前の0も含めて）"
    #expect(
      Self.refusal(Self.edited { $0.accounts[0].bankCode = "138" })
        == .digitsNotWritable(at: Self.place(1), field: RecordField("銀行コード", 23, 4, .numeric), found: "138", expected: exactly4))
    #expect(
      Self.refusal(Self.edited { $0.accounts[1].branchCode = "01A" })
        == .digitsNotWritable(at: Self.place(2), field: RecordField("支店コード", 42, 3, .numeric), found: "01A", expected: "数字3桁（前の0も含めて）"))
    let account = "数字1〜10桁（足りない桁は前を0で埋めます）"
    let field = RecordField("口座番号", 64, 10, .numeric)
    #expect(
      Self.refusal(Self.edited { $0.accounts[0].accountNumber = "12345678901" })
        == .digitsNotWritable(
          at: StatementLocation(account: 1, accountNumber: "12345678901"), field: field, found: "12345678901", expected: account))
    #expect(
      Self.refusal(Self.edited { $0.accounts[0].accountNumber = "" })
        == .digitsNotWritable(at: StatementLocation(account: 1, accountNumber: ""), field: field, found: "", expected: account))
    let inquiry = RecordField("照会番号", 2, 8, .numeric)
    #expect(
      Self.refusal(Self.edited { $0.accounts[1].lines[1].inquiryNumber = "123456789" })
        == .digitsNotWritable(at: Self.place(2, line: 2), field: inquiry, found: "123456789", expected: "数字8桁まで（足りない桁は前を0で埋めます）"))
    #expect(
      Self.refusal(Self.edited { $0.accounts[1].lines[1].inquiryNumber = "12-3" })
        == .digitsNotWritable(at: Self.place(2, line: 2), field: inquiry, found: "12-3", expected: "数字8桁まで（足りない桁は前を0で埋めます）"))
    let error = Self.refusal(Self.edited { $0.accounts[0].lines[0].remitterCode = "ABC" })
    #expect(
      error
        == .digitsNotWritable(
          at: Self.place(1, line: 1), field: RecordField("振込依頼人コード", 72, 10, .numeric), found: "ABC", expected: "数字10桁まで（足りない桁は前を0で埋めます）"))
    #expect(
      error?.description == "口座1（口座番号 0001234567）の明細1行目、振込依頼人コード（72〜81バイト目）: 「ABC」は書けません。数字10桁まで（足りない桁は前を0で埋めます）で書きます")
  }

  @Test("amounts, totals and balances that overflow their fields are refused with the range")
  func amountNotWritable() {
    let amount = RecordField("取引金額", 25, 12, .numeric)
    let lineAmounts: ClosedRange<Int64> = 0...999_999_999_999
    let big = Self.edited {
      $0.accounts[1].lines[0].amount = Yen(1_000_000_000_000)
      $0.accounts[1].closingBalance = Yen(999_999_550_000)
    }
    #expect(Self.refusal(big) == .amountNotWritable(at: Self.place(2, line: 1), field: amount, found: Yen(1_000_000_000_000), allowed: lineAmounts))
    #expect(
      Self.refusal(big)?.description == "口座2（口座番号 0000012345）の明細1行目、取引金額（25〜36バイト目）: 1,000,000,000,000円は書けません（0円から999,999,999,999円まで）")
    #expect(
      Self.refusal(Self.edited { $0.accounts[1].lines[0].amount = Yen(-1) })
        == .amountNotWritable(at: Self.place(2, line: 1), field: amount, found: Yen(-1), allowed: lineAmounts))
    #expect(
      Self.refusal(Self.edited { $0.accounts[0].lines[3].otherBankCheques = Yen(1_000_000_000_000) })
        == .amountNotWritable(
          at: Self.place(1, line: 4), field: RecordField("うち他店券金額", 37, 12, .numeric), found: Yen(1_000_000_000_000), allowed: lineAmounts))

    let balances: ClosedRange<Int64> = -99_999_999_999_999...99_999_999_999_999
    #expect(
      Self.refusal(Self.edited { $0.accounts[1].openingBalance = Yen(-100_000_000_000_000) })
        == .amountNotWritable(
          at: Self.place(2), field: RecordField("取引前残高", 116, 14, .numeric), found: Yen(-100_000_000_000_000), allowed: balances))
    let closing = Self.edited {
      $0.accounts[1].openingBalance = Yen(99_999_999_999_999)
      $0.accounts[1].lines[1].amount = Yen(1)
      $0.accounts[1].closingBalance = Yen(100_000_000_499_998)
    }
    #expect(
      Self.refusal(closing)
        == .amountNotWritable(at: Self.place(2), field: RecordField("取引後残高", 41, 14, .numeric), found: Yen(100_000_000_499_998), allowed: balances))

    // Eleven of the largest amounts overflow 入金額合計's 13 digits.
    var account = Self.overdrawn
    account.lines = Array(repeating: account.lines[0], count: 11).map { line in
      var line = line
      line.amount = Yen(999_999_999_999)
      return line
    }
    account.closingBalance = Yen(-200_000 + 11 * 999_999_999_999)
    #expect(
      Self.refusal(Statement(accounts: [Self.ordinary, account]))
        == .amountNotWritable(
          at: Self.place(2), field: RecordField("入金額合計", 8, 13, .numeric), found: Yen(10_999_999_999_989), allowed: 0...9_999_999_999_999))
  }

  @Test("more lines or accounts than the count fields hold are refused before anything is written")
  func countNotWritable() {
    var account = Self.overdrawn
    account.lines = Array(repeating: account.lines[1], count: 1_000_000)
    account.closingBalance = Yen(-200_000 - 750_000 * 1_000_000)
    #expect(
      Self.refusal(Statement(accounts: [Self.ordinary, account]))
        == .countNotWritable(at: Self.place(2), field: RecordField("出金件数", 21, 6, .numeric), found: 1_000_000, maximum: 999_999))
    let accounts = Statement(accounts: Array(repeating: Self.overdrawn, count: 100_000))
    let error = Self.refusal(accounts)
    #expect(error == .countNotWritable(at: .file, field: RecordField("口座数", 12, 5, .numeric), found: 100_000, maximum: 99_999))
    #expect(error?.description == "ファイル全体、口座数（12〜16バイト目）: 100000件は書けません（99999件まで）")
    // As many accounts as 口座数 holds are written (bare ones: header and trailer each).
    let bare = AccountStatement(
      bankCode: "0138", branchCode: "001", depositType: .ordinary, accountNumber: "1", periodFrom: Self.createdOn, periodTo: Self.createdOn,
      openingBalance: .zero, closingBalance: .zero, lines: [])
    let file = try? Self.write(Statement(accounts: Array(repeating: bare, count: 99_999)))
    #expect(file?.count == (99_999 * 2 + 1) * 200)
    #expect(file.map { Array($0[($0.count - 199)..<($0.count - 184)]) } == F.jis8("000019999999999"))
  }

  // MARK: - CSV

  /// What a CSV carries of `statement`: no 作成日, the period of the posting dates, no 取引区分,
  /// うち他店券金額, 振込依頼人コード, 仕向銀行・店名, EDI情報.
  static func csvShape(_ statement: Statement) -> [AccountStatement] {
    statement.accounts.map { account in
      var account = account
      account.createdOn = nil
      account.periodFrom = account.lines.map(\.postingDate).min() ?? account.periodFrom
      account.periodTo = account.lines.map(\.postingDate).max() ?? account.periodTo
      account.lines = account.lines.map {
        StatementLine(
          inquiryNumber: $0.inquiryNumber, postingDate: $0.postingDate, valueDate: $0.valueDate, direction: $0.direction, amount: $0.amount,
          counterparty: $0.counterparty, summary: $0.summary)
      }
      return account
    }
  }

  @Test("CSV: a written statement reads back as written, names full-width as given")
  func csvRoundTrip() throws {
    let read = try StatementCSV.parse(StatementCSV.write(Self.statement))
    #expect(read.accounts == Self.csvShape(Self.statement))
    #expect(read.encoding == .utf8 && read.framing == nil)
    // Small kana stay small: CSV is not JIS8.
    #expect(read.accounts.first?.lines.first?.counterparty == "カ)カナガワショウジ")
  }

  @Test("CSV: a parsed CSV written again reads back the same, and writes the same bytes")
  func csvInverse() throws {
    let parsed = try StatementCSV.parse(Data(StatementCSVTests.text.utf8))
    let written = StatementCSV.write(parsed)
    #expect(try StatementCSV.parse(written) == parsed)
    #expect(StatementCSV.write(try StatementCSV.parse(written)) == written)
  }

  @Test("CSV: UTF-8 with BOM, CRLF, every column in order, the running balance, quotes where needed")
  func csvBytes() {
    var account = Self.overdrawn
    account.lines[1].summary = "テガタ,\"コウカン\""
    account.lines[1].inquiryNumber = ""
    let data = StatementCSV.write(Statement(accounts: [account]))
    #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
    let text = String(decoding: data.dropFirst(3), as: UTF8.self)
    #expect(
      text
        == "bankCode,branchCode,depositType,accountNumber,postingDate,valueDate,direction,amountYen,balanceYen,counterparty,summary,inquiryNumber,bankName,branchName,accountName\r\n"
        + "0005,010,current,0000012345,2024-04-03,2024-04-03,in,500000,300000,,ゲンキン,00000001,ミツビシUFJ,ヨコハマエキマエ,(カ)カナガワギンコウ\r\n"
        + "0005,010,current,0000012345,2024-04-04,2024-04-04,out,750000,-450000,,\"テガタ,\"\"コウカン\"\"\",,ミツビシUFJ,ヨコハマエキマエ,(カ)カナガワギンコウ\r\n")
    #expect(StatementCSV.columns.joined(separator: ",") == String(text.prefix { $0 != "\r\n" }))
  }

  @Test("CSV: an account without lines has no rows")
  func csvNoLines() throws {
    var empty = Self.overdrawn
    empty.lines = []
    empty.closingBalance = empty.openingBalance
    let read = try StatementCSV.parse(StatementCSV.write(Statement(accounts: [Self.ordinary, empty])))
    #expect(read.accounts == Self.csvShape(Statement(accounts: [Self.ordinary])))
  }
}
