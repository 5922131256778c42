/// Where in 神奈川県 a partner or a company is: the three designated cities (政令指定都市) and
/// the areas of the prefecture's four 地域県政総合センター, which is how the prefecture itself
/// divides its regional work. Two more for partners: a body covering the whole prefecture (県
/// 全域: the 信用保証協会, a 士業 association) and one outside it (a bank headquartered in Tokyo).
///
/// All 33 municipalities (19 市, 13 町, 1 村) map to their region, so a file may give either
/// the region or the municipality (or an address starting with it).
public enum Region: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  case yokohama
  case kawasaki
  case sagamihara
  /// 横須賀三浦: 横須賀市, 鎌倉市, 逗子市, 三浦市, 葉山町.
  case yokosukaMiura = "yokosuka-miura"
  /// 県央: 厚木市, 大和市, 海老名市, 座間市, 綾瀬市, 愛川町, 清川村.
  case central
  /// 湘南: 平塚市, 藤沢市, 茅ヶ崎市, 秦野市, 伊勢原市, 寒川町, 大磯町, 二宮町.
  case shonan
  /// 県西: 小田原市, 南足柄市, 中井町, 大井町, 松田町, 山北町, 開成町, 箱根町, 真鶴町, 湯河原町.
  case west
  /// 県全域.
  case prefectureWide = "prefecture-wide"
  /// 県外.
  case outside

  public var japaneseName: String {
    switch self {
    case .yokohama: "横浜"
    case .kawasaki: "川崎"
    case .sagamihara: "相模原"
    case .yokosukaMiura: "横須賀三浦"
    case .central: "県央"
    case .shonan: "湘南"
    case .west: "県西"
    case .prefectureWide: "県全域"
    case .outside: "県外"
    }
  }

  /// The order of ``allCases`` (north-east to south-west, then the two wider ones).
  public static func < (lhs: Region, rhs: Region) -> Bool {
    (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
  }

  /// Each municipality and its region.
  public static let municipalities: [(name: String, region: Region)] = [
    ("横浜市", .yokohama), ("川崎市", .kawasaki), ("相模原市", .sagamihara),
    ("横須賀市", .yokosukaMiura), ("鎌倉市", .yokosukaMiura), ("逗子市", .yokosukaMiura), ("三浦市", .yokosukaMiura),
    ("葉山町", .yokosukaMiura),
    ("厚木市", .central), ("大和市", .central), ("海老名市", .central), ("座間市", .central), ("綾瀬市", .central),
    ("愛川町", .central), ("清川村", .central),
    ("平塚市", .shonan), ("藤沢市", .shonan), ("茅ヶ崎市", .shonan), ("秦野市", .shonan), ("伊勢原市", .shonan),
    ("寒川町", .shonan), ("大磯町", .shonan), ("二宮町", .shonan),
    ("小田原市", .west), ("南足柄市", .west), ("中井町", .west), ("大井町", .west), ("松田町", .west), ("山北町", .west),
    ("開成町", .west), ("箱根町", .west), ("真鶴町", .west), ("湯河原町", .west),
  ]

  /// The region a person typed: its name (`横須賀三浦`, `横須賀・三浦`, `県央`, `yokohama`), a
  /// municipality (`茅ヶ崎市`, `藤沢`), or an address that begins with one (`神奈川県横浜市中区…`).
  public init?(typed text: String) {
    let folded = CompanyMatching.name(text)
    guard !folded.isEmpty else { return nil }
    let names: [(String, Region)] = [
      ("横浜", .yokohama), ("川崎", .kawasaki), ("相模原", .sagamihara), ("横須賀三浦", .yokosukaMiura), ("三浦半島", .yokosukaMiura),
      ("県央", .central), ("湘南", .shonan), ("県西", .west), ("西湘", .west), ("県全域", .prefectureWide), ("全県", .prefectureWide),
      ("県内全域", .prefectureWide), ("神奈川県", .prefectureWide), ("県外", .outside),
    ]
    for region in Region.allCases where folded == CompanyMatching.name(region.rawValue) {
      self = region
      return
    }
    for (name, region) in names where folded == name {
      self = region
      return
    }
    var place = folded
    if place.hasPrefix("神奈川県") { place = String(place.dropFirst(4)) }
    for (name, region) in Self.municipalities {
      let municipality = CompanyMatching.name(name)
      // 藤沢 for 藤沢市; 横浜市中区 for 横浜市.
      if place == String(municipality.dropLast()) || place.hasPrefix(municipality) {
        self = region
        return
      }
    }
    // Another prefecture's address.
    if CompanyMatching.prefectures.contains(where: { $0 != "神奈川県" && folded.hasPrefix($0) }) {
      self = .outside
      return
    }
    return nil
  }
}
