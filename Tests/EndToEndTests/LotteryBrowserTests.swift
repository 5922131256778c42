@testable import Building
import BrowserSupport
import EventLog
import EventLogSQLite
import Foundation
import SharedKernel
import TestSupport
import Testing

/// The lottery in a real browser against the real `kip-building` executable: a round whose
/// application window has passed is drawn by the service's scheduler and its results shown; the
/// manager opens the next round on the page and the desk takes an application on it.
@Suite("The lottery pages in a real browser", .serialized)
struct LotteryBrowserTests {
  let desk = DeskBrowserTests()

  /// A round that closed yesterday with two applications for the same evening: a member's and
  /// a general firm's (the member is drawn first whatever the seed).
  func closedRound(in path: String, today: LocalDate) async throws -> (round: LotteryID, date: LocalDate) {
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    let round = try LotteryID("browser-past")
    let month = try today.yearMonth.adding(months: 2)
    let day = try month.firstDay.adding(days: 9)
    let rules = LotteryRules(
      name: "ブラウザ確認用 抽選", month: month, spaces: [try SpaceID("hall")], opens: try today.adding(days: -10), closes: try today.adding(days: -3),
      drawOn: try today.adding(days: -1))
    let at = Timestamp(Date())
    func applied(_ number: Int, _ tier: CustomerTier, _ name: String) throws -> Lottery.Event {
      .applied(
        Lottery.Applied(
          round: round, number: number, customer: try CustomerID("c-browser-\(number)"), customerName: name, tier: tier,
          requests: [LotteryRequest(request: QuoteRequest(space: try SpaceID("hall"), date: day, slot: .evening, tier: tier), attendees: 100)],
          on: try today.adding(days: -5), at: at))
    }
    let metadata = EventMetadata(actor: "test").encoded()
    let events: [Lottery.Event] = [
      .opened(Lottery.Opened(round: round, rules: rules, at: at)), try applied(1, .general, "一般商事"), try applied(2, .member, "会員工業"),
    ]
    _ = try await store.append(Append(try events.map { try Lottery.codec.propose($0, metadata: metadata) }, to: try Lottery.stream(round), expecting: .noStream))
    let scheduled = LotteryIndex.Event.scheduled(LotteryIndex.Scheduled(round: round, month: month, spaces: rules.spaces, drawOn: rules.drawOn, at: at))
    _ = try await store.append(Append([try LotteryIndex.codec.propose(scheduled, metadata: metadata)], to: try LotteryIndex.stream(), expecting: .noStream))
    let head = try await store.head()
    let closed = Lottery.Event.closed(
      Lottery.Closed(round: round, seed: head.hash.map { String(format: "%02x", $0) }.joined(), sealedThrough: head.sealedThrough, at: at))
    _ = try await store.append(Append([try Lottery.codec.propose(closed, metadata: metadata)], to: try Lottery.stream(round), expecting: .exact(2)))
    await store.close()
    return (round, day)
  }

  @Test("the scheduler draws a closed round and its page shows the seed, keys and winners; the manager opens a round and the desk applies on the page")
  func lotteryPages() async throws {
    let data = temporaryFolder()
    let path = data.appending(path: "events.sqlite").path
    let environment = ["KIP_DATA_DIR": data.path, "KIP_EVENT_LOG": "sqlite://\(path)", "KIP_BCRYPT_COST": "4"]
    let kipctl = executable("kipctl")
    try await DemoSeed.copy(into: data)
    let catalogue = packageRoot.appending(path: "Deploy/building/catalogue.json").path
    #expect(try run(kipctl, ["building", "publish-catalogue", catalogue], environment: environment).status == 0)
    let today = try LocalDate(japanTimeOf: Date())
    let (round, _) = try await closedRound(in: path, today: today)

    let service = try ServiceProcess("kip-building", environment: environment)
    try await service.waitUntilListening()
    try await service.waitUntilReady()
    let deskToken = try run(kipctl, ["users", "token", "desk"], environment: environment).output.trimmingCharacters(in: .whitespacesAndNewlines)
    func api(_ path: String, _ extra: [String] = []) throws -> String {
      try run(URL(filePath: "/usr/bin/curl"), ["-s", service.baseURL.appending(path: path).absoluteString, "-H", "Authorization: Bearer \(deskToken)"] + extra).output
    }
    // The scheduler's first pass at start-up closes nothing (it is closed) and draws it.
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline, !(try api("api/lotteries/\(round)")).contains(#""phase":"drawn""#) { try await Task.sleep(for: .milliseconds(200)) }
    let drawn = try api("api/lotteries/\(round)")
    #expect(drawn.contains(#""phase":"drawn""#), "\(drawn)")
    let registered = try api(
      "api/customers", ["-X", "POST", "-H", "Idempotency-Key: c-\(UUID())", "-H", "Content-Type: application/json", "--data", #"{"name":"申込テスト商会","nameKana":"モウシコミテスト","customerCategory":"member"}"#])
    let customer = try #require(registered.firstMatch(of: /"id":"(c-[^"]+)"/)).1

    let manager = try await Browser.open()
    let clerk = try await Browser.open()
    func finish(_ name: String?) async {
      if let name {
        await manager.saveScreenshot(named: name + "-manager")
        await clerk.saveScreenshot(named: name + "-desk")
      }
      await manager.close()
      await clerk.close()
    }
    do {
      try await desk.signIn(clerk, at: service, as: "desk")
      try await clerk.go(to: service.baseURL.appending(path: "desk/lotteries/\(round)"))
      #expect(try await clerk.title == "ブラウザ確認用 抽選 | KIP")
      #expect(try await clerk.element("#seed").text.contains(try #require(drawn.firstMatch(of: /"seed":"([0-9a-f]{64})"/)).1))
      let page = try await clerk.element("main table").text
      #expect(page.contains("当選 browser-past-2-1") && page.contains("落選"), "\(page)")
      // The winner's booking is a 仮予約 on its own page.
      try await clerk.element("a[href=\"/desk/bookings/browser-past-2-1\"]").click()
      #expect(try await desk.arrive(clerk, at: { $0 == "/desk/bookings/browser-past-2-1" }))
      #expect(try await clerk.element("#booking").text.contains("仮予約"))

      // The manager opens the next round on the page.
      try await desk.signIn(manager, at: service, as: "building-manager")
      try await manager.go(to: service.baseURL.appending(path: "desk/lotteries"))
      let next = try today.yearMonth.adding(months: 3)
      for (field, value) in [
        ("id", "browser-next"), ("name", "次回 ホール抽選"), ("month", next.description), ("spaces", "hall,hall-east,hall-west"),
        ("opens", today.description), ("closes", try today.adding(days: 5).description), ("drawOn", try today.adding(days: 6).description),
      ] {
        try await manager.element("#field-\(field)").type(value)
      }
      try await manager.element("main form button[type=submit]").click()
      #expect(try await desk.arrive(manager, at: { $0 == "/desk/lotteries/browser-next" }))
      #expect(try await manager.element("p.notice").text.contains("抽選回を作成しました"))

      // The desk applies for an evening in that month; the same slot again is refused beside the field.
      let evening = try next.firstDay.adding(days: 14)
      try await clerk.go(to: service.baseURL.appending(path: "desk/lotteries/browser-next"))
      func apply() async throws {
        try await clerk.element("#field-customer").type(String(customer))
        try await clerk.element("#field-space1").type("hall")
        try await clerk.element("#field-date1").type(evening.description)
        try await clerk.element("#field-slot1").type("夜間")
        try await clerk.element("form[action=\"/desk/lotteries/browser-next/apply\"] button[type=submit]").click()
      }
      try await apply()
      #expect(try await desk.arrive(clerk, at: { $0 == "/desk/lotteries/browser-next" }))
      #expect(try await clerk.element("p.notice").text == "申込を受け付けました。")
      #expect(try await clerk.element("main table").text.contains("申込テスト商会"))
      try await apply()
      #expect(try await desk.arrive(clerk, at: { $0 == "/desk/lotteries/browser-next/apply" }))
      #expect(try await clerk.source.contains("すでに申込があります"))
      let view = try api("api/lotteries/browser-next")
      #expect(view.components(separatedBy: #""number":"#).count == 2, "one application, not two: \(view)")
      #expect(view.contains(#""slot":"evening""#) && view.contains(evening.description))
      await finish(nil)
    } catch {
      await finish("lottery-pages-failed")
      throw error
    }
    #expect(try service.terminate() == 0)
  }
}
