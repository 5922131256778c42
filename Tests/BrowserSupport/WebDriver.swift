import AsyncHTTPClient
public import Foundation
import NIOCore
import TestSupport

/// A WebDriver failure, with chromedriver's own words.
public struct WebDriverError: Error, CustomStringConvertible {
  public let description: String
}

/// One chromedriver for the whole test process, started on first use on a free loopback port
/// and stopped when the process ends (browser suites run serialised; STACK-NOTES).
public actor ChromeDriver {
  public static let shared = ChromeDriver()
  private var process: ChildProcess?
  private var base: URL?

  /// The driver's address, starting it if needed.
  public func url() async throws -> URL {
    if let base, process?.isRunning == true { return base }
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
      throw WebDriverError(description: "chromedriver is not installed: apt-get install chromium chromium-driver fonts-noto-cjk (make test does)")
    }
    let port = try freePort()
    // Under a small watchdog shell: the driver ends when this test process does, however it
    // ends. chromedriver ignores SIGTERM, so the shell ends it with SIGKILL (a SIGTERM at exit
    // alone left one driver behind per run).
    let process = ChildProcess()
    process.executableURL = URL(filePath: "/bin/sh")
    process.arguments = [
      "-c",
      "/usr/bin/chromedriver --port=\(port) --allowed-ips=127.0.0.1 & driver=$!; trap 'kill -9 $driver 2>/dev/null' EXIT TERM INT; "
        + "while kill -0 \(getpid()) 2>/dev/null && kill -0 $driver 2>/dev/null; do sleep 1; done",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let url = URL(string: "http://127.0.0.1:\(port)")!
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline {
      if let status = try? await Browser.call(url, "GET", "status", nil) as? [String: Any],
        status["ready"] as? Bool == true
      {
        self.process = process
        self.base = url
        atexit { ChromeDriverReaper.stop() }
        ChromeDriverReaper.pid = process.processIdentifier
        return url
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    process.terminate()
    throw WebDriverError(description: "chromedriver did not become ready on port \(port)")
  }
}

/// Stops chromedriver when the test process exits.
enum ChromeDriverReaper {
  nonisolated(unsafe) static var pid: Int32 = 0
  static func stop() { if pid > 0 { kill(pid, SIGTERM) } }
}

/// A free TCP port on loopback, found by binding port 0.
func freePort() throws -> Int {
  let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard socket >= 0 else { throw WebDriverError(description: "no socket") }
  defer { close(socket) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_port = 0
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  let bound = withUnsafeMutablePointer(to: &address) { pointer in
    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
  }
  guard bound else { throw WebDriverError(description: "cannot bind a free port") }
  return Int(UInt16(bigEndian: address.sin_port))
}

/// One headless Chromium session, driven over plain W3C WebDriver.
public struct Browser: Sendable {
  let driver: URL
  let session: String

  /// Opens a session with headless Chromium (as root it needs --no-sandbox).
  public static func open() async throws -> Browser {
    let driver = try await ChromeDriver.shared.url()
    let capabilities: [String: Any] = [
      "capabilities": [
        "alwaysMatch": [
          "browserName": "chrome",
          "goog:chromeOptions": [
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900", "--lang=ja-JP"],
          ],
        ]
      ]
    ]
    let value = try await call(driver, "POST", "session", capabilities)
    guard let id = (value as? [String: Any])?["sessionId"] as? String else {
      throw WebDriverError(description: "no session id in \(String(describing: value))")
    }
    return Browser(driver: driver, session: id)
  }

  public func go(to url: URL) async throws { _ = try await command("POST", "url", ["url": url.absoluteString]) }

  public var currentURL: URL? { get async throws { URL(string: try await command("GET", "url") as? String ?? "") } }

  public var title: String { get async throws { try await command("GET", "title") as? String ?? "" } }

  /// The page's HTML as the browser holds it now.
  public var source: String { get async throws { try await command("GET", "source") as? String ?? "" } }

  /// Runs `script` (a function body: `return …`) in the page and answers what it returns.
  @discardableResult
  public func execute(_ script: String) async throws -> Any? {
    try await command("POST", "execute/sync", ["script": script, "args": [Any]()])
  }

  /// The first element matching a CSS selector.
  public func element(_ css: String) async throws -> Element {
    let value = try await command("POST", "element", ["using": "css selector", "value": css])
    guard let object = value as? [String: Any], let id = object.values.first as? String else {
      throw WebDriverError(description: "no element \(css)")
    }
    return Element(browser: self, id: id)
  }

  /// A PNG of the viewport.
  public func screenshot() async throws -> Data {
    Data(base64Encoded: try await command("GET", "screenshot") as? String ?? "") ?? Data()
  }

  /// Saves a screenshot under the test output folder (`.build/test-output/screenshots`) and
  /// answers its path: tests call it when something failed, so the picture explains it.
  @discardableResult
  public func saveScreenshot(named name: String) async -> String? {
    let folder = packageRoot.appending(path: ".build/test-output/screenshots")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appending(path: "\(name).png")
    guard let png = try? await screenshot(), (try? png.write(to: file)) != nil else { return nil }
    return file.path
  }

  public func close() async { _ = try? await Self.call(driver, "DELETE", "session/\(session)", nil) }

  func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
    try await Self.call(driver, method, "session/\(session)/\(path)", body ?? (method == "POST" ? [:] : nil))
  }

  /// One WebDriver call over AsyncHTTPClient (URLSession on Linux refuses chromedriver's
  /// headers, which have no space after the colon).
  static func call(_ driver: URL, _ method: String, _ path: String, _ body: [String: Any]?) async throws -> Any? {
    var request = HTTPClientRequest(url: driver.appending(path: path).absoluteString)
    request.method = .init(rawValue: method)
    if let body {
      request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
      request.headers.add(name: "Content-Type", value: "application/json")
    }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
    let collected = try await response.body.collect(upTo: 64 << 20)
    let data = Data(collected.readableBytesView)
    let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    let value = json?["value"]
    let status = Int(response.status.code)
    if status >= 400 {
      let message = (value as? [String: Any])?["message"] as? String ?? String(decoding: data, as: UTF8.self)
      throw WebDriverError(description: "\(method) \(path): \(status) \(message.prefix(300))")
    }
    return value is NSNull ? nil : value
  }
}

/// An element of the page.
public struct Element: Sendable {
  let browser: Browser
  let id: String

  public func type(_ text: String) async throws { _ = try await browser.command("POST", "element/\(id)/value", ["text": text]) }
  public func clear() async throws { _ = try await browser.command("POST", "element/\(id)/clear") }
  public func click() async throws { _ = try await browser.command("POST", "element/\(id)/click") }
  public var text: String { get async throws { try await browser.command("GET", "element/\(id)/text") as? String ?? "" } }
}
