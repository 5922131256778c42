import BankFiles
import Foundation
import SharedKernel
import Testing

/// The bank-CSV statement: UTF-8 or Shift_JIS into the same `Statement` as a 全銀 file, refused
/// whole with the line, column, what was found and what was expected.
@Suite("BankFiles: bank CSV statements")
struct StatementCSVTests {
  static func date(_ text: String) -> LocalDate { (try? LocalDate(iso8601: text)) ?? .earliest }

  static let text = """
    bankCode,branchCode,depositType,accountNumber,postingDate,valueDate,direction,amountYen,balanceYen,counterparty,summary,inquiryNumber
    0138,001,ordinary,0001234567,2024-04-01,,in,1000000,6000000,ｶ)ﾃｽﾄｼﾖｳｼﾞ,振込,00000001
    0005,010,current,12345,令和6年4月3日,,out,500000,-200000,,,
    0138,001,1,0001234567,2024/4/2,2024-04-01,out,330,5999670,,"手数料,振込",00000002

    """.replacingOccurrences(of: "\n", with: "\r\n")

  static let expected = [
    AccountStatement(
      bankCode: "0138", branchCode: "001", depositType: .ordinary, accountNumber: "0001234567", periodFrom: date("2024-04-01"),
      periodTo: date("2024-04-02"), openingBalance: Yen(5_000_000), closingBalance: Yen(5_999_670),
      lines: [
        StatementLine(
          inquiryNumber: "00000001", postingDate: date("2024-04-01"), valueDate: date("2024-04-01"), direction: .in, amount: Yen(1_000_000),
          counterparty: "カ)テストシヨウジ", summary: "振込"),
        StatementLine(
          inquiryNumber: "00000002", postingDate: date("2024-04-02"), valueDate: date("2024-04-01"), direction: .out, amount: Yen(330),
          summary: "手数料,振込"),
      ]),
    AccountStatement(
      bankCode: "0005", branchCode: "010", depositType: .current, accountNumber: "12345", periodFrom: date("2024-04-03"),
      periodTo: date("2024-04-03"), openingBalance: Yen(300_000), closingBalance: Yen(-200_000),
      lines: [
        StatementLine(inquiryNumber: "", postingDate: date("2024-04-03"), valueDate: date("2024-04-03"), direction: .out, amount: Yen(500_000))
      ]),
  ]

  static func refusal(_ text: String) -> BankFileError? {
    do {
      _ = try StatementCSV.parse(Data(text.utf8))
      Issue.record("the file was accepted")
      return nil
    } catch {
      return error
    }
  }

  @Test("UTF-8 with and without BOM and Shift_JIS read to the same statement")
  func encodings() throws {
    let plain = try StatementCSV.parse(Data(Self.text.utf8))
    #expect(plain.accounts == Self.expected && plain.encoding == .utf8 && plain.framing == nil)
    #expect(plain.accounts.first?.lines.first?.counterparty.unicodeScalars.count == 9)
    let bom = try StatementCSV.parse(Data([0xEF, 0xBB, 0xBF] + Array(Self.text.utf8)))
    #expect(bom == plain)
    let shiftJIS = try #require(Self.text.data(using: .shiftJIS))
    #expect(shiftJIS.count < Self.text.utf8.count)
    let read = try StatementCSV.parse(shiftJIS)
    #expect(read.accounts == Self.expected && read.encoding == .shiftJIS)
  }

  @Test("columns may come in any order, LF line ends too")
  func columnOrder() throws {
    let text = """
      direction,amountYen,balanceYen,postingDate,accountNumber,depositType,branchCode,bankCode
      out,100,900,2024-04-01,0000001,ordinary,001,0138
      """
    let account = try #require(try StatementCSV.parse(Data(text.utf8)).accounts.first)
    #expect(account.openingBalance == Yen(1_000) && account.closingBalance == Yen(900) && account.accountNumber == "0000001")
  }

  @Test("a header without the required columns is refused, listing them")
  func missingColumns() {
    #expect(Self.refusal("bankCode,branchCode,accountNumber,postingDate,amountYen\n") == .csvMissingColumns(["depositType", "direction", "balanceYen"]))
    #expect(Self.refusal("bankCode,branchCode,accountNumber,postingDate,amountYen\n")?.description == "1行目（見出し）に depositType、direction、balanceYen の列がありません")
  }

  @Test("an unknown or doubled column is refused")
  func unknownColumn() {
    let header = "bankCode,branchCode,depositType,accountNumber,postingDate,direction,amountYen,balance"
    #expect(Self.refusal(header + "\n") == .csvUnknownColumn(column: 8, found: "balance", known: StatementCSV.columns))
    #expect(Self.refusal("bankCode,bankcode\n") == .csvDuplicateColumn("bankCode"))
  }

  static let header = "bankCode,branchCode,depositType,accountNumber,postingDate,direction,amountYen,balanceYen\n"

  @Test(
    "a value that cannot be what its column holds is refused with the line, column, value and what was expected",
    arguments: [
      ("0138,001,ordinary,1,2024-04-01,in,1.5,10", BankFileError.csvInvalidValue(line: 2, column: "amountYen", found: "1.5", expected: "円単位の整数（数字だけ）")),
      ("138,001,ordinary,1,2024-04-01,in,1,10", .csvInvalidValue(line: 2, column: "bankCode", found: "138", expected: "数字4桁")),
      ("0138,001,fixed,1,2024-04-01,in,1,10", .csvInvalidValue(line: 2, column: "depositType", found: "fixed", expected: "ordinary, current, savings, notice, time, installment-time、または 1, 2, 4, 5, 6, 7")),
      ("0138,001,ordinary,1,2024-04-01,sideways,1,10", .csvInvalidValue(line: 2, column: "direction", found: "sideways", expected: "in か out（入金 か 出金）")),
      (
        "0138,001,ordinary,1,2023-02-29,in,1,10",
        .csvInvalidValue(line: 2, column: "postingDate", found: "2023-02-29", expected: "2023-02-29 という日付はありません（2023年2月は28日までです）")
      ),
      ("0138,001,ordinary,1,2024-04-01,in,1", .csvFieldCount(line: 2, found: 7, expected: 8)),
    ])
  func invalidValue(row: String, expected: BankFileError) {
    #expect(Self.refusal(Self.header + row + "\n") == expected)
  }

  @Test("a balance that does not follow from the previous one is refused with both figures")
  func balanceMismatch() {
    let text = Self.header + "0138,001,ordinary,1,2024-04-01,in,100,1100\n0138,001,ordinary,1,2024-04-02,out,50,1000\n"
    #expect(Self.refusal(text) == .csvBalanceMismatch(line: 3, column: "balanceYen", found: Yen(1_000), expected: Yen(1_050)))
    #expect(Self.refusal(text)?.description == "3行目、balanceYen: 1,000円とありますが、前の残高にこの行の金額を加減すると1,050円です")
  }

  @Test("a quote left open, a header alone and an empty file are refused")
  func syntax() {
    #expect(Self.refusal(Self.header + "0138,\"001,ordinary\n") == .csvSyntax(line: 2, reason: "引用符（\"）が閉じられていません"))
    #expect(Self.refusal(Self.header) == .csvNoRows)
    #expect(Self.refusal("") == .emptyFile)
  }
}
