import BrowserSupport
import Foundation
import TestSupport
import Testing

/// Real headless Chromium through WebDriver, one chromedriver per test run, serialised.
/// A test that records any issue leaves a screenshot in `.build/test-output/screenshots`.
@Suite("Pages in a real browser", .serialized, .countingIssuesForScreenshots)
struct BrowserTests {
  @Test("the harness drives headless Chromium: it types into a field and reads Japanese text back")
  func harness() async throws {
    try await Browser.open().run(screenshotOnIssue: "harness") { browser in
      let page = #"<html lang="ja"><body><h1>施設予約</h1><input id="name"><p id="out"></p><button id="go" onclick="document.getElementById('out').textContent = document.getElementById('name').value + ' 様'">確認</button></body></html>"#
      try await browser.go(to: URL(string: "data:text/html;charset=utf-8," + (page.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))!)
      try await browser.element("#name").type("神奈川商事")
      try await browser.element("#go").click()
      #expect(try await browser.element("#out").text == "神奈川商事 様")
      #expect(try await browser.screenshot().prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "a PNG")
    }
  }

  @Test("sign in at a real service: a missing password is shown beside its field, the home page greets the role, logout ends the session")
  func signInAndOut() async throws {
    let data = temporaryFolder()
    let log = "sqlite://\(data.appending(path: "events.sqlite").path)"
    let environment = ["KIP_DATA_DIR": data.path, "KIP_EVENT_LOG": log, "KIP_BCRYPT_COST": "4"]
    try await DemoSeed.copy(into: data)
    let service = try ServiceProcess("kip-building", environment: environment)
    try await service.waitUntilListening()
    try await Browser.open().run(screenshotOnIssue: "sign-in") { browser in
      try await browser.go(to: service.baseURL)
      #expect(try await browser.currentURL?.path == "/login", "a page without a session goes to the login page")
      #expect(try await browser.title == "ログイン | KIP")
      try await browser.element("#field-login").type("desk")
      try await browser.element("button[type=submit]").click()
      #expect(try await browser.element("#field-password-error").text == "パスワードを入力してください")
      #expect(try await browser.source.contains(#"value="desk""#), "what was typed is kept")
      try await browser.element("#field-password").type("kip-demo-desk")
      try await browser.element("main button[type=submit]").click()
      #expect(try await browser.currentURL?.path == "/")
      #expect(try await browser.element("main p").text == "施設受付 としてログインしています。")
      try await browser.element("form.logout button").click()
      #expect(try await browser.currentURL?.path == "/login")
      try await browser.go(to: service.baseURL)
      #expect(try await browser.currentURL?.path == "/login", "the session has ended")

      // The admin API through kipctl with an admin's token.
      let token = try run(executable("kipctl"), ["users", "token", "admin"], environment: environment).output
        .trimmingCharacters(in: .whitespacesAndNewlines)
      let status = try run(
        executable("kipctl"), ["projections", "status", "--service", service.baseURL.absoluteString, "--token", token])
      #expect(status.status == 0 && status.output.hasPrefix("building v1"), "\(status.output) \(status.error)")
      let asDesk = try run(executable("kipctl"), ["users", "token", "desk"], environment: environment).output
        .trimmingCharacters(in: .whitespacesAndNewlines)
      let refused = try run(executable("kipctl"), ["projections", "status", "--service", service.baseURL.absoluteString, "--token", asDesk])
      #expect(refused.status == 1 && refused.error.contains("403 forbidden"), "\(refused.error)")
    }
    #expect(try service.terminate() == 0)
  }
}
