import Foundation
import Succession
import Testing

@Suite("Succession: 法人番号 and matching the same company typed two ways")
struct CorporateNumberTests {
  /// Published numbers: 国税庁, トヨタ自動車, ソニーグループ, 神奈川県 (local governments have them too).
  @Test("published 法人番号 pass the check digit", arguments: ["7000012050002", "1180301018771", "5010401067252", "1000020140007"])
  func published(_ text: String) throws {
    #expect(try CorporateNumber(text).digits == text)
  }

  @Test("full-width digits, hyphens and spaces are read as typed and kept as 13 ASCII digits")
  func typed() throws {
    #expect(try CorporateNumber("７０００ー０１２０５ー０００２").digits == "7000012050002")
    #expect(try CorporateNumber(" 7-0000-1205-0002 ").digits == "7000012050002")
    #expect(try CorporateNumber("１　１８０３　０１０１　８７７１").digits == "1180301018771")
  }

  @Test("the check digit is 9 − (Σ digits × 1,2,1,2… from the right) mod 9")
  func rule() {
    // 000012050002: 2·1 + 5·1 + 2·1 + 1·2 = 11, 11 mod 9 = 2, 9 − 2 = 7.
    #expect(CorporateNumber.checkDigit(for: [0, 0, 0, 0, 1, 2, 0, 5, 0, 0, 0, 2]) == 7)
    // A sum divisible by 9 gives 9, never 0.
    #expect(CorporateNumber.checkDigit(for: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]) == 9)
    #expect(CorporateNumber.checkDigit(for: Array(repeating: 0, count: 12)) == 9)
  }

  @Test("a wrong check digit, a swapped pair, a wrong length and letters are refused with the reason")
  func wrong() {
    #expect(throws: CorporateNumberError.wrongCheckDigit("8000012050002", expected: 7)) { try CorporateNumber("8000012050002") }
    // Two neighbouring digits swapped (12050002 → 21050002) changes the weighted sum.
    #expect(throws: CorporateNumberError.wrongCheckDigit("7000021050002", expected: 6)) { try CorporateNumber("7000021050002") }
    #expect(throws: CorporateNumberError.twelveDigits("000012050002")) { try CorporateNumber("000012050002") }
    #expect(throws: CorporateNumberError.wrongLength("70000120500021", digits: 14)) { try CorporateNumber("70000120500021") }
    #expect(throws: CorporateNumberError.invalidCharacters("T7000012050002")) { try CorporateNumber("T7000012050002") }
    #expect(throws: CorporateNumberError.empty) { try CorporateNumber(" - ") }
    // A leading 0 can never be a check digit.
    #expect(throws: CorporateNumberError.self) { try CorporateNumber("0000012050002") }
  }

  @Test("the error says what is wrong in Japanese")
  func message() {
    let error = CorporateNumberError.wrongCheckDigit("8000012050002", expected: 7)
    #expect(error.description.contains("検査用数字"))
    #expect(CorporateNumberError.twelveDigits("000012050002").description.contains("13桁"))
  }

  @Test("JSON holds the 13 digits and refuses a wrong number")
  func codable() throws {
    let data = try JSONEncoder().encode([try CorporateNumber("7000012050002")])
    #expect(String(decoding: data, as: UTF8.self) == "[\"7000012050002\"]")
    #expect(throws: DecodingError.self) { try JSONDecoder().decode([CorporateNumber].self, from: Data("[\"8000012050002\"]".utf8)) }
  }
}

@Suite("Succession: names and addresses compared for duplicates")
struct CompanyMatchingTests {
  @Test(
    "the same company typed two ways has the same name",
    arguments: [
      ("株式会社ＡＢＣ商事", "(株)ABC商事"),
      ("㈱ABC商事", "ＡＢＣ商事　株式会社"),
      ("（株）ｴｰﾋﾞｰｼｰ商事", "株式会社エービーシー商事"),
      ("ｶﾞﾗｽ工房 有限会社", "(有)ガラス工房"),
      ("㍿みなと・精工", "みなと精工"),
      ("髙﨑製作所", "高崎製作所"),
      ("茅ヶ崎ベーカリー", "茅ケ崎ﾍﾞｰｶﾘｰ"),
      ("A&B Design合同会社", "ａ＆ｂ　ｄｅｓｉｇｎ"),
    ])
  func sameName(_ pair: (String, String)) {
    // Byte for byte, not just canonically equal: the key is hashed into a stream name.
    #expect(Array(CompanyMatching.name(pair.0).utf8) == Array(CompanyMatching.name(pair.1).utf8), "\(pair)")
    #expect(!CompanyMatching.name(pair.0).isEmpty)
  }

  @Test(
    "different companies do not match",
    arguments: [
      ("株式会社ABC商事", "株式会社ABC商会"),
      ("みなと精工", "みなと精機"),
      ("ガラス工房", "カラス工房"),
      ("パン工房", "ハン工房"),
      ("第一製作所", "第二製作所"),
    ])
  func differentName(_ pair: (String, String)) {
    #expect(CompanyMatching.name(pair.0) != CompanyMatching.name(pair.1), "\(pair)")
  }

  @Test("an address typed two ways compares the same; the building and the postal code do not matter")
  func sameAddress() {
    let forms = [
      "〒231-0015 神奈川県横浜市中区尾上町５丁目８０番地 神奈川中小企業センタービル12階",
      "横浜市中区尾上町5-80",
      "横浜市中区尾上町５－８０",
      "神奈川県横浜市中区尾上町五丁目80番",
      "横浜市中区尾上町5ー80 センタービル",
      "2310015横浜市中区尾上町5の80",
    ]
    let compared = Set(forms.map(CompanyMatching.address))
    #expect(compared == ["横浜市中区尾上町5-80"])
    #expect(CompanyMatching.address("横浜市中区尾上町5-81") != CompanyMatching.address("横浜市中区尾上町5-80"))
    #expect(CompanyMatching.address("横浜市西区尾上町5-80") != CompanyMatching.address("横浜市中区尾上町5-80"))
  }

  @Test("the key needs both a name and an address")
  func key() {
    #expect(CompanyMatching.key(name: "㈱みなと精工", address: "横浜市中区尾上町5-80") == CompanyMatching.key(name: "株式会社 みなと精工", address: "神奈川県横浜市中区尾上町5丁目80番地"))
    #expect(CompanyMatching.key(name: "みなと精工", address: nil) == nil)
    #expect(CompanyMatching.key(name: "株式会社", address: "横浜市中区尾上町5-80") == nil)
  }

  @Test("readings become full-width katakana; anything else is not a reading")
  func reading() {
    #expect(CompanyMatching.katakana("みなとせいこう") == "ミナトセイコウ")
    #expect(CompanyMatching.katakana("ﾐﾅﾄ ｾｲｺｰ") == "ミナト セイコー")
    #expect(CompanyMatching.katakana("ｶﾞﾗｽ") == "ガラス")
    #expect(CompanyMatching.katakana("みなと精工") == nil)
  }

  @Test("regions from their names, municipalities and addresses", arguments: [
    ("横浜", Region.yokohama), ("横浜市中区", .yokohama), ("神奈川県川崎市中原区小杉町1-403", .kawasaki), ("横須賀・三浦", .yokosukaMiura),
    ("葉山町", .yokosukaMiura), ("茅ケ崎市", .shonan), ("茅ヶ崎", .shonan), ("県央", .central), ("清川村", .central), ("小田原市栄町", .west),
    ("県全域", .prefectureWide), ("東京都千代田区丸の内1-1", .outside), ("prefecture-wide", .prefectureWide),
  ])
  func regions(_ pair: (String, Region)) {
    #expect(Region(typed: pair.0) == pair.1, "\(pair.0)")
  }

  @Test("the 33 municipalities of Kanagawa each map to one region")
  func municipalities() {
    #expect(Region.municipalities.count == 33)
    #expect(Set(Region.municipalities.map(\.name)).count == 33)
    #expect(Region(typed: "大阪") == nil)
  }
}
