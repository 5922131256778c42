import Succession
import SharedKernel

/// Made-up companies of Kanagawa for the succession demo: names and readings put together from
/// place words, family names and trade words; an address in one of the prefecture's
/// municipalities (with a town of it); a 法人番号 with a valid check digit for companies (a 個人
/// 事業主 has none); employees, sales band and an owner mostly 60–80 years old. Every name,
/// number and person is invented; no name is made twice, so two companies never look alike by
/// accident — a duplicate is always made on purpose (``variant(of:byNumber:random:)``).
struct DemoCompanies {
  private var names: Set<String> = []
  private var numbers: Set<String> = []

  /// One trade word: the kanji, its reading, and the industry it makes the company.
  private typealias Trade = (String, String, Industry)

  private static let places: [(String, String)] = [
    ("相模", "サガミ"), ("湘南", "ショウナン"), ("丹沢", "タンザワ"), ("大山", "オオヤマ"), ("箱根", "ハコネ"), ("港北", "コウホク"),
    ("鶴見", "ツルミ"), ("金沢", "カナザワ"), ("磯子", "イソゴ"), ("戸塚", "トツカ"), ("三浦", "ミウラ"), ("逗子", "ズシ"),
    ("鎌倉", "カマクラ"), ("厚木", "アツギ"), ("海老名", "エビナ"), ("秦野", "ハダノ"), ("足柄", "アシガラ"), ("多摩", "タマ"),
    ("京浜", "ケイヒン"), ("横浜", "ヨコハマ"), ("川崎", "カワサキ"), ("相武", "ソウブ"), ("富士", "フジ"), ("大和", "ヤマト"),
    ("平和", "ヘイワ"), ("協和", "キョウワ"), ("共栄", "キョウエイ"), ("大栄", "ダイエイ"), ("昭和", "ショウワ"), ("東洋", "トウヨウ"),
    ("日進", "ニッシン"), ("丸善", "マルゼン"), ("山一", "ヤマイチ"), ("丸高", "マルタカ"), ("三和", "サンワ"), ("新栄", "シンエイ"),
    ("光洋", "コウヨウ"), ("朝日", "アサヒ"), ("若葉", "ワカバ"), ("中央", "チュウオウ"), ("北斗", "ホクト"), ("太陽", "タイヨウ"),
    ("明星", "ミョウジョウ"), ("金剛", "コンゴウ"), ("酒匂", "サカワ"), ("早川", "ハヤカワ"), ("境川", "サカイガワ"), ("引地", "ヒキジ"),
    ("帷子", "カタビラ"), ("鶴岡", "ツルオカ"), ("江ノ島", "エノシマ"), ("城山", "シロヤマ"), ("大船", "オオフナ"), ("本牧", "ホンモク"),
    ("根岸", "ネギシ"), ("野毛", "ノゲ"), ("生麦", "ナマムギ"), ("溝口", "ミゾノクチ"), ("登戸", "ノボリト"), ("橋本", "ハシモト"),
    ("淵野辺", "フチノベ"), ("久里浜", "クリハマ"), ("追浜", "オッパマ"), ("辻堂", "ツジドウ"), ("鵠沼", "クゲヌマ"), ("国府津", "コウヅ"),
    ("鴨宮", "カモノミヤ"), ("松田", "マツダ"), ("真鶴", "マナヅル"), ("宮ケ瀬", "ミヤガセ"), ("大磯", "オオイソ"), ("寒川", "サムカワ"),
    ("伊勢原", "イセハラ"), ("綾瀬", "アヤセ"), ("座間", "ザマ"), ("愛川", "アイカワ"), ("栄光", "エイコウ"), ("弥生", "ヤヨイ"),
    ("千代田", "チヨダ"), ("常盤", "トキワ"), ("旭日", "キョクジツ"), ("白鳳", "ハクホウ"), ("瑞穂", "ミズホ"), ("大黒", "ダイコク"),
  ]

  static let families: [(String, String)] = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"), ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
    ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"), ("清水", "シミズ"),
    ("山崎", "ヤマザキ"), ("池田", "イケダ"), ("橋本", "ハシモト"), ("阿部", "アベ"), ("石川", "イシカワ"), ("山下", "ヤマシタ"),
    ("中島", "ナカジマ"), ("石井", "イシイ"), ("小川", "オガワ"), ("前田", "マエダ"), ("岡田", "オカダ"), ("長谷川", "ハセガワ"),
    ("藤田", "フジタ"), ("後藤", "ゴトウ"), ("近藤", "コンドウ"), ("村上", "ムラカミ"), ("遠藤", "エンドウ"), ("青木", "アオキ"),
    ("坂本", "サカモト"), ("斉藤", "サイトウ"), ("福田", "フクダ"), ("太田", "オオタ"), ("西村", "ニシムラ"), ("藤井", "フジイ"),
    ("岡本", "オカモト"), ("松田", "マツダ"), ("中野", "ナカノ"), ("原田", "ハラダ"), ("小野", "オノ"), ("竹内", "タケウチ"),
    ("金子", "カネコ"), ("和田", "ワダ"), ("中山", "ナカヤマ"), ("石田", "イシダ"), ("上田", "ウエダ"), ("森田", "モリタ"),
    ("柴田", "シバタ"), ("酒井", "サカイ"), ("工藤", "クドウ"), ("横山", "ヨコヤマ"), ("宮崎", "ミヤザキ"), ("内田", "ウチダ"),
    ("高木", "タカギ"), ("安藤", "アンドウ"), ("島田", "シマダ"), ("谷口", "タニグチ"), ("大野", "オオノ"), ("丸山", "マルヤマ"),
    ("今井", "イマイ"), ("河野", "コウノ"), ("藤原", "フジワラ"), ("小島", "コジマ"), ("武田", "タケダ"), ("村田", "ムラタ"),
    ("関", "セキ"), ("杉山", "スギヤマ"), ("増田", "マスダ"), ("平野", "ヒラノ"), ("大塚", "オオツカ"), ("千葉", "チバ"),
  ]

  static let givenNames: [String] = [
    "健一", "誠", "浩", "隆", "修", "茂", "勝", "清", "実", "博", "正男", "和夫", "幸雄", "昭", "進", "豊", "弘", "勇",
    "武", "稔", "正之", "義明", "秀樹", "信行", "光男", "敏夫", "俊彦", "康弘", "哲也", "伸一", "恵子", "和子", "節子", "洋子",
    "幸子", "道子", "久美子", "律子",
  ]

  /// Trade words, with how often companies of the kind come to the centre (業種 of the programme's reports).
  private static let trades: [(Trade, Int)] = [
    (("製作所", "セイサクショ", .manufacturing), 5), (("工業", "コウギョウ", .manufacturing), 6), (("精機", "セイキ", .manufacturing), 3),
    (("精工", "セイコウ", .manufacturing), 2), (("鉄工所", "テッコウショ", .manufacturing), 3), (("金型", "カナガタ", .manufacturing), 2),
    (("化成", "カセイ", .manufacturing), 1), (("電機", "デンキ", .manufacturing), 2), (("技研", "ギケン", .manufacturing), 2),
    (("製菓", "セイカ", .manufacturing), 1), (("酒造", "シュゾウ", .manufacturing), 1), (("印刷", "インサツ", .manufacturing), 2),
    (("プラスチック", "プラスチック", .manufacturing), 1), (("食品", "ショクヒン", .manufacturing), 2),
    (("建設", "ケンセツ", .construction), 4), (("工務店", "コウムテン", .construction), 3), (("電設", "デンセツ", .construction), 1),
    (("設備", "セツビ", .construction), 2), (("塗装", "トソウ", .construction), 1), (("土木", "ドボク", .construction), 1),
    (("防水工業", "ボウスイコウギョウ", .construction), 1), (("造園", "ゾウエン", .construction), 1),
    (("商事", "ショウジ", .wholesale), 4), (("物産", "ブッサン", .wholesale), 2), (("通商", "ツウショウ", .wholesale), 1),
    (("青果", "セイカ", .wholesale), 1), (("水産", "スイサン", .wholesale), 1), (("資材", "シザイ", .wholesale), 1),
    (("商店", "ショウテン", .retail), 3), (("薬局", "ヤッキョク", .retail), 2), (("酒店", "サケテン", .retail), 1),
    (("電器", "デンキ", .retail), 1), (("書店", "ショテン", .retail), 1), (("呉服店", "ゴフクテン", .retail), 1), (("燃料", "ネンリョウ", .retail), 1),
    (("時計店", "トケイテン", .retail), 1), (("生花店", "セイカテン", .retail), 1),
    (("旅館", "リョカン", .foodAndLodging), 2), (("観光", "カンコウ", .foodAndLodging), 1), (("食堂", "ショクドウ", .foodAndLodging), 2),
    (("寿司", "スシ", .foodAndLodging), 1), (("飯店", "ハンテン", .foodAndLodging), 1), (("珈琲店", "コーヒーテン", .foodAndLodging), 1),
    (("ホテル", "ホテル", .foodAndLodging), 1), (("割烹", "カッポウ", .foodAndLodging), 1),
    (("運輸", "ウンユ", .services), 3), (("設計", "セッケイ", .services), 2), (("不動産", "フドウサン", .services), 2),
    (("自動車整備", "ジドウシャセイビ", .services), 2), (("クリーニング", "クリーニング", .services), 1), (("美容室", "ビヨウシツ", .services), 1),
    (("介護サービス", "カイゴサービス", .services), 2), (("測量", "ソクリョウ", .services), 1), (("警備保障", "ケイビホショウ", .services), 1),
    (("広告", "コウコク", .services), 1), (("システム", "システム", .services), 2), (("ビルメンテナンス", "ビルメンテナンス", .services), 1),
    (("物流", "ブツリュウ", .services), 1), (("写真館", "シャシンカン", .services), 1),
    (("農園", "ノウエン", .other), 1), (("牧場", "ボクジョウ", .other), 1), (("興業", "コウギョウ", .other), 1),
  ]

  /// A municipality (or a designated city's ward), its towns, and its telephone area code.
  private typealias Place = (municipality: String, towns: [String], area: String, weight: Int)

  private static let placesByRegion: [Region: [Place]] = [
    .yokohama: [
      ("横浜市鶴見区", ["鶴見中央", "生麦", "末広町", "矢向"], "045", 5), ("横浜市神奈川区", ["新子安", "大口通", "六角橋", "鶴屋町"], "045", 5),
      ("横浜市西区", ["北幸", "戸部町", "浅間町"], "045", 3), ("横浜市中区", ["山下町", "本町", "新山下", "石川町"], "045", 6),
      ("横浜市南区", ["浦舟町", "弘明寺町", "六ツ川"], "045", 3), ("横浜市港南区", ["上大岡西", "日野", "港南台"], "045", 3),
      ("横浜市保土ケ谷区", ["天王町", "星川", "川辺町"], "045", 3), ("横浜市旭区", ["二俣川", "鶴ケ峰", "白根"], "045", 3),
      ("横浜市磯子区", ["新杉田町", "磯子", "森"], "045", 3), ("横浜市金沢区", ["福浦", "幸浦", "鳥浜町", "六浦"], "045", 5),
      ("横浜市港北区", ["新横浜", "綱島西", "大倉山", "樽町"], "045", 6), ("横浜市緑区", ["中山町", "長津田", "白山"], "045", 3),
      ("横浜市青葉区", ["青葉台", "市ケ尾町", "荏田町"], "045", 3), ("横浜市都筑区", ["茅ケ崎中央", "川和町", "東方町"], "045", 4),
      ("横浜市戸塚区", ["戸塚町", "上矢部町", "川上町"], "045", 4), ("横浜市栄区", ["飯島町", "小菅ケ谷"], "045", 2),
      ("横浜市泉区", ["和泉町", "中田西"], "045", 2), ("横浜市瀬谷区", ["瀬谷", "橋戸"], "045", 2),
    ],
    .kawasaki: [
      ("川崎市川崎区", ["砂子", "東扇島", "浅田"], "044", 5), ("川崎市幸区", ["南加瀬", "堀川町"], "044", 2),
      ("川崎市中原区", ["上小田中", "新丸子町"], "044", 3), ("川崎市高津区", ["久本", "下野毛"], "044", 4),
      ("川崎市宮前区", ["宮崎", "犬蔵"], "044", 2), ("川崎市多摩区", ["登戸", "宿河原"], "044", 2), ("川崎市麻生区", ["上麻生", "栗木"], "044", 2),
    ],
    .sagamihara: [
      ("相模原市緑区", ["橋本", "大山町", "下九沢"], "042", 3), ("相模原市中央区", ["田名", "上溝", "淵野辺"], "042", 4),
      ("相模原市南区", ["相模大野", "麻溝台", "大野台"], "042", 3),
    ],
    .yokosukaMiura: [
      ("横須賀市", ["久里浜", "追浜町", "長井", "大津町"], "046", 6), ("鎌倉市", ["大船", "由比ガ浜", "台"], "0467", 3),
      ("逗子市", ["逗子", "沼間"], "046", 1), ("三浦市", ["三崎", "初声町"], "046", 2), ("葉山町", ["堀内", "一色"], "046", 1),
    ],
    .central: [
      ("厚木市", ["岡田", "林", "三田"], "046", 5), ("大和市", ["深見西", "上草柳", "中央林間"], "046", 4), ("海老名市", ["上今泉", "杉久保南"], "046", 3),
      ("座間市", ["ひばりが丘", "相模が丘"], "046", 2), ("綾瀬市", ["吉岡", "早川"], "0467", 2), ("愛川町", ["中津", "角田"], "046", 2),
      ("清川村", ["煤ケ谷"], "046", 1),
    ],
    .shonan: [
      ("平塚市", ["東八幡", "四之宮", "真土"], "0463", 4), ("藤沢市", ["湘南台", "辻堂", "石川", "鵠沼"], "0466", 5),
      ("茅ヶ崎市", ["萩園", "円蔵", "東海岸"], "0467", 3), ("秦野市", ["曽屋", "平沢", "堀山下"], "0463", 3), ("伊勢原市", ["鈴川", "石田"], "0463", 2),
      ("寒川町", ["一之宮", "田端"], "0467", 1), ("大磯町", ["国府本郷"], "0463", 1), ("二宮町", ["山西"], "0463", 1),
    ],
    .west: [
      ("小田原市", ["鴨宮", "扇町", "久野", "栄町"], "0465", 5), ("南足柄市", ["怒田", "塚原"], "0465", 2), ("中井町", ["井ノ口"], "0465", 1),
      ("大井町", ["金手"], "0465", 1), ("松田町", ["松田庶子"], "0465", 1), ("山北町", ["岸"], "0465", 1), ("開成町", ["吉田島"], "0465", 1),
      ("箱根町", ["湯本", "宮ノ下"], "0460", 2), ("真鶴町", ["岩"], "0465", 1), ("湯河原町", ["宮上"], "0465", 1),
    ],
  ]

  /// Where companies consulting the centre are, roughly by the number of businesses.
  static let regionWeights: [(Region, Int)] = [
    (.yokohama, 38), (.kawasaki, 14), (.sagamihara, 8), (.yokosukaMiura, 9), (.central, 11), (.shonan, 13), (.west, 7),
  ]

  /// The region of a company a partner of `region` knows: its own, or anywhere for a prefecture-wide one.
  func region(near partnerRegion: Region?, random: inout DemoRandom) -> Region {
    if let partnerRegion, Self.placesByRegion[partnerRegion] != nil, random.chance(900) { return partnerRegion }
    return random.weighted(Self.regionWeights)
  }

  /// A new company of `region`, none like any made before.
  mutating func make(in region: Region, random: inout DemoRandom) -> Company {
    let soleTrader = random.chance(120)
    var name = ""
    var kana = ""
    var industry = Industry.other
    var family = random.pick(Self.families)
    for _ in 0..<200 {
      let trade = random.weighted(Self.trades)
      let stem = soleTrader || random.chance(400) ? family : random.pick(Self.places)
      industry = trade.2
      kana = stem.1 + trade.1
      if soleTrader {
        name = stem.0 + trade.0
      } else {
        let form = random.weighted([("株式会社", 70), ("有限会社", 27), ("合同会社", 3)])
        name = random.chance(form == "株式会社" ? 650 : 900) ? form + stem.0 + trade.0 : stem.0 + trade.0 + form
      }
      // The name as compared, without folding: stems and trade words hold nothing to fold.
      if names.insert(stem.0 + trade.0).inserted { break }
      family = random.pick(Self.families)
    }
    let places = Self.placesByRegion[region] ?? Self.placesByRegion[.yokohama] ?? []
    let place = random.weighted(places.map { ($0, $0.weight) })
    let town = random.pick(place.towns)
    let lot = "\(random.int(1...6))-\(random.int(1...30))-\(random.int(1...20))"
    let address = "神奈川県\(place.municipality)\(town)\(lot)"
    let employees = random.weighted([(random.int(0...5), 32), (random.int(6...20), 36), (random.int(21...50), 21), (random.int(51...150), 9), (random.int(151...300), 2)])
    let sales: SalesBand =
      switch employees {
      case ...5: random.weighted([(.upTo30m, 65), (.upTo100m, 33), (.upTo300m, 2)])
      case ...20: random.weighted([(.upTo30m, 15), (.upTo100m, 50), (.upTo300m, 30), (.upTo1b, 5)])
      case ...50: random.weighted([(.upTo100m, 20), (.upTo300m, 50), (.upTo1b, 28), (.over1b, 2)])
      default: random.weighted([(.upTo300m, 20), (.upTo1b, 55), (.over1b, 25)])
      }
    let age = random.weighted([(random.int(45...59), 12), (random.int(60...69), 35), (random.int(70...79), 40), (random.int(80...88), 13)])
    let representative = (soleTrader || name.contains(family.0) ? family.0 : random.pick(Self.families).0) + " " + random.pick(Self.givenNames)
    return Company(
      name: name, nameKana: kana, corporateNumber: soleTrader ? nil : corporateNumber(name: name, random: &random), industry: industry,
      region: region, address: address, employees: employees, salesBand: sales, ownerAge: age, representative: representative,
      phone: phone(area: place.area, random: &random))
  }

  /// A company only a partner diagnosed: its name, its number (partners mostly know it), and its address.
  mutating func diagnosed(in region: Region, random: inout DemoRandom) -> DiagnosedCompany {
    let company = make(in: region, random: &random)
    return DiagnosedCompany(
      name: company.name, corporateNumber: random.chance(900) ? company.corporateNumber : nil, address: company.address)
  }

  /// The same company as another desk or partner types it: by its 法人番号 under a looser
  /// name, or without the number under the same name and address written another way (the
  /// legal form abbreviated or moved, full-width digits, 丁目・番地, a building after the lot).
  static func variant(of company: Company, byNumber: Bool, random: inout DemoRandom) -> Company {
    var copy = company
    var bare = company.name
    for form in ["株式会社", "有限会社", "合同会社"] { bare = bare.replacingOccurrences(of: form, with: "") }
    let form = ["株式会社", "有限会社", "合同会社"].first { company.name.contains($0) }
    if byNumber, company.corporateNumber != nil {
      copy.name = random.chance(500) ? bare : bare + "（" + (form ?? "") + "）"
      if random.chance(500) { copy.address = nil }
    } else {
      copy.corporateNumber = nil
      switch (form, random.below(3)) {
      case ("株式会社"?, 0): copy.name = "㈱" + bare
      case ("株式会社"?, 1): copy.name = "(株)" + bare
      case ("有限会社"?, 0): copy.name = "㈲" + bare
      case (let form?, _): copy.name = company.name.hasPrefix(form) ? bare + form : form + bare
      case (nil, _): copy.name = bare
      }
      if let address = company.address { copy.address = Self.rewritten(address, random: &random) }
    }
    copy.phone = random.chance(500) ? company.phone : nil
    copy.employees = random.chance(500) ? company.employees : nil
    copy.salesBand = random.chance(500) ? company.salesBand : nil
    copy.representative = random.chance(700) ? company.representative : nil
    return copy
  }

  /// `神奈川県横浜市中区山下町2-5-14` as `横浜市中区山下町２丁目５番１４号 第二ビル3階` and the like.
  private static func rewritten(_ address: String, random: inout DemoRandom) -> String {
    var text = address
    if random.chance(500), text.hasPrefix("神奈川県") { text = String(text.dropFirst(4)) }
    let parts = text.split(separator: "-")
    if parts.count == 3, random.chance(700) { text = "\(parts[0])丁目\(parts[1])番\(parts[2])号" }
    if random.chance(500) {
      text = String(text.unicodeScalars.map { scalar -> Character in
        guard ("0"..."9").contains(scalar), let wide = Unicode.Scalar(scalar.value - 0x30 + 0xFF10) else { return Character(scalar) }
        return Character(wide)
      })
    }
    if random.chance(400) { text += " " + random.pick(["第二ビル3階", "センタービル2F", "101号室"]) }
    return text
  }

  /// A 法人番号: the check digit and the 12-digit 会社法人等番号 (registry office, kind, serial), never one made before.
  private mutating func corporateNumber(name: String, random: inout DemoRandom) -> CorporateNumber? {
    let kind = name.contains("有限会社") ? "02" : name.contains("合同会社") ? "03" : "01"
    for _ in 0..<20 {
      let office = random.pick(["0200", "0201", "0202", "0203", "0204", "0205", "0206", "0207", "0208"])
      let serial = String(random.int(1...999_999))
      let base = office + kind + String(repeating: "0", count: 6 - serial.count) + serial
      let digits = base.unicodeScalars.map { UInt8($0.value - 0x30) }
      let text = String(CorporateNumber.checkDigit(for: digits)) + base
      guard numbers.insert(text).inserted else { continue }
      return try? CorporateNumber(text)
    }
    return nil
  }

  private func phone(area: String, random: inout DemoRandom) -> String {
    let local = String(random.int(2...9)) + (0..<(9 - area.count)).map { _ in String(random.below(10)) }.joined()
    let split = area.count == 3 ? 3 : area.count == 4 ? 2 : 4
    return "\(area)-\(local.prefix(split))-\(local.dropFirst(split))"
  }

  /// A person's name: family and given name, as staff write it.
  static func person(random: inout DemoRandom) -> String { random.pick(families).0 + " " + random.pick(givenNames) }
}
