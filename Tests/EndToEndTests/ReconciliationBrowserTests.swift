import BrowserSupport
import Foundation
import JapaneseCalendar
import SharedKernel
import TestSupport
import Testing

/// The reconciliation page in headless Chromium, against the real `kip-deposits` on the demo
/// data: a treasurer uploads the bank's CSV on the page, sees what matched and the tie-out, and
/// matches by hand two lines of two days with the one entry they pay.
@Suite("The reconciliation page in a real browser", .serialized, .countingIssuesForScreenshots)
struct ReconciliationBrowserTests {
  @Test("a CSV uploaded on the page: its lines beside the unmatched entries; two lines of two days ticked with their entry and matched by hand; the demo's statements listed")
  func uploadAndMatch() async throws {
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
    // Own funds of ¥12,345 put in on the next business day, approved; the bank credits them in two parts on two days.
    let day = try BankCalendar.businessDay(onOrAfter: try LocalDate(japanTimeOf: Date()).adding(days: 1))
    let nextDay = try BankCalendar.adding(businessDays: 1, to: day)
    let memo = "照合試験の繰入 \(UUID().uuidString.prefix(6))"
    let entered = try curl([
      "-X", "POST", service.baseURL.absoluteString + "/api/entries", "-H", "Authorization: Bearer \(maker)", "-H", "Content-Type: application/json",
      "-H", "Idempotency-Key: \(UUID())", "--data-binary",
      #"{"valueDate":"\#(day)","memo":"\#(memo)","lines":[{"account":"bank:main","side":"debit","amountYen":12345},{"account":"own-funds","side":"credit","amountYen":12345}]}"#,
    ])
    let entry = try #require((try JSONSerialization.jsonObject(with: Data(entered.body.utf8)) as? [String: Any])?["entry"] as? String, "\(entered.body)")
    try await Task.sleep(for: .milliseconds(500))
    let approved = try curl([
      "-X", "POST", service.baseURL.absoluteString + "/api/entries/\(entry)/approve", "-H", "Authorization: Bearer \(manager)", "-H", "Idempotency-Key: \(UUID())",
    ])
    #expect(approved.status == "200", "\(approved.body)")
    let csv = "bankCode,branchCode,depositType,accountNumber,postingDate,direction,amountYen,balanceYen,counterparty,summary\r\n"
      + "0138,100,ordinary,0001234567,\(day),in,12000,12000,ｻﾞｲ)ｶﾅｶﾞﾜｹﾝｻﾝｷﾞﾖｳｼﾝｺｳｾﾝﾀ-,ﾌﾘｺﾐ\r\n"
      + "0138,100,ordinary,0001234567,\(nextDay),in,345,12345,ｻﾞｲ)ｶﾅｶﾞﾜｹﾝｻﾝｷﾞﾖｳｼﾝｺｳｾﾝﾀ-,ﾌﾘｺﾐ\r\n"
    let file = data.appending(path: "meisai.csv")
    try Data(csv.utf8).write(to: file)

    try await Browser.open().run(screenshotOnIssue: "reconciliation-page") { browser in
      try await browser.go(to: service.baseURL.appending(path: "login"))
      try await browser.element("#field-login").type("treasury")
      try await browser.element("#field-password").type("kip-demo-treasury")
      try await browser.element("main button[type=submit]").click()
      var deadline = ContinuousClock.now + .seconds(15)
      while try await browser.currentURL?.path != "/", ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
      try await browser.go(to: service.baseURL.appending(path: "treasury/reconciliation"))
      #expect(try await browser.title.hasPrefix("照合"))
      let listed = try await browser.execute("return document.querySelectorAll('#statements tbody tr').length") as? Int ?? 0
      let today = try LocalDate(japanTimeOf: Date())
      let yearStarted = FiscalYear(containing: today).firstDay.days(to: today)
      #expect(listed >= 1 || yearStarted < 3, "the demo's statements")
      // Upload the file with the page's form.
      try await browser.element("#field-statement").type(file.path)
      _ = try await browser.execute("document.querySelector('#field-format').value = 'csv'; return null")
      _ = try await browser.execute("document.querySelector('form[action=\"/treasury/statements\"] button[type=submit]').click(); return null")
      deadline = ContinuousClock.now + .seconds(15)
      while try await browser.currentURL?.query?.contains("notice=imported") != true, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
      #expect(try await browser.element(".notice").text.contains("取り込みました"))
      let lines = try await browser.element("#statement-lines").text
      #expect(lines.contains("12,000円") && lines.contains("345円") && lines.contains("未照合"), "\(lines)")
      #expect(try await browser.element("#unmatched-entries").text.contains(memo))
      #expect(try await browser.element("#tie-out").text.contains("帳簿の残高"))
      // Tick the two lines and the entry, then 照合.
      _ = try await browser.execute(
        """
        document.querySelectorAll('#statement-lines tr.unmatched input[name=line]').forEach(b => b.click());
        [...document.querySelectorAll('#unmatched-entries tr')].find(r => r.textContent.includes('\(memo)')).querySelector('input[name=entry]').click();
        document.querySelector('#match-form button[type=submit]').click(); return null
        """)
      deadline = ContinuousClock.now + .seconds(15)
      while try await browser.currentURL?.query?.contains("notice=matched") != true, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
      let main = try await browser.element("main").text
      #expect(main.contains("照合しました"), "\(main.prefix(500))")
      #expect(try await !browser.element("#unmatched-entries").text.contains(memo))
      let matches = try await browser.element("#matches").text
      #expect(matches.contains("手作業") && matches.contains(entry), "\(matches)")
    }
    _ = try service.terminate()
  }
}
