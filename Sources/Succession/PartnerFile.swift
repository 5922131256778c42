public import Foundation
import SharedKernel

/// The partner list as the centre keeps it in Excel (連携支援機関名簿), saved as CSV in UTF-8
/// (with or without BOM) or Shift_JIS/CP932: one partner per row, columns found by their
/// heading in any order. Columns the file has beyond these are ignored.
///
/// | heading (any of) | required | holds |
/// |---|---|---|
/// | 機関コード, コード, ID | yes | the partner's id: ASCII letters, digits, `-`, `_` |
/// | 機関名, 名称 | yes | the name |
/// | 種別, 機関種別 | yes | 行政, 商工会, 商工会議所, 金融機関, 士業団体, その他支援機関 (or 銀行, 信用金庫, 税理士会, …) |
/// | 地域, 市区町村 | one of 地域 and 所在地 | a region (横浜, 県央, 県全域, 県外, …) or a municipality |
/// | 所在地, 住所 | | the address; gives the region when 地域 is empty |
/// | 担当者, 部署, 電話番号, メールアドレス | | the contact |
/// | 状態 | | 退会 (or 脱退, left) marks a partner that has left; empty or 在籍 is active |
/// | 退会理由 | | why it left |
///
/// A partner missing from the file is left as it is (a file may be a part of the list): leaving
/// is always said, in 状態.
public enum PartnerFile {
  static let columns: [(field: String, names: [String])] = [
    ("id", ["機関コード", "コード", "機関ID", "ID", "code"]),
    ("name", ["機関名", "名称", "機関名称", "name"]),
    ("type", ["種別", "機関種別", "区分", "type"]),
    ("region", ["地域", "市区町村", "所在市町村", "region"]),
    ("address", ["所在地", "住所", "address"]),
    ("person", ["担当者", "担当者名", "contact", "person"]),
    ("department", ["部署", "担当部署", "部署名", "department"]),
    ("phone", ["電話番号", "電話", "TEL", "phone"]),
    ("email", ["メールアドレス", "メール", "Eメール", "email", "e-mail"]),
    ("status", ["状態", "在籍", "status"]),
    ("leaveReason", ["退会理由", "reason"]),
  ]

  /// The Japanese heading for a field, for row problems.
  static func heading(of field: String?) -> String? {
    guard let field else { return nil }
    return columns.first { $0.field == field }?.names.first
  }

  /// The file as one import command, or every problem in it, each with its line.
  public static func read(_ data: Data) throws(SuccessionError) -> Partners.Command {
    let table = try CSVTable(data)
    var index: [String: Int] = [:]
    for (field, names) in columns { index[field] = table.column(names) }
    var missing: [String] = []
    for field in ["id", "name", "type"] where index[field] == nil { missing.append(heading(of: field) ?? field) }
    if index["region"] == nil && index["address"] == nil { missing.append("地域（または所在地）") }
    guard missing.isEmpty else {
      throw .importRejected([RowProblem(line: 1, column: nil, message: "見出しに「\(missing.joined(separator: "」「"))」がありません")])
    }
    var rows: [PartnerRow] = []
    var problems: [RowProblem] = []
    for record in table.rows {
      func value(_ field: String) -> String? { index[field].flatMap { Text.optional(record.fields[$0]) } }
      func problem(_ field: String, _ message: String) { problems.append(RowProblem(line: record.line, column: heading(of: field), message: message)) }
      guard let idText = value("id") else {
        problem("id", "機関コードが空です")
        continue
      }
      let id: PartnerID
      do { id = try PartnerID(idText) } catch {
        problem("id", "機関コード「\(idText)」に空白などの使えない文字があります")
        continue
      }
      guard let name = value("name") else {
        problem("name", "機関名が空です")
        continue
      }
      guard let typeText = value("type") else {
        problem("type", "種別が空です（行政、商工会、商工会議所、金融機関、士業団体、その他支援機関のいずれか）")
        continue
      }
      guard let type = PartnerType(typed: typeText) else {
        problem("type", "種別「\(typeText)」は分かりません（行政、商工会、商工会議所、金融機関、士業団体、その他支援機関のいずれか）")
        continue
      }
      let address = value("address")
      let region: Region
      if let regionText = value("region") {
        guard let typed = Region(typed: regionText) else {
          problem("region", "地域「\(regionText)」は分かりません（横浜、川崎、相模原、横須賀三浦、県央、湘南、県西、県全域、県外、または県内の市町村名）")
          continue
        }
        region = typed
      } else if let address, let typed = Region(typed: address) {
        region = typed
      } else {
        problem("region", "地域が空で、所在地からも分かりません")
        continue
      }
      var leaving = false
      if let status = value("status") {
        switch CompanyMatching.name(status) {
        case "退会", "脱退", "退会済", "left", "inactive": leaving = true
        case "在籍", "参加", "加盟", "active", "有効": leaving = false
        default:
          problem("status", "状態「\(status)」は分かりません（空欄・在籍、または退会）")
          continue
        }
      }
      let contact = PartnerContact(
        person: value("person"), department: value("department"), phone: value("phone"), email: value("email"), address: address)
      rows.append(
        PartnerRow(
          line: record.line, profile: PartnerProfile(id: id, name: name, type: type, region: region, contact: contact), leaving: leaving,
          leaveReason: value("leaveReason")))
    }
    guard problems.isEmpty else { throw .importRejected(problems) }
    return .importRows(rows)
  }
}
