import Foundation

/// How company names and addresses are compared to find the same company referred twice.
///
/// The forms are for matching only, never shown: a name typed `㈱ＡＢＣ商事`, `(株)ABC商事`,
/// `株式会社　ＡＢＣ商事` or `ABC商事株式会社` becomes `abc商事`. What is folded, in order:
/// - width (NFKC): full-width letters and digits to ASCII, half-width katakana to full width
///   (ｶﾞ → ガ), ㈱ → (株), ㍿ → 株式会社; ASCII letters to lower case;
/// - the legal form, wherever it stands: 株式会社, 有限会社, 合同会社, 合資会社, 合名会社 and
///   their bracketed abbreviations (株) (有) (同) (資) (名). A 有限会社 that became a 株式会社,
///   or a 前株 typed as 後株, is the same business to a desk; a wrong match is only a flag that
///   staff clear (``Case/clearDuplicate(_:_:_:)``), and the address must match too;
/// - small ヶ/ヵ as ケ/カ (茅ヶ崎 = 茅ケ崎), and a short list of variant kanji common in company
///   and place names and typical of Excel files saved as CP932 (髙 → 高, 﨑 → 崎, 濱 → 浜, …);
/// - spaces, punctuation and symbols (・, &, -, (), 「」, …) removed.
///
/// Linux Foundation's NFKC leaves a half-width voiced mark uncombined (ｶﾞ → カ + U+3099), so an
/// NFC pass follows it; without it the two spellings of ガ would be different keys.
public enum CompanyMatching {
  /// The name as compared.
  public static func name(_ text: String) -> String {
    var text = folded(text)
    for form in legalForms { text = text.replacingOccurrences(of: form, with: "") }
    return String(String.UnicodeScalarView(text.unicodeScalars.filter { !isSeparator($0) }))
  }

  /// The address as compared: the prefecture and postal code left out, 丁目/番地/番/号 and every
  /// dash as one `-`, and everything after the lot number (building, floor, room) dropped;
  /// kanji numbers before 丁目 read as digits (五丁目 = 5-).
  ///
  /// `〒231-0015 神奈川県横浜市中区尾上町５丁目８０番地 神奈川中小企業センタービル12階` and
  /// `横浜市中区尾上町5-80` both become `横浜市中区尾上町5-80`. Not handled: kanji numbers
  /// elsewhere (八十番地), and 番 inside a town name (一番町 becomes 一-町, the same for both
  /// spellings of it, so matching is unaffected unless one is typed 1番町).
  public static func address(_ text: String) -> String {
    var text = folded(text)
    text = text.replacingOccurrences(of: "〒", with: "")
    // A leading postal code, 231-0015 or 2310015.
    let scalars = Array(text.unicodeScalars.filter { !$0.properties.isWhitespace })
    var start = 0
    if scalars.count >= 7, scalars[0..<3].allSatisfy(isDigit) {
      if scalars.count >= 8, scalars[3] == "-", scalars[4..<8].allSatisfy(isDigit) { start = 8 }
      else if scalars[3..<7].allSatisfy(isDigit) { start = 7 }
    }
    text = String(String.UnicodeScalarView(scalars[start...]))
    for prefecture in prefectures where text.hasPrefix(prefecture) {
      text = String(text.dropFirst(prefecture.count))
      break
    }
    text = kanjiChome(text)
    for marker in ["丁目", "番地", "番", "号"] { text = text.replacingOccurrences(of: marker, with: "-") }
    var out: [Unicode.Scalar] = []
    var previous: Unicode.Scalar?
    var seenDigit = false
    for scalar in text.unicodeScalars {
      var scalar = scalar
      // ー after a digit is a hyphen typed in kana mode (5ー80); in センター it is a letter.
      if scalar == "ー", let previous, isDigit(previous) { scalar = "-" }
      if scalar == "の", let previous, isDigit(previous) { scalar = "-" }
      if isDash(scalar) { scalar = "-" }
      if scalar == "-" {
        if out.last != "-" && !out.isEmpty { out.append("-") }
        previous = scalar
        continue
      }
      if isSeparator(scalar) { continue }
      if seenDigit, !isDigit(scalar) { break }  // the lot number has ended: the rest is the building
      if isDigit(scalar) { seenDigit = true }
      out.append(scalar)
      previous = scalar
    }
    while out.last == "-" { out.removeLast() }
    return String(String.UnicodeScalarView(out))
  }

  /// The key a company is indexed under by name: its compared name and address, or nil when
  /// either is empty (a name alone is too weak to call two referrals the same company).
  public static func key(name: String, address: String?) -> String? {
    let name = Self.name(name)
    let address = Self.address(address ?? "")
    guard !name.isEmpty, !address.isEmpty else { return nil }
    return "\(name)@\(address)"
  }

  /// Reading (フリガナ) as typed: hiragana and half-width katakana become full-width katakana;
  /// nil when it holds anything but kana, ー, ・ and spaces.
  public static func katakana(_ text: String) -> String? {
    let folded = text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
    var out = String.UnicodeScalarView()
    var lastSpace = true
    for scalar in folded.unicodeScalars {
      switch scalar.value {
      case 0x3041...0x3096: if let kana = Unicode.Scalar(scalar.value + 0x60) { out.append(kana) }
      case 0x30A1...0x30FA, 0x30FB, 0x30FC: out.append(scalar)
      case 0x20, 0x3000:
        if !lastSpace { out.append(" ") }
        lastSpace = true
        continue
      default: return nil
      }
      lastSpace = false
    }
    let result = String(out).trimmingCharacters(in: .whitespaces)
    return result.isEmpty ? nil : result
  }

  // MARK: Folding

  static func folded(_ text: String) -> String {
    var text = text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping.lowercased()
    for (variant, plain) in variants { text = text.replacingOccurrences(of: variant, with: plain) }
    return text
  }

  /// Longest first, so 株式会社 goes before any shorter form inside it.
  static let legalForms = ["株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "(有)", "(同)", "(資)", "(名)"]

  /// Variant kanji (異体字) folded to the common form, and small ヶ/ヵ.
  static let variants: [(String, String)] = [
    ("髙", "高"), ("﨑", "崎"), ("嵜", "崎"), ("濱", "浜"), ("濵", "浜"), ("邊", "辺"), ("邉", "辺"), ("齋", "斎"), ("齊", "斉"),
    ("澤", "沢"), ("櫻", "桜"), ("廣", "広"), ("國", "国"), ("嶋", "島"), ("嶌", "島"), ("德", "徳"), ("瀨", "瀬"), ("冨", "富"),
    ("ヶ", "ケ"), ("ヵ", "カ"), ("ゖ", "け"), ("ゕ", "か"),
  ]

  static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

  static func isDash(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "-" || (0x2010...0x2015).contains(scalar.value) || scalar.value == 0x2212 || scalar.value == 0xFF70
  }

  /// Whitespace, punctuation and symbols: nothing that tells two companies apart.
  static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
    let properties = scalar.properties
    if properties.isWhitespace { return true }
    switch properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol, .control, .format:
      return true
    default: return false
    }
  }

  /// 五丁目 → 5丁目, 十二丁目 → 12丁目 (up to 99).
  static func kanjiChome(_ text: String) -> String {
    let digits: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
    var chars = Array(text)
    var index = 0
    while index < chars.count {
      // Find a run of kanji numerals directly followed by 丁目.
      var end = index
      while end < chars.count, digits[chars[end]] != nil || chars[end] == "十" { end += 1 }
      if end > index, end + 1 < chars.count, chars[end] == "丁", chars[end + 1] == "目" {
        let run = chars[index..<end]
        var value = 0
        if let ten = run.firstIndex(of: "十") {
          let tens = run[run.startIndex..<ten].first.flatMap { digits[$0] } ?? 1
          let ones = run[(ten + 1)...].first.flatMap { digits[$0] } ?? 0
          value = tens * 10 + ones
        } else {
          value = run.reduce(0) { $0 * 10 + (digits[$1] ?? 0) }
        }
        chars.replaceSubrange(index..<end, with: Array(String(value)))
        index += String(value).count + 2
      } else {
        index = Swift.max(end, index + 1)
      }
    }
    return String(chars)
  }

  /// The 47 prefectures, 北海道 first; an address that starts with one has it left out.
  static let prefectures = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都",
    "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府",
    "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県",
    "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
  ]
}
