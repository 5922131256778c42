import BrowserSupport
import Foundation
import SharedKernel
import TestSupport
import Testing

/// 定期利用 in a real browser against the real `kip-building` executable: a year of Tuesday
/// evenings booked from the form, the series view with the dates not had, and its end.
@Suite("The series pages in a real browser", .serialized)
struct SeriesBrowserTests {
  let desk = DeskBrowserTests()

  @Test("a series booked on the page shows each date and the ones it could not have; ending it cancels the dates from then")
  func seriesPages() async throws {
    let log = try await DemoLog(then: [["building", "publish-catalogue", packageRoot.appending(path: "Deploy/building/catalogue.json").path]])
    let service = try await log.start("kip-building")
    let token = try log.token("desk")
    func api(_ path: String, _ extra: [String] = []) throws -> String { try service.api(path, token: token, extra) }
    let registered = try api(
      "api/customers", ["-X", "POST", "-H", "Idempotency-Key: c-\(UUID())", "-H", "Content-Type: application/json", "--data", #"{"name":"火曜合唱団","nameKana":"カヨウガッショウダン","kind":"circle","customerCategory":"nonprofit"}"#])
    let customer = try #require(registered.firstMatch(of: /"id":"(c-[^"]+)"/)).1
    // The first Tuesday at least a week ahead, and someone else's booking four weeks after it.
    var first = try LocalDate(japanTimeOf: Date()).adding(days: 7)
    while first.weekday != .tuesday { first = try first.adding(days: 1) }
    let taken = try first.adding(days: 28)
    let other = try api(
      "api/bookings", ["-X", "POST", "-H", "Idempotency-Key: o-\(UUID())", "-H", "Content-Type: application/json", "--data", #"{"space":"room-201","date":"\#(taken)","slot":"evening","customer":{"name":"先客"}}"#])
    #expect(other.contains(#""status":"confirmed""#), "\(other)")
    let until = try first.adding(days: 7 * 12)

    let browser = try await Browser.open()
    do {
      try await desk.signIn(browser, at: service, as: "desk")
      try await browser.go(to: URL(string: "\(service.baseURL.absoluteString)/desk/series/new?customer=\(customer)&space=room-201")!)
      #expect(try await browser.title == "定期利用の受付 | KIP")
      try await browser.element("#field-from").clear()
      try await browser.element("#field-from").type(first.description)
      try await browser.element("#field-until").type(until.description)
      try await browser.element("#field-purpose").type("合唱練習")
      try await browser.element("main form button[type=submit]").click()
      #expect(try await desk.arrive(browser, at: { $0.hasPrefix("/desk/series/s-") }))
      #expect(try await browser.element("p.notice").text.contains("定期利用を受け付けました"))
      let tables = try await browser.source
      // 13 Tuesdays; the one taken is reported with why (unless it is in 年末年始, then two are).
      let booked = tables.components(separatedBy: "<tr>").filter { $0.contains("/desk/bookings/s-") }.count
      #expect(tables.contains("予約できなかった日") && tables.contains(taken.description) && tables.contains("既に予約されています"))
      #expect(booked >= 11 && booked <= 12, "\(booked) dates booked")
      let id = try #require(try await browser.currentURL).lastPathComponent

      // Ended from the sixth Tuesday: it and the later ones are cancelled; the earlier ones stand.
      let end = try first.adding(days: 35)
      try await browser.element("#field-from").type(end.description)
      try await browser.element("#field-reason").type("練習場所の変更")
      try await browser.element("form[action=\"/desk/series/\(id)/end\"] button[type=submit]").click()
      #expect(try await desk.arrive(browser, at: { $0 == "/desk/series/\(id)" }))
      #expect(try await browser.element("p.notice").text.contains("定期利用を終了しました"))
      let series = try api("api/series/\(id)")
      #expect(series.contains(#""endedFrom":"\#(end)""#), "\(series)")
      let object = try #require(try JSONSerialization.jsonObject(with: Data(series.utf8)) as? [String: Any])
      let statuses = try #require(object["bookings"] as? [[String: Any]]).map { ($0["date"] as? String ?? "", $0["status"] as? String ?? "") }
      #expect(statuses.count == booked)
      for (date, status) in statuses {
        #expect(status == (date >= end.description ? "cancelled" : "confirmed"), "\(date) \(status)")
      }
      await browser.close()
    } catch {
      await browser.saveScreenshot(named: "series-pages-failed")
      await browser.close()
      throw error
    }
    #expect(try service.terminate() == 0)
  }
}
