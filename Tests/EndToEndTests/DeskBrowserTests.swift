import BrowserSupport
import Foundation
import SharedKernel
import TestSupport
import Testing

/// The front desk in a real browser against the real `kip-building` executable.
@Suite("The desk page in a real browser", .serialized)
struct DeskBrowserTests {
  /// Signs in at the service's login page.
  func signIn(_ browser: Browser, at service: ServiceProcess, as login: String) async throws {
    try await browser.go(to: service.baseURL.appending(path: "login"))
    try await browser.element("#field-login").type(login)
    try await browser.element("#field-password").type("kip-demo-\(login)")
    try await browser.element("main button[type=submit]").click()
    // The sign-in answers with a redirect home: wait for it before going anywhere else.
    #expect(try await arrive(browser, at: { $0 == "/" }), "signed in as \(login)")
  }

  /// Waits (with a deadline) until the browser shows a page whose path fits: a click on a
  /// submit button returns before the browser has the answer.
  func arrive(_ browser: Browser, at fits: (String) -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(15)
    while ContinuousClock.now < deadline {
      if let path = try await browser.currentURL?.path, fits(path) { return true }
      try await Task.sleep(for: .milliseconds(50))
    }
    return false
  }

  @Test("a booking made on the page is in the grid at once, in the API and in the log; a second desk trying the same slot is refused")
  func bookOnThePage() async throws {
    let data = temporaryFolder()
    let environment = [
      "KIP_DATA_DIR": data.path, "KIP_EVENT_LOG": "sqlite://\(data.appending(path: "events.sqlite").path)", "KIP_BCRYPT_COST": "4",
    ]
    let kipctl = executable("kipctl")
    try await DemoSeed.copy(into: data)
    let service = try ServiceProcess("kip-building", environment: environment)
    try await service.waitUntilListening()
    try await service.waitUntilReady()
    let manager = try run(kipctl, ["users", "token", "building-manager"], environment: environment).output.trimmingCharacters(in: .whitespacesAndNewlines)
    let deskToken = try run(kipctl, ["users", "token", "desk"], environment: environment).output.trimmingCharacters(in: .whitespacesAndNewlines)
    // The manager publishes the shipped catalogue (a second publish of the same file changes nothing).
    let catalogue = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appending(path: "Deploy/building/catalogue.json")
    let body = data.appending(path: "publish.json")
    try Data(#"{"note":"browser test","catalogue":"#.utf8 + (try Data(contentsOf: catalogue)) + Data("}".utf8)).write(to: body)
    let published = try run(
      URL(filePath: "/usr/bin/curl"),
      ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", service.baseURL.appending(path: "api/catalogue").absoluteString,
       "-H", "Authorization: Bearer \(manager)", "-H", "Idempotency-Key: publish-\(UUID())", "-H", "Content-Type: application/json", "--data-binary", "@\(body.path)"])
    #expect(published.output == "200")

    // A day two weeks ahead, in Japan.
    let day = try LocalDate(japanTimeOf: Date()).adding(days: 14)
    let browser = try await Browser.open()
    let second = try await Browser.open()
    func finish(_ name: String?) async {
      if let name {
        await browser.saveScreenshot(named: name)
        await second.saveScreenshot(named: name + "-second-desk")
      }
      await browser.close()
      await second.close()
    }
    do {
      try await signIn(browser, at: service, as: "desk")
      try await browser.go(to: URL(string: "\(service.baseURL.absoluteString)/desk?date=\(day)")!)
      #expect(try await browser.title == "予約台帳 | KIP")
      let grid = try await browser.source
      // The first free cell's link: /desk/new?space=…&date=…&slot=…
      let link = try #require(grid.firstMatch(of: /href="(\/desk\/new\?space=([a-z0-9-]+)&amp;date=([0-9-]+)&amp;slot=([a-z-]+))"/))
      let (space, slot) = (String(link.2), String(link.4))
      try await browser.go(to: URL(string: service.baseURL.absoluteString + String(link.1).replacingOccurrences(of: "&amp;", with: "&"))!)
      #expect(try await browser.title == "予約の受付 | KIP")
      try await browser.element("#field-name").type("ブラウザ商事株式会社")
      try await browser.element("#field-nameKana").type("ぶらうざしょうじ")
      try await browser.element("#field-phone").type("045-633-5000")
      try await browser.element("main form button[type=submit]").click()
      #expect(try await arrive(browser, at: { $0.hasPrefix("/desk/bookings/b-") }))
      let bookingURL = try #require(try await browser.currentURL)
      #expect(bookingURL.path.hasPrefix("/desk/bookings/b-"), "\(bookingURL)")
      let id = bookingURL.lastPathComponent
      #expect(try await browser.element("p.notice").text == "予約を受け付けました。")
      #expect(try await browser.element("#booking").text.contains("ブラウザ商事株式会社"))

      // In the grid at once.
      try await browser.go(to: URL(string: "\(service.baseURL.absoluteString)/desk?date=\(day)")!)
      let cell = try await browser.element("td[data-space=\"\(space)\"][data-date=\"\(day)\"][data-slot=\"\(slot)\"]")
      #expect(try await cell.text == "本予約")

      // In the API and in the log.
      let api = try run(URL(filePath: "/usr/bin/curl"), ["-s", service.baseURL.appending(path: "api/bookings/\(id)").absoluteString, "-H", "Authorization: Bearer \(deskToken)"])
      #expect(api.output.contains(#""status":"confirmed""#) && api.output.contains("ブラウザ商事株式会社"), "\(api.output)")
      let log = try run(kipctl, ["events", "read", "--stream", "booking-\(id)"], environment: environment)
      #expect(log.output.contains(id) && log.output.contains("Building.BookingRequested"))

      // A second desk (the manager's browser) tries the same cell and is told why.
      try await signIn(second, at: service, as: "building-manager")
      try await second.go(to: URL(string: "\(service.baseURL.absoluteString)/desk/new?space=\(space)&date=\(day)&slot=\(slot)")!)
      try await second.element("#field-name").type("後から来た利用者")
      let headBefore = try run(kipctl, ["verify"], environment: environment).output
      try await second.element("main form button[type=submit]").click()
      #expect(try await arrive(second, at: { $0 == "/desk/bookings" }), "the form is posted and answered")
      let refusal = try await second.element("p.form-error").text
      #expect(refusal.contains("既に予約されています") || refusal.contains("予約済み"), "\(refusal)")
      // Only the service's own sweeper (no-shows, lapses, as `system:`) may have written since.
      let before = Int(headBefore.split(separator: " ").dropFirst().first ?? "") ?? 0
      let since = try run(kipctl, ["events", "read", "--from", "\(before + 1)", "--json"], environment: environment).output
      let actors = since.split(separator: "\n").compactMap { line -> String? in
        guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let metadata = (event["metadata"] as? String).flatMap({ Data(base64Encoded: $0) }),
          let fields = try? JSONSerialization.jsonObject(with: metadata) as? [String: Any]
        else { return "unreadable" }
        return fields["actor"] as? String ?? "none"
      }
      #expect(actors.allSatisfy { $0.hasPrefix("system:") }, "the refused booking wrote nothing, not even its caller: \(since)")
      await finish(nil)
    } catch {
      await finish("desk-booking-failed")
      throw error
    }
    #expect(try service.terminate() == 0)
  }
}
