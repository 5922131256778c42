import Foundation
import Succession
import SharedKernel
import Testing

extension Data {
  /// Bytes written as hex in a test (spaces ignored).
  init(hex: String) {
    let digits = Array(hex.filter { !$0.isWhitespace })
    self.init(stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! })
  }
}

/// CP932 files made by Python's `str.encode('cp932')`, independent of Foundation's decoder.
enum CP932Files {
  /// 機関コード,機関名,種別,地域,担当者,電話番号,メールアドレス / hamagin,横浜銀行,金融機関,県全域,髙橋 ①課,045-225-1111, /
  /// kitasuke,㈱北相模～信用組合,信用組合,相模原市,"佐藤,鈴木",０４２－７００－１２３４,info@example.jp — CRLF; 髙 in its
  /// IBM-extension form 0xFBFC (as Windows writes it), ① 0x8740, ㈱ 0x878A, ～ 0x8160, － 0x817C.
  static let partners = Data(
    hex: """
      8b408ad68352815b83682c8b408ad696bc2c8eed95ca2c926e88e62c925393968ed22c9364986294d48d862c8381815b838b83418368838c83580d0a68616d6167696e2c89a1956c8be28d732c8be0975a8b408ad62c8ca7915388e62cfbfc8bb420874089db2c3034352d3232352d313131312c0d0a6b69746173756b652c878a966b918a96cd8160904d977091678d872c904d977091678d872c918a96cd8cb48e732c228db293a12c97e996d8222c824f82538251817c8256824f824f817c82508251825282532c696e666f406578616d706c652e6a700d0a
      """)

  /// 実施日,会社名,法人番号,所在地,結果,センター紹介 / 令和5年3月31日,髙﨑製作所,,秦野市曽屋1-1,後継者不在,要 /
  /// 2023/4/1,㈱ＡＢＣ商事,7000012050002,,後継者候補あり,× — 髙 here in the NEC-selected form 0xEEE0, 﨑 0xED95.
  static let diagnoses = Data(
    hex: """
      8ec08e7b93fa2c89ef8ed096bc2c9640906c94d48d862c8f8a8ddd926e2c8c8b89ca2c835a8393835e815b8fd089ee0d0a97df986135944e338c8e333193fa2ceee0ed9590bb8dec8f8a2c2c906096ec8e73915d89ae312d312c8ce38c708ed295738ddd2c97760d0a323032332f342f312c878a8260826182628fa48e962c373030303031323035303030322c2c8ce38c708ed28cf395e282a082e82c817e0d0a
      """)
}

@Suite("Succession: CSV files as Excel in Japan saves them")
struct CSVTests {
  func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

  @Test("Foundation on Linux reads Shift_JIS as CP932: ～ − ① ㈱ 髙 﨑 and the NEC/IBM rows as Windows shows them")
  func foundationDecodesCP932() {
    let cases: [([UInt8], UInt32)] = [
      ([0x81, 0x60], 0xFF5E),  // ～ (JIS would say 〜 U+301C)
      ([0x81, 0x7C], 0xFF0D),  // － (JIS would say − U+2212)
      ([0x81, 0x61], 0x2225),  // ∥ (JIS ‖ U+2016)
      ([0x81, 0xCA], 0xFFE2),  // ￢ (JIS ¬ U+00AC)
      ([0x87, 0x40], 0x2460),  // ① (NEC row 13)
      ([0x87, 0x8A], 0x3231),  // ㈱
      ([0xFB, 0xFC], 0x9AD9),  // 髙 (IBM extension)
      ([0xEE, 0xE0], 0x9AD9),  // 髙 (NEC-selected IBM extension)
      ([0xED, 0x95], 0xFA11),  // 﨑
      ([0xB6], 0xFF76),  // ｶ half-width
    ]
    for (bytes, scalar) in cases {
      #expect(String(data: Data(bytes), encoding: .shiftJIS).map(scalars) == [scalar], "\(bytes)")
    }
    // Not CP932: a lead byte without its trail byte, or a trail byte out of range.
    #expect(String(data: Data([0x81, 0x20]), encoding: .shiftJIS) == nil)
    #expect(String(data: Data([0x41, 0x81]), encoding: .shiftJIS) == nil)
  }

  @Test("a CP932 partner file decodes, parses and keeps ～ － ① ㈱ 髙 and a quoted comma")
  func cp932File() throws {
    let (text, encoding) = try CSV.decode(CP932Files.partners)
    #expect(encoding == .shiftJIS)
    let records = try CSV.parse(text)
    #expect(records.count == 3)
    #expect(records[1].fields[4] == "髙橋 ①課")
    #expect(records[2].fields[1] == "㈱北相模～信用組合")
    #expect(scalars(records[2].fields[1]).contains(0xFF5E))
    #expect(records[2].fields[4] == "佐藤,鈴木")
    #expect(records[2].fields[5] == "０４２－７００－１２３４")
    #expect(records.map(\.line) == [1, 2, 3])
  }

  @Test("UTF-8 with and without BOM; the BOM is not part of the first heading")
  func utf8() throws {
    let body = "機関コード,機関名\r\nhamagin,横浜銀行\r\n"
    let withBOM = Data([0xEF, 0xBB, 0xBF]) + Data(body.utf8)
    let (a, encodingA) = try CSV.decode(withBOM)
    let (b, encodingB) = try CSV.decode(Data(body.utf8))
    #expect(encodingA == .utf8 && encodingB == .utf8)
    #expect(try CSV.parse(a) == CSV.parse(b))
    #expect(try CSV.parse(a)[0].fields[0] == "機関コード")
  }

  @Test("bytes that are neither UTF-8 nor CP932 are refused, naming the line")
  func undecodable() {
    let data = Data("a,b\nc,d\n".utf8) + Data([0x81, 0x20, 0x0A])
    #expect(throws: SuccessionError.self) { try CSV.decode(data) }
    do {
      _ = try CSV.decode(data)
    } catch {
      #expect(error.description.contains("3行目"))
    }
    #expect(throws: SuccessionError.self) { try CSV.decode(Data([0xFF, 0xFE, 0x41, 0x00])) }
  }

  @Test("RFC 4180: quotes, doubled quotes, line breaks in a field, CRLF, LF and a last line without one")
  func rfc4180() throws {
    let text = "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",,x\nlast,\"\",end"
    let records = try CSV.parse(text)
    #expect(records.map(\.fields) == [["a", "b,c", "say \"hi\""], ["two\r\nlines", "", "x"], ["last", "", "end"]])
    // The record after a two-line field starts on line 4.
    #expect(records.map(\.line) == [1, 2, 4])
  }

  @Test("empty lines are no records; a blank formatted row is a blank record")
  func blankLines() throws {
    let records = try CSV.parse("a,b\n\n\r\nc,d\n,\n")
    #expect(records.map(\.fields) == [["a", "b"], ["c", "d"], ["", ""]])
    #expect(records.map(\.line) == [1, 4, 5])
    #expect(records[2].isBlank)
  }

  @Test("malformed rows are refused with their line", arguments: [
    ("a,b\nc,\"open\nd,e\n", 2, "閉じられていません"),
    ("a,b\n\"x\"y,z\n", 2, "閉じた引用符"),
    ("a,b\nc,d\ne,f\"g\n", 3, "項目の途中"),
  ])
  func malformed(_ example: (String, Int, String)) {
    do {
      _ = try CSV.parse(example.0)
      Issue.record("parsed \(example.0)")
    } catch {
      guard case .csvSyntax(let line, let reason) = error else { Issue.record("\(error)"); return }
      #expect(line == example.1)
      #expect(reason.contains(example.2))
      #expect(error.description.hasPrefix("\(example.1)行目"))
    }
  }

  @Test("a row with a different number of fields than the header is named by its line")
  func fieldCount() {
    let data = Data("機関コード,機関名,種別\nhamagin,\"横浜\n銀行\",金融機関\ncci,横浜商工会議所\n".utf8)
    #expect(throws: SuccessionError.csvSyntax(line: 4, reason: "項目の数が2個です（見出しは3個）。コンマの数を確かめてください（コンマを含む項目は \"…\" で囲みます）")) {
      try CSVTable(data)
    }
  }

  @Test("rendering: BOM, CRLF, quoting what needs it; it parses back")
  func render() throws {
    let rows = [["区分", "4月"], ["a,b", "say \"hi\""], [" x", "two\nlines"]]
    let data = CSVText.render(rows)
    #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
    let text = String(decoding: data.dropFirst(3), as: UTF8.self)
    #expect(text == "区分,4月\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\" x\",\"two\nlines\"\r\n")
    #expect(try CSV.parse(CSV.decode(data).text).map(\.fields) == rows)
  }
}
