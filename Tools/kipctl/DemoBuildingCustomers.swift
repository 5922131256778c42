import Building
import SharedKernel

/// The demo building's registered customers (利用者登録): companies, support bodies, neighbourhood
/// circles and individuals of Yokohama and Kanagawa. Every name, reading and number is made up.
/// Their ids are fixed (`c-demo-001` …), so a second seed finds them and adds nothing.
struct DemoCustomer: Sendable {
  var id: CustomerID
  var profile: CustomerProfile
  /// How often they book, relative to the others of their kind.
  var weight: Int

  static let prefix = "c-demo-"

  /// Name, reading, kind, tier, phone, contact person, the mail domain's first label, weight.
  private typealias Row = (String, String, CustomerKind, CustomerTier, String, String?, String?, Int)

  private static let rows: [Row] = [
    // 企業 (会員 = 県内中小企業の会員)
    ("株式会社みなと精機", "ミナトセイキ", .company, .member, "045-681-2231", "佐藤 健一", "minato-seiki", 5),
    ("横浜ベイ電子工業株式会社", "ヨコハマベイデンシコウギョウ", .company, .member, "045-772-4810", "加藤 隆", "baydenshi", 3),
    ("有限会社山手印刷", "ヤマテインサツ", .company, .member, "045-622-1907", "山口 聡子", "yamate-print", 2),
    ("株式会社関内ソフトウェア", "カンナイソフトウェア", .company, .member, "045-664-3352", "松本 翔太", "kannai-soft", 4),
    ("株式会社相模原金型製作所", "サガミハラカナガタセイサクショ", .company, .member, "042-752-6618", "井上 修", "sagami-kanagata", 2),
    ("川崎テクノサービス株式会社", "カワサキテクノサービス", .company, .general, "044-211-5073", "木村 真理", "kawasaki-techno", 3),
    ("株式会社湘南フーズ", "ショウナンフーズ", .company, .member, "0466-23-4417", "林 美穂", "shonan-foods", 3),
    ("株式会社港北ロジスティクス", "コウホクロジスティクス", .company, .general, "045-471-9025", "清水 大樹", "kohoku-logi", 2),
    ("株式会社藤沢ケミカル", "フジサワケミカル", .company, .member, "0466-82-3390", "山崎 亮", "fujisawa-chem", 2),
    ("株式会社厚木メディカル", "アツギメディカル", .company, .general, "046-225-7781", "森 彩", "atsugi-medical", 3),
    ("株式会社鶴見製作所", "ツルミセイサクショ", .company, .member, "045-503-2264", "池田 浩", "tsurumi-ss", 2),
    ("株式会社元町テキスタイル", "モトマチテキスタイル", .company, .member, "045-641-8852", "橋本 由紀", "motomachi-tex", 2),
    ("平塚工業株式会社", "ヒラツカコウギョウ", .company, .member, "0463-21-6604", "石川 勉", "hiratsuka-kogyo", 2),
    ("株式会社みなとみらい企画", "ミナトミライキカク", .company, .general, "045-222-3915", "前田 恵", "mm-kikaku", 4),
    ("株式会社戸塚建設", "トツカケンセツ", .company, .member, "045-861-4470", "藤田 誠", "totsuka-kensetsu", 2),
    ("株式会社横須賀マリンテック", "ヨコスカマリンテック", .company, .member, "046-822-5136", "岡田 拓也", "yokosuka-marine", 2),
    ("株式会社中華街フードサービス", "チュウカガイフードサービス", .company, .general, "045-663-2208", "後藤 麗", "chinatown-fs", 2),
    ("株式会社緑区造園", "ミドリクゾウエン", .company, .member, "045-932-1183", "長谷川 豊", "midori-zouen", 1),
    ("株式会社新横浜システム", "シンヨコハマシステム", .company, .general, "045-477-6620", "村上 健太", "shinyoko-sys", 3),
    ("小田原かまぼこ本舗株式会社", "オダワラカマボコホンポ", .company, .member, "0465-22-3841", "近藤 正樹", "odawara-kamaboko", 2),
    ("株式会社大和精密", "ヤマトセイミツ", .company, .member, "046-262-5507", "坂本 悟", "yamato-seimitsu", 2),
    ("株式会社海老名データセンター", "エビナデータセンター", .company, .general, "046-231-9904", "遠藤 直美", "ebina-dc", 2),
    ("株式会社磯子化成", "イソゴカセイ", .company, .member, "045-751-3326", "青木 光", "isogo-kasei", 1),
    ("株式会社鎌倉デザイン工房", "カマクラデザインコウボウ", .company, .general, "0467-24-6618", "西村 葵", "kamakura-design", 2),
    // 支援機関・団体
    ("かながわ事業承継ネットワーク", "カナガワジギョウショウケイネットワーク", .body, .nonprofit, "045-633-5120", "福田 孝", "k-shoukei", 5),
    ("横浜中区商店街連合会", "ヨコハマナカクショウテンガイレンゴウカイ", .body, .nonprofit, "045-681-7742", "太田 三郎", "naka-shotengai", 3),
    ("かながわ中小企業団体連絡協議会", "カナガワチュウショウキギョウダンタイレンラクキョウギカイ", .body, .nonprofit, "045-633-5201", "三浦 和夫", "k-dantai", 3),
    ("一般社団法人横浜創業支援協会", "ヨコハマソウギョウシエンキョウカイ", .body, .nonprofit, "045-212-4470", "藤井 早苗", "yokohama-sogyo", 4),
    ("湘南地域金融機関連絡会", "ショウナンチイキキンユウキカンレンラクカイ", .body, .general, "0466-27-1155", "岡本 義明", "shonan-kinyu", 2),
    ("税理士法人みなと会計", "ミナトカイケイ", .body, .general, "045-662-0381", "松田 直人", "minato-kaikei", 3),
    ("特定非営利活動法人よこはま起業塾", "ヨコハマキギョウジュク", .body, .nonprofit, "045-228-6613", "中島 愛", "kigyojuku", 3),
    ("神奈川中小企業診断士の会", "カナガワチュウショウキギョウシンダンシノカイ", .body, .nonprofit, "045-664-2290", "原田 昭", "k-shindanshi", 3),
    ("横浜港湾地区町内会連合会", "ヨコハマコウワンチクチョウナイカイレンゴウカイ", .body, .nonprofit, "045-201-8834", "小川 清", nil, 2),
    ("かながわ女性起業家ネットワーク", "カナガワジョセイキギョウカネットワーク", .body, .nonprofit, "045-316-4451", "竹内 裕子", "k-womenbiz", 2),
    ("京浜臨海部産業振興協議会", "ケイヒンリンカイブサンギョウシンコウキョウギカイ", .body, .nonprofit, "044-544-2076", "金子 正", "keihin-sangyo", 2),
    ("社会保険労務士法人ハーバー", "ハーバー", .body, .general, "045-650-7713", "和田 俊介", "harbor-sr", 2),
    // サークル・地域団体
    ("関内コーラスの会", "カンナイコーラスノカイ", .circle, .nonprofit, "045-681-5530", "中野 春子", nil, 3),
    ("書道サークル墨游会", "ショドウサークルボクユウカイ", .circle, .nonprofit, "045-622-4018", "石井 和子", nil, 2),
    ("尾上町囲碁クラブ", "オノエチョウイゴクラブ", .circle, .nonprofit, "045-641-2297", "山下 勝", nil, 2),
    ("港の茶道教室", "ミナトノサドウキョウシツ", .circle, .nonprofit, "045-664-7105", "小野 千代", nil, 2),
    ("横浜フォークダンス同好会", "ヨコハマフォークダンスドウコウカイ", .circle, .nonprofit, "045-251-3364", "田村 洋子", nil, 2),
    ("ハマの英会話サロン", "ハマノエイカイワサロン", .circle, .nonprofit, "045-290-6628", "河野 剛", nil, 2),
    ("中区シニア体操クラブ", "ナカクシニアタイソウクラブ", .circle, .nonprofit, "045-681-9046", "安藤 節子", nil, 2),
    ("みなと俳句会", "ミナトハイクカイ", .circle, .nonprofit, "045-663-8871", "今井 静香", nil, 1),
    ("横浜ピアノ教室 生徒の会", "ヨコハマピアノキョウシツ セイトノカイ", .circle, .nonprofit, "045-231-5507", "丸山 玲奈", nil, 2),
    ("山下公園写真クラブ", "ヤマシタコウエンシャシンクラブ", .circle, .nonprofit, "045-662-3139", "増田 修", nil, 1),
    ("日本大通り朗読の会", "ニホンオオドオリロウドクノカイ", .circle, .nonprofit, "045-201-4462", "杉山 文子", nil, 1),
    ("伊勢佐木町ジャズ愛好会", "イセザキチョウジャズアイコウカイ", .circle, .nonprofit, "045-261-7780", "村田 健", nil, 2),
    ("横浜手話サークルみなと", "ヨコハマシュワサークルミナト", .circle, .nonprofit, "045-681-2605", "平野 恵美", nil, 1),
    ("馬車道マンドリンアンサンブル", "バシャミチマンドリンアンサンブル", .circle, .nonprofit, "045-212-9931", "大野 雅人", nil, 2),
    ("野毛将棋同好会", "ノゲショウギドウコウカイ", .circle, .nonprofit, "045-231-4458", "菅原 茂", nil, 1),
    ("本牧子ども劇団", "ホンモクコドモゲキダン", .circle, .nonprofit, "045-621-8813", "松井 由香", nil, 2),
    // 個人
    ("山本 美和子", "ヤマモト ミワコ", .individual, .general, "045-432-7716", nil, nil, 2),
    ("田中 浩二", "タナカ コウジ", .individual, .general, "045-321-6650", nil, nil, 2),
    ("鈴木 由美", "スズキ ユミ", .individual, .general, "045-543-2281", nil, nil, 1),
    ("高橋 誠", "タカハシ マコト", .individual, .general, "044-733-5092", nil, nil, 2),
    ("伊藤 さくら", "イトウ サクラ", .individual, .general, "045-833-1147", nil, nil, 1),
    ("渡辺 大輔", "ワタナベ ダイスケ", .individual, .general, "046-873-2269", nil, nil, 1),
    ("中村 恵子", "ナカムラ ケイコ", .individual, .general, "045-712-9384", nil, nil, 1),
    ("小林 直樹", "コバヤシ ナオキ", .individual, .general, "0466-36-5128", nil, nil, 1),
  ]

  /// Every demo customer, in their fixed order.
  static let all: [DemoCustomer] = rows.enumerated().compactMap { index, row in
    let (name, kana, kind, tier, phone, contact, domain, weight) = row
    let number = String(index + 1)
    guard let id = try? CustomerID(prefix + String(repeating: "0", count: max(0, 3 - number.count)) + number) else { return nil }
    let profile = CustomerProfile(
      name: name, nameKana: kana, kind: kind, tier: tier, phone: phone, email: domain.map { "info@\($0).example.jp" }, contactPerson: contact)
    return DemoCustomer(id: id, profile: profile, weight: weight)
  }
}

/// A customer who books the same space at the same time every week (or every month): the
/// circles' practice evenings, a company's weekly meeting, a body's monthly consultation day.
struct DemoSeries: Sendable {
  /// The customer's number (1-based, as in their id).
  var customer: Int
  var space: String
  var weekday: Weekday
  /// The week of the month (1–4) for a monthly series; nil for every week.
  var week: Int?
  var slot: Slot
  var purpose: String
  var attendees: Int
  var equipment: [EquipmentLine] = []
  var reduction: (id: String, reason: String)? = nil

  static let all: [DemoSeries] = [
    DemoSeries(customer: 1, space: "room-201", weekday: .monday, week: nil, slot: .morning, purpose: "営業会議", attendees: 14),
    DemoSeries(customer: 38, space: "room-601", weekday: .wednesday, week: nil, slot: .evening, purpose: "書道の練習", attendees: 11),
    DemoSeries(customer: 40, space: "room-601", weekday: .saturday, week: nil, slot: .afternoon, purpose: "茶道の稽古", attendees: 9),
    DemoSeries(customer: 39, space: "room-402", weekday: .thursday, week: nil, slot: .afternoon, purpose: "囲碁例会", attendees: 10),
    DemoSeries(customer: 37, space: "room-501", weekday: .tuesday, week: nil, slot: .evening, purpose: "合唱の練習", attendees: 28),
    DemoSeries(customer: 43, space: "hall-c", weekday: .monday, week: nil, slot: .morning, purpose: "シニア体操教室", attendees: 35),
    DemoSeries(customer: 42, space: "room-303", weekday: .friday, week: nil, slot: .evening, purpose: "英会話サロン", attendees: 8),
    DemoSeries(customer: 51, space: "room-202", weekday: .sunday, week: nil, slot: .afternoon, purpose: "将棋の例会", attendees: 10),
    DemoSeries(customer: 44, space: "room-601", weekday: .monday, week: 2, slot: .afternoon, purpose: "句会", attendees: 12),
    DemoSeries(
      customer: 25, space: "room-401", weekday: .thursday, week: 3, slot: .afternoon, purpose: "事業承継個別相談会", attendees: 30,
      equipment: [EquipmentLine(item: "projector", quantity: 1), EquipmentLine(item: "screen", quantity: 1)],
      reduction: ("public-half", "県委託事業（事業承継個別相談会）")),
    DemoSeries(customer: 32, space: "room-301-302", weekday: .saturday, week: 1, slot: .afternoon, purpose: "診断士研究会", attendees: 30,
      equipment: [EquipmentLine(item: "projector", quantity: 1)]),
    DemoSeries(customer: 26, space: "room-401", weekday: .tuesday, week: 2, slot: .evening, purpose: "理事会", attendees: 24),
  ]

  /// Whether the series meets on `date`.
  func meets(on date: LocalDate) -> Bool {
    guard date.weekday == weekday else { return false }
    guard let week else { return true }
    return (date.day - 1) / 7 + 1 == week
  }
}
