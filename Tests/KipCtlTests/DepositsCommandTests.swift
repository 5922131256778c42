import Foundation
import Testing
import TestSupport

/// `kipctl deposits parse-zengin`: a 全銀 入出金取引明細 file as JSON on stdout; a malformed one
/// refused with one line on stderr.
@Suite("kipctl deposits parse-zengin")
struct DepositsCommandTests {
  /// One fixed-width record from (value, length, numeric) fields in layout order: N right-justified
  /// and zero-filled, C left-justified and space-filled; half-width katakana as JIS8 (0xA1–0xDF).
  static func record(_ fields: [(String, Int, Bool)]) -> [UInt8] {
    var bytes: [UInt8] = []
    for (value, length, numeric) in fields {
      let encoded = value.unicodeScalars.map { $0.value >= 0xFF61 ? UInt8($0.value - 0xFF61 + 0xA1) : UInt8($0.value) }
      let padding = Array(repeating: numeric ? UInt8(0x30) : 0x20, count: length - encoded.count)
      bytes += numeric ? padding + encoded : encoded + padding
    }
    return bytes
  }

  /// One overdrawn ordinary account with one 入金 of ¥1,000, CRLF after each record; `inCount`
  /// is the trailer's 入金件数 (1 is right).
  static func file(inCount: String = "1") -> [UInt8] {
    let (n, c) = (true, false)
    let header = record([
      ("1", 1, n), ("03", 2, n), ("0", 1, n), ("060405", 6, n), ("060401", 6, n), ("060404", 6, n), ("0138", 4, n), ("ﾖｺﾊﾏ", 15, c),
      ("001", 3, n), ("ﾎﾝﾃﾝ", 15, c), ("000", 3, n), ("1", 1, n), ("0001234567", 10, n), ("ｻﾞｲ)ｶﾅｶﾞﾜｹﾝ", 40, c), ("2", 1, n), ("1", 1, n),
      ("100", 14, n), ("", 71, c),
    ])
    let data = record([
      ("2", 1, n), ("00000001", 8, n), ("060401", 6, n), ("060401", 6, n), ("1", 1, n), ("11", 2, n), ("1000", 12, n), ("", 12, n),
      ("", 6, n), ("", 6, n), ("", 1, n), ("", 7, n), ("", 3, n), ("", 10, n), ("ｶ)ｶﾅｶﾞﾜｼﾖｳｼﾞ", 48, c), ("", 15, c), ("", 15, c),
      ("ﾌﾘｺﾐ", 20, c), ("", 20, c), ("", 1, c),
    ])
    let trailer = record([
      ("8", 1, n), (inCount, 6, n), ("1000", 13, n), ("0", 6, n), ("0", 13, n), ("1", 1, n), ("900", 14, n), ("1", 7, n), ("", 139, c),
    ])
    let end = record([("9", 1, n), ("4", 10, n), ("1", 5, n), ("", 184, c)])
    return [header, data, trailer, end].flatMap { $0 + [0x0D, 0x0A] }
  }

  static func write(_ bytes: [UInt8]) throws -> String {
    let path = temporaryFolder().appending(path: "statement.txt")
    try Data(bytes).write(to: path)
    return path.path
  }

  @Test("prints the statement as JSON: codes with their zeros, ISO dates, signed yen, full-width names")
  func json() throws {
    #expect(Self.file().count == 4 * 202)
    let outcome = try kipctl("deposits", "parse-zengin", try Self.write(Self.file()))
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(outcome.error.isEmpty)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
    let accounts = try #require(json["accounts"] as? [[String: Any]])
    #expect(accounts.count == 1)
    let account = try #require(accounts.first)
    #expect(account["bankCode"] as? String == "0138" && account["branchCode"] as? String == "001")
    #expect(account["depositType"] as? String == "ordinary" && account["accountNumber"] as? String == "0001234567")
    #expect(account["periodFrom"] as? String == "2024-04-01" && account["periodTo"] as? String == "2024-04-04")
    #expect(account["openingBalanceYen"] as? Int == -100 && account["closingBalanceYen"] as? Int == 900)
    #expect(account["accountName"] as? String == "ザイ)カナガワケン")
    let lines = try #require(account["lines"] as? [[String: Any]])
    #expect(lines.count == 1)
    let line = try #require(lines.first)
    #expect(line["inquiryNumber"] as? String == "00000001")
    #expect(line["postingDate"] as? String == "2024-04-01" && line["valueDate"] as? String == "2024-04-01")
    #expect(line["direction"] as? String == "in" && line["amountYen"] as? Int == 1000)
    #expect(line["counterparty"] as? String == "カ)カナガワシヨウジ" && line["summary"] as? String == "フリコミ")
    // Sorted keys, so the output is stable.
    let accountName = try #require(outcome.output.range(of: "\"accountName\""))
    let bankCode = try #require(outcome.output.range(of: "\"bankCode\""))
    #expect(accountName.lowerBound < bankCode.lowerBound)
  }

  @Test("a malformed file exits 1 with the record, field and figures on stderr, nothing on stdout")
  func malformed() throws {
    let outcome = try kipctl("deposits", "parse-zengin", try Self.write(Self.file(inCount: "2")))
    #expect(outcome.status == 1)
    #expect(outcome.output.isEmpty)
    #expect(outcome.error == "kipctl: 3件目のレコード、入金件数（2〜7バイト目）: 2件とありますが、レコードを数えると1件です\n")
  }

  @Test("--imported-on sets the reference for 作成日's era; a missing file is one line too")
  func importedOnAndMissingFile() throws {
    // Seen from 2019-05-08, 060405 cannot be 令和6年 (five years ahead): it is 平成6年 (1994).
    let outcome = try kipctl("deposits", "parse-zengin", try Self.write(Self.file()), "--imported-on", "2019-05-08")
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(outcome.output.contains("\"createdOn\" : \"1994-04-05\""))
    let missing = try kipctl("deposits", "parse-zengin", "/nonexistent/statement.txt")
    #expect(missing.status == 1)
    #expect(missing.error.hasPrefix("kipctl: cannot read /nonexistent/statement.txt: "))
    #expect(missing.error.split(separator: "\n").count == 1)
  }
}
