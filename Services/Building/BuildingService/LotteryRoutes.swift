import Building
import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// The lottery's JSON API: the manager opens, closes, draws or calls off a round; the desk
/// takes applications and reads results.
enum LotteryRoutes {
  static func all(app: ServiceApplication, desk: Desk) -> [Route] {
    let service = app.configuration.serviceName
    let id = RouteParameter("id", in: .path, schema: .string(maxLength: 40), "The round's id, e.g. 2027-06-hall")
    let number = RouteParameter("number", in: .path, schema: .string(pattern: "^[0-9]{1,6}$"), "The application's number in the round")
    let round = [RouteResponse(200, "The round", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])]

    @Sendable func write<Body: Encodable & Sendable>(
      _ request: Request, _ context: KIPRequestContext, _ decide: @escaping (WriteRequest, Transaction) async throws -> Outcome<Body>
    ) async throws -> Response {
      try await desk.decisions.respond(to: request, context: context, service: service, decide)
    }

    @Sendable func roundID(_ context: KIPRequestContext) throws -> LotteryID {
      do { return try LotteryID(try context.parameters.require("id")) } catch { throw Problem(.notFound, "there is no such lottery round") }
    }

    @Sendable func applicationNumber(_ context: KIPRequestContext) throws -> Int {
      guard let number = Int(try context.parameters.require("number")) else { throw Problem(.notFound, "there is no such application") }
      return number
    }

    return [
      Route(
        .get, "/api/lotteries", summary: "The lottery rounds (抽選), in the order scheduled, with their phase and counts.", access: APIRoutes.readers,
        responses: [RouteResponse(200, "The rounds", schema: .array(.object([:], open: true)))], tag: "lottery"
      ) { _, _ in
        try jsonResponse(try await desk.lotteries().map { LotterySummary(round: $0) })
      },
      Route(
        .post, "/api/lotteries", summary: "Open a round: its month, spaces, application window, draw day, caps and tier priority (building manager).",
        access: APIRoutes.manager, appendsEvents: true, requestBody: LotteryBody.schema,
        responses: [RouteResponse(201, "The round", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])], tag: "lottery"
      ) { request, context in
        try await write(request, context) { write, t in
          let (id, rules) = try write.decode(LotteryBody.self).checked()
          return try await desk.openLottery(id, rules, in: t)
        }
      },
      Route(
        .get, "/api/lotteries/{id}", summary: "A round: its rules, seed, applications and, once drawn, each one's key, place and outcome.",
        access: APIRoutes.readers,
        parameters: [id, RouteParameter("customer", in: .query, schema: .string(maxLength: 128), "Only this customer's applications")],
        responses: round, tag: "lottery"
      ) { request, context in
        let round = try await desk.lottery(try roundID(context))
        var customer: CustomerID?
        if let text = request.uri.queryParameters["customer"].map(String.init), !text.isEmpty {
          do { customer = try CustomerID(text) } catch { throw Problem(.validationFailed, "customer: \(error)", field: "customer") }
        }
        return try jsonResponse(LotteryView(round, customer: customer))
      },
      Route(
        .post, "/api/lotteries/{id}/applications",
        summary: "Apply (申込): a registered customer and up to the round's bundle size of slots that win or lose together.",
        access: APIRoutes.deskStaff, appendsEvents: true, parameters: [id], requestBody: ApplicationBody.schema,
        responses: [RouteResponse(201, "The application", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])], tag: "lottery"
      ) { request, context in
        let round = try roundID(context)
        return try await write(request, context) { write, t in
          let body = try write.decode(ApplicationBody.self)
          return try await desk.applyLottery(round, customer: body.customer, requests: { tier in try body.requests(tier: tier) }, in: t)
        }
      },
      Route(
        .post, "/api/lotteries/{id}/applications/{number}/withdraw", summary: "Withdraw an application before the close.",
        access: APIRoutes.deskStaff, appendsEvents: true, parameters: [id, number],
        responses: [RouteResponse(200, "The application", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])], tag: "lottery"
      ) { request, context in
        let round = try roundID(context)
        let number = try applicationNumber(context)
        return try await write(request, context) { _, t in try await desk.withdrawLottery(round, number: number, in: t) }
      },
      Route(
        .post, "/api/lotteries/{id}/close", summary: "Close applications after the last day: the seed becomes the log's head hash (building manager).",
        access: APIRoutes.manager, appendsEvents: true, parameters: [id], responses: round, tag: "lottery"
      ) { request, context in
        let round = try roundID(context)
        return try await write(request, context) { _, t in try await desk.closeLottery(round, in: t) }
      },
      Route(
        .post, "/api/lotteries/{id}/draw",
        summary: "Draw a closed round on or after its draw day: winners get 仮予約 to pay by a deadline; the rest of the month opens first-come.",
        access: APIRoutes.manager, appendsEvents: true, parameters: [id], responses: round, tag: "lottery"
      ) { request, context in
        let round = try roundID(context)
        return try await write(request, context) { _, t in try await desk.drawLottery(round, in: t) }
      },
      Route(
        .post, "/api/lotteries/{id}/call-off", summary: "Call a round off before its draw (building manager), with the reason.",
        access: APIRoutes.manager, appendsEvents: true, parameters: [id], requestBody: CallOffBody.schema, responses: round, tag: "lottery"
      ) { request, context in
        let round = try roundID(context)
        return try await write(request, context) { write, t in try await desk.callOffLottery(round, reason: try write.decode(CallOffBody.self).reason, in: t) }
      },
    ]
  }
}

/// A round in the list.
struct LotterySummary: Codable, Sendable {
  var id: String
  var name: String
  var month: String
  var spaces: [String]
  var opens: String
  var closes: String
  var drawOn: String
  var phase: String
  var applications: Int
  var won: Int?

  init(round: Lottery.Round) {
    id = round.id.rawValue
    name = round.rules.name
    month = round.rules.month.description
    spaces = round.rules.spaces.map(\.rawValue)
    opens = round.rules.opens.description
    closes = round.rules.closes.description
    drawOn = round.rules.drawOn.description
    phase = round.phase.rawValue
    applications = round.standing.count
    won = round.drawn.map { $0.results.filter { $0.outcome == .won }.count }
  }
}
