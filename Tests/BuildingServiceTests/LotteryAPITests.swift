import EventLog
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing

@testable import BuildingService

/// The lottery over HTTP: the manager opens a round, the desk takes applications, the scheduler
/// closes and draws it on its days, winners hold 仮予約, and the rest opens first-come.
@Suite("kip-building: the lottery's API", .serialized)
struct LotteryAPITests {
  let round = #"{"id":"2023-10-hall","name":"2023年10月 多目的ホール抽選","month":"2023-10","spaces":["hall","hall-east","hall-west"],"opens":"2023-04-03","closes":"令和5年4月10日","drawOn":"2023-04-11","maxSlotsPerApplicant":4,"maxHolidaySlotsPerApplicant":2}"#

  func withService(_ body: @escaping @Sendable (DeskFixture, any TestClientProtocol) async throws -> Void) async throws {
    let fixture = try await DeskFixture(today: "2023-04-03T10:00")
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      try await fixture.publishCatalogue(client)
      try await body(fixture, client)
    }
  }

  func register(_ client: some TestClientProtocol, _ fixture: DeskFixture, _ name: String, _ tier: String) async throws -> String {
    let made = try await client.execute(
      uri: "/api/customers", method: .post, headers: fixture.headers(fixture.desk, key: "c-\(tier)"),
      body: ByteBuffer(string: #"{"name":"\#(name)","nameKana":"テスト","customerCategory":"\#(tier)"}"#))
    #expect(made.status == .created, "\(String(buffer: made.body))")
    return try #require(try json(made)["id"] as? String)
  }

  func apply(_ client: some TestClientProtocol, _ fixture: DeskFixture, key: String, _ customer: String, _ slots: [(String, String, String)]) async throws -> TestResponse {
    let requests = slots.map { #"{"space":"\#($0.0)","date":"\#($0.1)","slot":"\#($0.2)","attendees":80,"purpose":"発表会"}"# }.joined(separator: ",")
    return try await client.execute(
      uri: "/api/lotteries/2023-10-hall/applications", method: .post, headers: fixture.headers(fixture.desk, key: key),
      body: ByteBuffer(string: #"{"customer":"\#(customer)","requests":[\#(requests)]}"#))
  }

  @Test("open, apply, refuse what breaks the rules without writing, close and draw on schedule; winners hold 仮予約; the rest is first-come")
  func wholeRound() async throws {
    try await withService { fixture, client in
      let refused = try await client.execute(uri: "/api/lotteries", method: .post, headers: fixture.headers(fixture.desk, key: "r0"), body: ByteBuffer(string: round))
      #expect(refused.status == .forbidden)
      let opened = try await client.execute(uri: "/api/lotteries", method: .post, headers: fixture.headers(fixture.manager, key: "r1"), body: ByteBuffer(string: round))
      #expect(opened.status == .created, "\(String(buffer: opened.body))")
      let openedBody = try json(opened)
      #expect(openedBody["phase"] as? String == "open" && openedBody["closes"] as? String == "2023-04-10")

      let member = try await register(client, fixture, "会員工業", "member")
      let general = try await register(client, fixture, "一般商事", "general")
      let circle = try await register(client, fixture, "合唱サークル", "nonprofit")
      // The member and the circle want the same evening; the general firm wants a bundle of two.
      #expect(try await apply(client, fixture, key: "a1", general, [("hall-east", "2023-10-02", "evening"), ("hall-west", "2023-10-03", "evening")]).status == .created)
      #expect(try await apply(client, fixture, key: "a2", circle, [("hall", "2023-10-03", "evening")]).status == .created)
      let third = try await apply(client, fixture, key: "a3", member, [("hall-west", "2023-10-03", "evening")])
      #expect(third.status == .created)
      #expect(try json(third)["number"] as? Int == 3)

      // Refused, and nothing written: a month outside the round, a space not in it, over the cap, a slot twice.
      let head = try await fixture.app.store.head().position
      for (key, slots, field) in [
        ("x1", [("hall", "2023-11-01", "morning")], "requests"), ("x2", [("room-201", "2023-10-05", "morning")], "requests"),
        ("x3", [("hall", "2023-10-07", "morning"), ("hall", "2023-10-08", "morning"), ("hall", "2023-10-09", "morning")], "requests"),
        ("x4", [("hall-west", "2023-10-03", "evening")], "requests"),
      ] {
        let answer = try await apply(client, fixture, key: key, member, slots)
        #expect(answer.status == .unprocessableContent, "\(key): \(String(buffer: answer.body))")
        #expect(try json(answer)["field"] as? String == field, "\(key)")
      }
      #expect(try await fixture.app.store.head().position == head)

      // The hall's October is held back from first-come until the draw, parts included.
      let early = try await client.execute(
        uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "fc1"),
        body: ByteBuffer(string: #"{"space":"hall-a","date":"2023-10-20","slot":"morning","customer":"\#(member)"}"#))
      #expect(early.status == .unprocessableContent, "\(String(buffer: early.body))")
      #expect((try json(early)["detail"] as? String)?.contains("抽選") == true)
      let tooSoon = try await client.execute(uri: "/api/lotteries/2023-10-hall/close", method: .post, headers: fixture.headers(fixture.manager, key: "c0"))
      #expect(tooSoon.status == .unprocessableContent)

      // The scheduler closes and draws on the draw day.
      guard let runner = fixture.app.projections else { return }
      let sweeper = LapseSweeper(desk: Desk(store: fixture.app.store, now: { fixture.clock.now() }), reads: DeskReads(runner: runner), logger: .init(label: "test"))
      fixture.clock.set("2023-04-11T05:00")
      _ = await sweeper.sweep()
      let drawn = try json(try await client.execute(uri: "/api/lotteries/2023-10-hall", method: .get, headers: fixture.headers(fixture.desk)))
      #expect(drawn["phase"] as? String == "drawn")
      let seed = try #require(drawn["seed"] as? String)
      #expect(seed.count == 64)
      let applications = try #require(drawn["applications"] as? [[String: Any]])
      let outcomes = applications.map { $0["outcome"] as? String }
      // Tiers first: the member wins 10/3 over the circle; the general firm's bundle needed 10/3 too, so it loses whole.
      #expect(outcomes == ["lost", "lost", "won"], "\(applications)")
      let won = try #require((applications[2]["bookings"] as? [String])?.first)
      #expect(won == "2023-10-hall-3-1")
      try await fixture.caughtUp()
      let booking = try json(try await client.execute(uri: "/api/bookings/\(won)", method: .get, headers: fixture.headers(fixture.desk)))
      let summary = try #require(booking["summary"] as? [String: Any])
      #expect(summary["status"] as? String == "provisional" && summary["deadline"] as? String == "2023-04-25", "\(summary)")
      // Published for applicants without signing in: numbers, keys and outcomes, no names.
      let published = try await client.execute(uri: "/lotteries/2023-10-hall/results", method: .get)
      #expect(published.status == .ok)
      let page = String(buffer: published.body)
      #expect(page.contains(seed) && page.contains("当選") && page.contains("落選"))
      #expect(!page.contains("会員工業") && !page.contains("一般商事") && !page.contains("合唱サークル"), "no applicant's name is published")
      // The customer's own view of the round.
      let mine = try json(try await client.execute(uri: "/api/lotteries/2023-10-hall?customer=\(general)", method: .get, headers: fixture.headers(fixture.desk)))
      #expect((mine["applications"] as? [[String: Any]])?.map { $0["number"] as? Int } == [1])

      // What is left of October opens first-come, beyond a general customer's three months.
      let after = try await client.execute(
        uri: "/api/bookings", method: .post, headers: fixture.headers(fixture.desk, key: "fc2"),
        body: ByteBuffer(string: #"{"space":"hall-east","date":"2023-10-02","slot":"evening","customer":"\#(general)"}"#))
      #expect(after.status == .created, "\(String(buffer: after.body))")
      // Drawing again writes nothing.
      let again = try await client.execute(uri: "/api/lotteries/2023-10-hall/draw", method: .post, headers: fixture.headers(fixture.manager, key: "d2"))
      #expect(again.status == .ok)
      let list = try await client.execute(uri: "/api/lotteries", method: .get, headers: fixture.headers(fixture.desk))
      let rounds = try #require(try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [[String: Any]])
      #expect(rounds.count == 1 && rounds.first?["won"] as? Int == 1 && rounds.first?["applications"] as? Int == 3)

      // Anyone can run the draw again from the log (another process, reading the file) and get the same winners.
      let kipctl = executable("kipctl")
      let replay = try run(kipctl, ["building", "lottery-replay", "2023-10-hall", "--log", "sqlite://\(fixture.logPath)"])
      #expect(replay.status == 0, "\(replay.output) \(replay.error)")
      #expect(replay.output.contains("seed \(seed)") && replay.output.contains("ok: 3 applications, 1 won"), "\(replay.output)")
      // A draw appended by hand that the rules would not give is caught.
      let forged: [(String, String)] = [
        ("Building.LotteryOpened", #"{"round":"2023-11-forged","rules":{"name":"偽","month":"2023-11","spaces":["hall"],"opens":"2023-04-03","closes":"2023-04-05","drawOn":"2023-04-06","maxSlotsPerApplicant":4,"maxHolidaySlotsPerApplicant":2,"priority":["member"],"payWithinDays":14,"maxBundle":6},"at":"2023-04-03T01:00:00.000Z"}"#),
        ("Building.LotteryClosed", #"{"round":"2023-11-forged","seed":"\#(seed)","sealedThrough":1,"at":"2023-04-06T01:00:00.000Z"}"#),
        ("Building.LotteryDrawn", #"{"round":"2023-11-forged","seed":"\#(seed)","catalogueVersion":1,"results":[{"number":1,"key":"00","place":1,"outcome":"won","bookings":[]}],"on":"2023-04-11","at":"2023-04-11T01:00:00.000Z"}"#),
      ]
      for (type, data) in forged {
        let appended = try run(
          kipctl, ["events", "append", "--stream", "lottery-2023-11-forged", "--type", type, "--data", data, "--force", "--log", "sqlite://\(fixture.logPath)"])
        #expect(appended.status == 0, "\(appended.error)")
      }
      let caught = try run(kipctl, ["building", "lottery-replay", "2023-11-forged", "--log", "sqlite://\(fixture.logPath)"])
      #expect(caught.status == 1, "\(caught.output)")
      #expect(caught.error.contains("differs") && caught.error.contains("1 results recorded, 0 drawn again"), "\(caught.error)")
      #expect(try run(kipctl, ["building", "lottery-replay", "2099-01-none", "--log", "sqlite://\(fixture.logPath)"]).status == 1)
    }
  }
}
