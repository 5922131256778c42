import BrowserSupport
import Foundation
import HummingbirdOTP
import JapaneseCalendar
import SharedKernel
import TestSupport
import Testing

/// The treasury page in headless Chromium, against the real `kip-deposits` on the demo data:
/// a manager approves an entry a maker entered, from the approval queue.
@Suite("The treasury page in a real browser", .serialized, .countingIssuesForScreenshots)
struct TreasuryBrowserTests {
  @Test("an entry made through the API waits in the page's queue; the manager approves it with the page's button; the trial balance's two totals are equal; charts are drawn")
  func approveOnThePage() async throws {
    let data = temporaryFolder()
    let environment = [
      "KIP_DATA_DIR": data.path, "KIP_EVENT_LOG": "sqlite://\(data.appending(path: "events.sqlite").path)", "KIP_BCRYPT_COST": "4",
    ]
    try await DemoSeed.copy(into: data)
    let service = try ServiceProcess("kip-deposits", environment: environment)
    try await service.waitUntilListening()
    try await service.waitUntilReady()
    func token(_ login: String) throws -> String {
      try run(executable("kipctl"), ["users", "token", login], environment: environment).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let maker = try token("treasury"), manager = try token("treasury-manager")
    func curl(_ arguments: [String]) throws -> (status: String, body: String) {
      let output = try run(URL(filePath: "/usr/bin/curl"), ["-s", "-w", "\n%{http_code}"] + arguments).output
      let parts = output.split(separator: "\n", omittingEmptySubsequences: false)
      return (String(parts.last ?? ""), parts.dropLast().joined(separator: "\n"))
    }
    let today = try LocalDate(japanTimeOf: Date())
    let memo = "ブラウザ試験の振替 \(UUID().uuidString.prefix(8))"
    let entered = try curl([
      "-X", "POST", service.baseURL.absoluteString + "/api/entries", "-H", "Authorization: Bearer \(maker)", "-H", "Content-Type: application/json",
      "-H", "Idempotency-Key: \(UUID())", "--data-binary",
      #"{"valueDate":"\#(today)","memo":"\#(memo)","lines":[{"account":"bank-charges","side":"debit","amountYen":660},{"account":"own-funds","side":"credit","amountYen":660}]}"#,
    ])
    #expect(entered.status == "201", "\(entered.body)")
    let entry = try #require((try JSONSerialization.jsonObject(with: Data(entered.body.utf8)) as? [String: Any])?["entry"] as? String)

    try await Browser.open().run(screenshotOnIssue: "treasury-page") { browser in
      try await browser.go(to: service.baseURL.appending(path: "login"))
      try await browser.element("#field-login").type("treasury-manager")
      try await browser.element("#field-password").type("kip-demo-treasury-manager")
      try await browser.element("main button[type=submit]").click()
      // A treasury manager has a second factor, enrolled at the first sign-in: the code page
      // shows the key; the test is the authenticator app.
      var deadline = ContinuousClock.now + .seconds(15)
      while try await browser.currentURL?.path != "/login/code", ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
      let key = try await browser.element("#totp-secret").text
      let secret = try #require(Self.base32(key), "the key \(key) is base32")
      try await browser.element("#field-code").type(String(format: "%06d", TOTP(secret: secret).compute(date: Date())))
      try await browser.element("main button[type=submit]").click()
      deadline = ContinuousClock.now + .seconds(15)
      while try await browser.currentURL?.path != "/", ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
      try await browser.go(to: service.baseURL.appending(path: "treasury"))
      #expect(try await browser.title.hasPrefix("預託事業"))
      #expect(try await browser.element("#approval-queue").text.contains(memo))
      #expect(try await browser.execute("return document.querySelectorAll('#charts svg.chart').length") as? Int == 2)
      let totals = try await browser.execute(
        "return [...document.querySelectorAll('#trial-balance tr')].pop().querySelectorAll('td')[1].textContent + '|' + [...document.querySelectorAll('#trial-balance tr')].pop().querySelectorAll('td')[2].textContent"
      ) as? String ?? ""
      let sides = totals.split(separator: "|")
      #expect(sides.count == 2 && sides[0] == sides[1] && sides[0] != "0円", "\(totals)")
      _ = try await browser.execute(
        "[...document.querySelectorAll('#approval-queue tr')].find(r => r.textContent.includes('\(memo)')).querySelector('form[action$=\"/approve\"] button').click(); return null")
      deadline = ContinuousClock.now + .seconds(15)
      while try await browser.currentURL?.query?.contains("notice=approve") != true, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(50))
      }
      #expect(try await browser.element(".notice").text.contains("承認しました"))
      #expect(try await !browser.element("#approval-queue").text.contains(memo))
      // The journal and the bank charges' ledger show it, approved, for print.
      try await browser.go(to: service.baseURL.appending(path: "treasury/journal").appending(queryItems: [URLQueryItem(name: "to", value: today.description)]))
      let journal = try await browser.element("#journal").text
      #expect(journal.contains(memo) && journal.contains(entry) && journal.contains("承認済"), "\(journal.prefix(400))")
      // Its 振替伝票, from the journal's link: the lines, the maker and the checker, and the seal boxes.
      try await browser.element("#journal a[href='/treasury/entries/\(entry)']").click()
      let slipDeadline = ContinuousClock.now + .seconds(15)
      while try await browser.currentURL?.path != "/treasury/entries/\(entry)", ContinuousClock.now < slipDeadline { try await Task.sleep(for: .milliseconds(50)) }
      let facts = try await browser.element("#slip-facts").text
      #expect(facts.contains(entry) && facts.contains(memo) && facts.contains("承認済") && facts.contains("demo-treasury-manager"), "\(facts)")
      let lines = try await browser.element("#slip-lines").text
      #expect(lines.contains("支払手数料") && lines.contains("自己資金") && lines.contains("660円"), "\(lines)")
      #expect(try await browser.execute("return document.querySelectorAll('table.stamps td.seal').length") as? Int == 3)
      try await browser.go(to: service.baseURL.appending(path: "treasury/ledger").appending(queryItems: [URLQueryItem(name: "account", value: "bank-charges")]))
      let ledger = try await browser.element("#ledger").text
      #expect(ledger.contains("前年度より繰越") && ledger.contains(memo), "\(ledger.prefix(400))")
      // The register of the foundation's accounts, on the page: the demo's account, the default.
      try await browser.go(to: service.baseURL.appending(path: "treasury"))
      let accounts = try await browser.element("#bank-accounts").text
      #expect(accounts.contains("横浜銀行") && accounts.contains("1234567") && accounts.contains("使用中（既定）"), "\(accounts)")
      #expect(try await browser.execute("return document.querySelectorAll('#institution-balances tbody tr').length") as? Int == 12)
      // A borrowing's 利息計算表 from the page's list: its periods and the total.
      try await browser.element("#borrowings a").click()
      let scheduleDeadline = ContinuousClock.now + .seconds(15)
      while try await browser.currentURL?.path.hasSuffix("/schedule") != true, ContinuousClock.now < scheduleDeadline {
        try await Task.sleep(for: .milliseconds(50))
      }
      let schedule = try await browser.element("#schedule").text
      #expect(schedule.contains("合計") && schedule.contains("日"), "\(schedule.prefix(300))")
    }
    let approved = try curl([service.baseURL.absoluteString + "/api/entries?status=approved", "-H", "Authorization: Bearer \(manager)"])
    #expect(approved.body.contains(entry), "the entry is approved in the API too")
    let trial = try curl([service.baseURL.absoluteString + "/api/trial-balance?format=csv", "-H", "Authorization: Bearer \(manager)"])
    #expect(trial.status == "200" && trial.body.hasPrefix("\u{FEFF}勘定科目コード") && trial.body.contains("合計"), "\(trial.body.prefix(200))")
    _ = try service.terminate()
  }

  @Test("a maker enters a borrowing on the page's form: a bad amount is the form again with the message, a good one waits in the queue")
  func enterOnThePage() async throws {
    let data = temporaryFolder()
    let environment = [
      "KIP_DATA_DIR": data.path, "KIP_EVENT_LOG": "sqlite://\(data.appending(path: "events.sqlite").path)", "KIP_BCRYPT_COST": "4",
    ]
    try await DemoSeed.copy(into: data)
    let service = try ServiceProcess("kip-deposits", environment: environment)
    try await service.waitUntilListening()
    try await service.waitUntilReady()
    let today = try LocalDate(japanTimeOf: Date())
    let valueDate = try BankCalendar.businessDay(onOrAfter: today)
    let maturity = try BankCalendar.businessDay(onOrAfter: try today.adding(days: 90))
    try await Browser.open().run(screenshotOnIssue: "treasury-entry") { browser in
      try await browser.go(to: service.baseURL.appending(path: "login"))
      try await browser.element("#field-login").type("treasury")
      try await browser.element("#field-password").type("kip-demo-treasury")
      try await browser.element("main button[type=submit]").click()
      let deadline = ContinuousClock.now + .seconds(15)
      while try await browser.currentURL?.path != "/", ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
      try await browser.go(to: service.baseURL.appending(path: "treasury"))
      try await browser.element("#field-borrowing-amountYen").type("たくさん")
      try await browser.element("#field-borrowing-valueDate").clear()
      try await browser.element("#field-borrowing-valueDate").type(valueDate.description)
      try await browser.element("#field-borrowing-maturity").type(maturity.description)
      _ = try await browser.execute("document.querySelector('form[action=\"/treasury/borrowings\"] button[type=submit]').click(); return null")
      try await Task.sleep(for: .seconds(1))
      #expect(try await browser.element("#problem").text.contains("金額"), "the form again with the reason")
      try await browser.go(to: service.baseURL.appending(path: "treasury"))
      try await browser.element("#field-borrowing-amountYen").type("1,000,000")
      try await browser.element("#field-borrowing-valueDate").clear()
      try await browser.element("#field-borrowing-valueDate").type(valueDate.description)
      try await browser.element("#field-borrowing-maturity").type(maturity.description)
      _ = try await browser.execute("document.querySelector('form[action=\"/treasury/borrowings\"] button[type=submit]').click(); return null")
      let arrived = ContinuousClock.now + .seconds(15)
      while try await browser.currentURL?.query?.contains("notice=entered") != true, ContinuousClock.now < arrived {
        try await Task.sleep(for: .milliseconds(50))
      }
      let queue = try await browser.element("#approval-queue").text
      #expect(queue.contains("預託原資借入 横浜銀行") && queue.contains("1,000,000円"), "\(queue.prefix(400))")
      #expect(try await browser.execute("return document.querySelectorAll('#approval-queue form').length") as? Int == 0, "a maker has no approve buttons")
    }
    _ = try service.terminate()
  }

  /// RFC 4648 base32 (as authenticator apps take keys), decoded to the text it encodes.
  static func base32(_ text: String) -> String? {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    var bits = 0, value = 0
    var bytes: [UInt8] = []
    for character in text.uppercased() where character != "=" {
      guard let index = alphabet.firstIndex(of: character) else { return nil }
      value = (value << 5) | index
      bits += 5
      if bits >= 8 {
        bytes.append(UInt8((value >> (bits - 8)) & 0xFF))
        bits -= 8
      }
    }
    return String(bytes: bytes, encoding: .utf8)
  }
}
