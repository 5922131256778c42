import Foundation

/// Test fixtures built from the layout tables of zengin-layout.md — written out again here, field
/// by field, rather than taken from BankFiles, so that a wrong position in the library shows up
/// as a failing test instead of agreeing with itself.
enum Fixture {
  /// 属性: N (right-justified, zero-filled) or C (left-justified, space-filled).
  enum Attribute { case n, c }

  /// One row of a layout table: the field's Japanese name, its length and attribute.
  struct Field {
    var name: String
    var length: Int
    var attribute: Attribute
    init(_ name: String, _ length: Int, _ attribute: Attribute) {
      self.name = name
      self.length = length
      self.attribute = attribute
    }
  }

  /// How optional N fields that are not given are filled: both occur in banks' files.
  enum Blank { case zeros, spaces }

  // MARK: 入出金取引明細 (03), 200 bytes

  static let header03: [Field] = [
    .init("データ区分", 1, .n), .init("種別コード", 2, .n), .init("コード区分", 1, .n), .init("作成日", 6, .n),
    .init("勘定日（自）", 6, .n), .init("勘定日（至）", 6, .n), .init("銀行コード", 4, .n), .init("銀行名", 15, .c),
    .init("支店コード", 3, .n), .init("支店名", 15, .c), .init("ダミー（000）", 3, .n), .init("預金種目", 1, .n),
    .init("口座番号", 10, .n), .init("口座名", 40, .c), .init("貸越区分", 1, .n), .init("通帳・証書区分", 1, .n),
    .init("取引前残高", 14, .n), .init("ダミー", 71, .c),
  ]

  static let liquid03: [Field] = [
    .init("データ区分", 1, .n), .init("照会番号", 8, .n), .init("勘定日", 6, .n), .init("預入・払出日", 6, .n),
    .init("入払区分", 1, .n), .init("取引区分", 2, .n), .init("取引金額", 12, .n), .init("うち他店券金額", 12, .n),
    .init("交換呈示日", 6, .n), .init("不渡返還日", 6, .n), .init("手形・小切手区分", 1, .n), .init("手形・小切手番号", 7, .n),
    .init("僚店番号", 3, .n), .init("振込依頼人コード", 10, .n), .init("振込依頼人名または契約者番号", 48, .c),
    .init("仕向銀行名", 15, .c), .init("仕向店名", 15, .c), .init("摘要内容", 20, .c), .init("EDI情報", 20, .c),
    .init("ダミー", 1, .c),
  ]

  static let timeDeposit03: [Field] = [
    .init("データ区分", 1, .n), .init("識別番号", 8, .n), .init("勘定日", 6, .n), .init("預入・払出日", 6, .n),
    .init("入払区分", 1, .n), .init("取引区分", 2, .n), .init("取引金額", 12, .n), .init("うち他店券金額", 12, .n),
    .init("交換呈示日", 6, .n), .init("不渡返還日", 6, .n), .init("手形・小切手区分", 1, .n), .init("手形・小切手番号", 7, .n),
    .init("僚店番号", 3, .n), .init("当初預入日", 6, .n), .init("利率", 6, .n), .init("満期日", 6, .n), .init("期間(1)", 7, .n),
    .init("期間利息", 11, .n), .init("中間払利率", 6, .n), .init("中間払区分", 1, .n), .init("期後期間", 4, .n),
    .init("期後利率", 6, .n), .init("期後利息", 9, .n), .init("合計利息", 11, .n), .init("税区分", 1, .n), .init("税率", 4, .n),
    .init("税額", 10, .n), .init("税引後利息", 11, .n), .init("摘要内容", 20, .c), .init("期間(2)", 5, .n),
    .init("期間利息正負表示", 1, .n), .init("ダミー", 4, .c),
  ]

  static let trailer03: [Field] = [
    .init("データ区分", 1, .n), .init("入金件数", 6, .n), .init("入金額合計", 13, .n), .init("出金件数", 6, .n),
    .init("出金額合計", 13, .n), .init("貸越区分", 1, .n), .init("取引後残高", 14, .n), .init("データ・レコード件数", 7, .n),
    .init("ダミー", 139, .c),
  ]

  static let end03: [Field] = [.init("データ区分", 1, .n), .init("レコード総件数", 10, .n), .init("口座数", 5, .n), .init("ダミー", 184, .c)]

  // MARK: 総合振込 (21), 120 bytes

  static let header21: [Field] = [
    .init("データ区分", 1, .n), .init("種別コード", 2, .n), .init("コード区分", 1, .n), .init("振込依頼人コード", 10, .n),
    .init("振込依頼人名", 40, .c), .init("取組日", 4, .n), .init("仕向銀行番号", 4, .n), .init("仕向銀行名", 15, .c),
    .init("仕向支店番号", 3, .n), .init("仕向支店名", 15, .c), .init("預金種目", 1, .n), .init("口座番号", 7, .n),
    .init("ダミー", 17, .c),
  ]

  static let data21: [Field] = [
    .init("データ区分", 1, .n), .init("被仕向銀行番号", 4, .n), .init("被仕向銀行名", 15, .c), .init("被仕向支店番号", 3, .n),
    .init("被仕向支店名", 15, .c), .init("手形交換所番号", 4, .n), .init("預金種目", 1, .n), .init("口座番号", 7, .n),
    .init("受取人名", 30, .c), .init("振込金額", 10, .n), .init("新規コード", 1, .n), .init("顧客コード1", 10, .n),
    .init("顧客コード2", 10, .n), .init("振込指定区分", 1, .n), .init("識別表示", 1, .c), .init("ダミー", 7, .c),
  ]

  static let trailer21: [Field] = [.init("データ区分", 1, .n), .init("合計件数", 6, .n), .init("合計金額", 12, .n), .init("ダミー", 101, .c)]

  static let end21: [Field] = [.init("データ区分", 1, .n), .init("ダミー", 119, .c)]

  // MARK: Assembling records

  /// JIS8 bytes of half-width text: ASCII as itself, U+FF61–U+FF9F as 0xA1–0xDF.
  static func jis8(_ text: String) -> [UInt8] {
    text.unicodeScalars.map { scalar in
      switch scalar.value {
      case 0x20...0x7E: UInt8(scalar.value)
      case 0xFF61...0xFF9F: UInt8(scalar.value - 0xFF61 + 0xA1)
      default: fatalError("not JIS8 in a fixture: \(scalar)")
      }
    }
  }

  /// One record: each field from `values` (by name), padded by its attribute; fields not given
  /// are zeros (N, or spaces with `blank: .spaces`) or spaces (C).
  static func record(_ layout: [Field], _ values: [String: String], blank: Blank = .zeros) -> [UInt8] {
    for name in values.keys { precondition(layout.contains { $0.name == name }, "no field \(name) in this layout") }
    var bytes: [UInt8] = []
    for field in layout {
      guard let value = values[field.name] else {
        let fill: UInt8 = field.attribute == .n && blank == .zeros ? 0x30 : 0x20
        bytes += Array(repeating: fill, count: field.length)
        continue
      }
      let encoded = jis8(value)
      precondition(encoded.count <= field.length, "\(field.name): \(value) is longer than \(field.length)")
      let padding = Array(repeating: field.attribute == .n ? UInt8(0x30) : 0x20, count: field.length - encoded.count)
      bytes += field.attribute == .n ? padding + encoded : encoded + padding
    }
    return bytes
  }

  /// The 1-based first byte of `name` in `layout` (for tests that poke at bytes).
  static func position(of name: String, in layout: [Field]) -> Int {
    var position = 1
    for field in layout {
      if field.name == name { return position }
      position += field.length
    }
    fatalError("no field \(name)")
  }

  // MARK: Whole 03 files

  /// One account group: header values over ``defaultHeader``, the data records' values, and
  /// trailer values that replace the ones worked out from the data.
  struct Account {
    var header: [String: String] = [:]
    var lines: [[String: String]] = []
    var trailer: [String: String] = [:]
  }

  static let defaultHeader: [String: String] = [
    "データ区分": "1", "種別コード": "03", "コード区分": "0", "作成日": "060405", "勘定日（自）": "060401", "勘定日（至）": "060404",
    "銀行コード": "0138", "銀行名": "ﾖｺﾊﾏ", "支店コード": "001", "支店名": "ﾎﾝﾃﾝ", "預金種目": "1", "口座番号": "1234567",
    "口座名": "ｻﾞｲ)ｶﾅｶﾞﾜｹﾝ", "貸越区分": "1", "通帳・証書区分": "1", "取引前残高": "5000000",
  ]

  /// A liquid data record: 入金 ("1") or 出金 ("2") of `amount` on `date`.
  static func line(_ inquiry: String, _ date: String, _ direction: String, _ amount: Int64, _ extra: [String: String] = [:]) -> [String: String] {
    ["データ区分": "2", "照会番号": inquiry, "勘定日": date, "預入・払出日": date, "入払区分": direction, "取引金額": String(amount)]
      .merging(extra) { $1 }
  }

  enum Separator { case none, crlfAfterEach, crlfBetween, noneWithFinalCRLF, lf }

  /// The file of `accounts`: trailers worked out from their lines (counts, sums, the closing
  /// balance with its 貸越区分), the end record counting itself or not.
  static func statement(
    _ accounts: [Account], separator: Separator = .crlfAfterEach, endCountsItself: Bool = true, blank: Blank = .zeros,
    end: [String: String] = [:]
  ) -> [UInt8] {
    var records: [[UInt8]] = []
    for account in accounts {
      let header = defaultHeader.merging(account.header) { $1 }
      records.append(record(header03, header, blank: blank))
      let timeDeposit = ["5", "6", "7"].contains(header["預金種目"] ?? "")
      var paidIn = (0, Int64(0))
      var paidOut = (0, Int64(0))
      for line in account.lines {
        records.append(record(timeDeposit ? timeDeposit03 : liquid03, line, blank: blank))
        let amount = Int64(line["取引金額"] ?? "0") ?? 0
        if line["入払区分"] == "1" { paidIn = (paidIn.0 + 1, paidIn.1 + amount) } else { paidOut = (paidOut.0 + 1, paidOut.1 + amount) }
      }
      let opening = (header["貸越区分"] == "2" ? -1 : 1) * (Int64(header["取引前残高"] ?? "0") ?? 0)
      let closing = opening + paidIn.1 - paidOut.1
      let trailer: [String: String] = [
        "データ区分": "8", "入金件数": String(paidIn.0), "入金額合計": String(paidIn.1), "出金件数": String(paidOut.0),
        "出金額合計": String(paidOut.1), "貸越区分": closing < 0 ? "2" : "1", "取引後残高": String(closing.magnitude),
        "データ・レコード件数": String(account.lines.count),
      ]
      records.append(record(trailer03, trailer.merging(account.trailer) { $1 }, blank: blank))
    }
    let total = records.count + (endCountsItself ? 1 : 0)
    records.append(record(end03, ["データ区分": "9", "レコード総件数": String(total), "口座数": String(accounts.count)].merging(end) { $1 }, blank: blank))
    return join(records, separator)
  }

  static func join(_ records: [[UInt8]], _ separator: Separator) -> [UInt8] {
    let crlf: [UInt8] = [0x0D, 0x0A]
    switch separator {
    case .none: return records.flatMap { $0 }
    case .crlfAfterEach: return records.flatMap { $0 + crlf }
    case .crlfBetween: return Array(records.map { $0 }.joined(separator: crlf))
    case .noneWithFinalCRLF: return records.flatMap { $0 } + crlf
    case .lf: return records.flatMap { $0 + [0x0A] }
    }
  }

  /// The records of a file written with CRLF after each (to edit one and join them again).
  static func records(of file: [UInt8], length: Int = 200) -> [[UInt8]] {
    stride(from: 0, to: file.count, by: length + 2).map { Array(file[$0..<$0 + length]) }
  }
}
