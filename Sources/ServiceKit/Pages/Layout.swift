public import Foundation
import JapaneseCalendar
public import SharedKernel

/// Where the three services are, for the navigation between them.
public struct ServiceLinks: Sendable, Hashable {
  public var building: String
  public var succession: String
  public var deposits: String

  public init(building: String, succession: String, deposits: String) {
    self.building = building
    self.succession = succession
    self.deposits = deposits
  }

  /// The three services on one host at their default ports.
  public static func local(host: String) -> ServiceLinks {
    ServiceLinks(building: "http://\(host):8081", succession: "http://\(host):8082", deposits: "http://\(host):8083")
  }
}

/// The Japanese page layout every service shares: the header with the services and the signed-in
/// user, the content, and styles for the screen and for A4 print.
public struct Layout: Sendable {
  public var service: String
  public var links: ServiceLinks

  public init(service: String, links: ServiceLinks) {
    self.service = service
    self.links = links
  }

  /// A whole page.
  public func page(title: String, user: AuthenticatedUser?, content: [HTML]) -> String {
    let nav = HTML.element(
      "nav", ["aria-label": "サービス"],
      [
        link("施設管理", links.building, current: service == "kip-building"),
        link("事業承継支援", links.succession, current: service == "kip-succession"),
        link("預託事業", links.deposits, current: service == "kip-deposits"),
      ])
    var account: [HTML] = []
    if let user {
      account = [
        .element("span", ["class": "user"], [.text("\(user.login)（\(user.role.displayName)）")]),
        .element(
          "form", ["method": "post", "action": "/logout", "class": "logout"],
          [
            .element("input", ["type": "hidden", "name": Form.csrfField, "value": user.session?.csrfToken]),
            .element("button", ["type": "submit"], [.text("ログアウト")]),
          ]),
      ]
    }
    let header = HTML.element(
      "header", [:], [.element("div", ["class": "brand"], [.text("KIP 業務システム")]), nav, .element("div", ["class": "account"], account)])
    let body = HTML.element("body", [:], [header, .element("main", [:], [H.h1(title)] + content)])
    let head = HTML.element(
      "head", [:],
      [
        .element("meta", ["charset": "utf-8"]), .element("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
        .element("title", [:], [.text("\(title) | KIP")]), HTML(trusted: "<style>\(Self.styles)</style>"),
      ])
    return "<!DOCTYPE html>" + HTML.element("html", ["lang": "ja"], [head, body]).markup
  }

  private func link(_ text: String, _ href: String, current: Bool) -> HTML {
    .element("a", ["href": href + "/", "aria-current": current ? "page" : nil], [.text(text)])
  }

  /// Screen and A4 print styles; system Japanese fonts (Noto Sans CJK JP on the servers).
  static let styles = """
    :root{--ink:#1f2933;--muted:#616e7c;--line:#cbd2d9;--accent:#0b5394;--bad:#b42318}
    *{box-sizing:border-box}body{margin:0;font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",sans-serif;color:var(--ink);line-height:1.6}
    header{display:flex;gap:2rem;align-items:center;padding:.5rem 1.5rem;background:var(--accent);color:#fff}
    header a{color:#fff;margin-right:1rem;text-decoration:none}header a[aria-current=page]{font-weight:bold;border-bottom:2px solid #fff}
    .brand{font-weight:bold}.account{margin-left:auto;display:flex;gap:1rem;align-items:center}.logout{margin:0}
    main{padding:1rem 1.5rem;max-width:72rem}h1{font-size:1.4rem}
    table.data{border-collapse:collapse;margin:1rem 0}table.data th,table.data td{border:1px solid var(--line);padding:.3rem .6rem}
    table.data th{background:#f0f4f8}.num{text-align:right;font-variant-numeric:tabular-nums}
    form .field{margin:.8rem 0}form label{display:block;font-weight:bold}.required{color:var(--bad);font-size:.8em;margin-left:.5em}
    form input{font-size:1rem;padding:.3rem;min-width:20rem}.invalid input{border:2px solid var(--bad)}
    .field-error,.form-error{color:var(--bad);margin:.2rem 0}.hint{color:var(--muted)}
    button{font-size:1rem;padding:.3rem 1rem}form.inline{display:inline;margin-right:.3rem}form.inline button{font-size:.85rem;padding:.1rem .5rem}
    .notice{background:#e8f3ec;border-left:4px solid #2f7d4f;padding:.5rem 1rem;word-break:break-all}
    svg.chart .bar{fill:var(--accent)}svg.chart .line{fill:none;stroke:var(--accent);stroke-width:2}svg.chart .dot{fill:var(--accent)}
    svg.chart .axis{stroke:var(--muted)}svg.chart .reference{stroke:var(--bad);stroke-dasharray:6 4}svg.chart .tick{font-size:11px;fill:var(--muted)}svg.chart .chart-title{font-size:13px;font-weight:bold}
    form select{font-size:1rem;padding:.3rem;min-width:20rem}form textarea{font-size:1rem;padding:.3rem;min-width:30rem}
    form input[type=checkbox]{min-width:0;width:1.2rem;height:1.2rem}.invalid textarea,.invalid select{border:2px solid var(--bad)}
    tr.overdue td,.overdue{color:var(--bad);font-weight:bold}.warning{background:#fdecea;border-left:4px solid var(--bad);padding:.5rem 1rem}
    ol.timeline{list-style:none;padding:0;border-left:2px solid var(--line)}ol.timeline li{margin:.4rem 0;padding-left:1rem}ol.timeline .date{color:var(--muted);margin-right:.5rem}
    table.grid{border-collapse:collapse;margin:1rem 0;font-size:.9rem}table.grid th,table.grid td{border:1px solid var(--line);padding:.2rem .4rem;text-align:center}
    table.grid th.space{text-align:left;white-space:nowrap}table.grid td a{display:block;text-decoration:none;color:inherit}
    td.free{background:#fff}td.provisional{background:#fff4ce}td.confirmed{background:#cfe2f3}td.blocked{background:#e6e6e6;color:var(--muted)}
    td.closed{background:#d9d9d9;color:var(--muted)}.toolbar{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}.toolbar form{display:flex;gap:.5rem;align-items:center}
    .toolbar input{min-width:10rem}.document{max-width:180mm;border:1px solid var(--line);padding:10mm;margin:1rem 0}.document h2{text-align:center;letter-spacing:.5em}
    .stamp{margin-top:2rem;text-align:right}.slip table.stamps{margin-top:1rem;width:auto}.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(28rem,1fr));gap:1rem}tr.unmatched td{background:#fff6d6}.slip td.seal{width:22mm;height:20mm}.actions section{border-top:1px solid var(--line);margin-top:1rem}
    @page{size:A4;margin:15mm}
    @page wide{size:A4 landscape;margin:10mm}.wide-print table.data{font-size:.8rem}
    @media print{header nav,.account,form button,.actions,.toolbar,.no-print{display:none}.document{border:none;padding:0}header{background:none;color:#000;border-bottom:1px solid #000}
      main{max-width:none;padding:0}.wide-print{page:wide}.wide-print table.data{font-size:8pt}table.data{page-break-inside:auto}tr{page-break-inside:avoid}a{color:#000;text-decoration:none}}
    """
}

/// How pages write money and dates.
public enum Formats {
  /// `1,234,567円`.
  public static func yen(_ amount: Yen) -> String { amount.formatted(.yenSuffix) }
  /// `76,391,774千円`, truncated below 千円 as the foundation's budget tables are.
  public static func thousandYen(_ amount: Yen) -> String { amount.formatted(.thousandYen) }
  /// `令和5年3月31日`.
  public static func wareki(_ date: LocalDate) -> String { date.wareki.formatted(.full) }
  /// `令和5年3月31日（金）`.
  public static func warekiWithWeekday(_ date: LocalDate) -> String { "\(wareki(date))（\(date.weekday.japaneseName)）" }
  /// `2022-04-01 10:05`, Japan time (the fixed +09:00 offset).
  public static func instant(_ instant: Date) -> String {
    guard let day = try? LocalDate(japanTimeOf: instant) else { return instant.description }
    let minutes = Int(instant.timeIntervalSince(day.startInJapan) / 60)
    return "\(day) " + String(format: "%02d:%02d", minutes / 60, minutes % 60)
  }
}
