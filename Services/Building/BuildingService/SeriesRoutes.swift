import Building
import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// Recurring bookings (定期利用) over JSON: one request for a year of dates, its report, and
/// its end from a date on. Each date is an ordinary booking, moved or cancelled alone through
/// `/api/bookings/{id}`.
enum SeriesRoutes {
  static func all(app: ServiceApplication, desk: Desk) -> [Route] {
    let service = app.configuration.serviceName
    let id = RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The series' id")
    let answer = [RouteResponse(200, "The series", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])]

    @Sendable func seriesID(_ context: KIPRequestContext) throws -> SeriesID {
      do { return try SeriesID(try context.parameters.require("id")) } catch { throw Problem(.notFound, "there is no such series") }
    }

    return [
      Route(
        .post, "/api/series",
        summary: "定期利用: book a space and block on every date of a weekly or monthly pattern (up to a year); answers what was booked and what could not be, with why.",
        access: APIRoutes.deskStaff, appendsEvents: true, requestBody: SeriesBody.schema,
        responses: [RouteResponse(201, "The series", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])], tag: "building"
      ) { request, context in
        let write = try await WriteRequest(request, context: context, service: service)
        let body = try write.decode(SeriesBody.self)
        let asked = try body.request()
        let series: SeriesID = newID("s", at: desk.now())
        return try await desk.decisions.respond(to: write) { t in try await desk.requestSeries(series, asked, customer: body.customer, in: t) }
      },
      Route(
        .get, "/api/series/{id}", summary: "A series: each date with its booking's status now, and the dates it could not have.",
        access: APIRoutes.readers, parameters: [id], responses: answer, tag: "building"
      ) { _, context in
        try jsonResponse(try await desk.seriesNow(try seriesID(context)))
      },
      Route(
        .post, "/api/series/{id}/end", summary: "End a series from a date on: its bookings from then are cancelled by the usual schedule.",
        access: APIRoutes.deskStaff, appendsEvents: true, parameters: [id], requestBody: EndSeriesBody.schema, responses: answer, tag: "building"
      ) { request, context in
        let series = try seriesID(context)
        return try await desk.decisions.respond(to: request, context: context, service: service) { write, t in
          let body = try write.decode(EndSeriesBody.self)
          return try await desk.endSeries(series, from: body.from.date, reason: body.reason, in: t)
        }
      },
    ]
  }
}
