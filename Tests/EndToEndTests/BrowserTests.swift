import BrowserSupport
import Foundation
import TestSupport
import Testing

/// Real headless Chromium through WebDriver, one chromedriver per test run, serialised.
@Suite("Pages in a real browser", .serialized)
struct BrowserTests {
  @Test("the harness drives headless Chromium: it types into a field and reads Japanese text back")
  func harness() async throws {
    let browser = try await Browser.open()
    defer { Task { await browser.close() } }
    let page = #"<html lang="ja"><body><h1>施設予約</h1><input id="name"><p id="out"></p><button id="go" onclick="document.getElementById('out').textContent = document.getElementById('name').value + ' 様'">確認</button></body></html>"#
    try await browser.go(to: URL(string: "data:text/html;charset=utf-8," + (page.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))!)
    try await browser.element("#name").type("神奈川商事")
    try await browser.element("#go").click()
    let text = try await browser.element("#out").text
    if text != "神奈川商事 様" { await browser.saveScreenshot(named: "harness") }
    #expect(text == "神奈川商事 様")
    #expect(try await browser.screenshot().prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "a PNG")
  }
}
