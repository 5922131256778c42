import Building
import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// キャンセル待ち over JSON: join the list of a taken time, see it, leave it. Freed time is
/// offered by the cancellation or lapse that frees it (a 仮予約 with a short deadline).
enum WaitlistRoutes {
  static func all(app: ServiceApplication, desk: Desk, reads: DeskReads) -> [Route] {
    let service = app.configuration.serviceName
    let entry = [RouteResponse(200, "The place on the list", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])]
    return [
      Route(
        .post, "/api/waitlist", summary: "キャンセル待ち: put a registered customer in line for a taken time (a free one is booked instead).",
        access: APIRoutes.deskStaff, appendsEvents: true, requestBody: WaitlistBody.schema,
        responses: [RouteResponse(201, "The place on the list", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])],
        tag: "building"
      ) { request, context in
        let write = try await WriteRequest(request, context: context, service: service)
        let body = try write.decode(WaitlistBody.self)
        let asked = try body.request()
        return try await desk.decisions.respond(to: write) { t in
          try await desk.joinWaitlist(customer: body.customer, request: asked, purpose: body.purpose, attendees: body.attendees, in: t)
        }
      },
      Route(
        .get, "/api/waitlist", summary: "The waiting list of a space's group on a date, in line order, with each place's status and offer.",
        access: APIRoutes.readers,
        parameters: [
          RouteParameter("space", in: .query, required: true, schema: .string(maxLength: 128), "A space of the group"),
          RouteParameter("date", in: .query, required: true, schema: .string(description: "ISO or 和暦"), "The day"),
        ], responses: [RouteResponse(200, "The list", schema: .object([:], open: true))], tag: "building"
      ) { request, _ in
        guard let space = request.uri.queryParameters["space"].flatMap({ try? SpaceID(String($0)) }) else {
          throw Problem(.validationFailed, "space is required", field: "space")
        }
        guard let text = request.uri.queryParameters["date"].map(String.init), let date = try? LocalDate(typed: text) else {
          throw Problem(.validationFailed, "date is required (ISO or 和暦)", field: "date")
        }
        let (_, catalogue) = try await reads.catalogue()
        return try jsonResponse(try await desk.waitlistNow(space: space, date: date, catalogue: catalogue))
      },
      Route(
        .post, "/api/waitlist/{id}/leave", summary: "Take a place off the waiting list.", access: APIRoutes.deskStaff, appendsEvents: true,
        parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 160), "The place's id")], requestBody: LeaveWaitlistBody.schema,
        responses: entry, tag: "building"
      ) { request, context in
        let id: WaitlistEntryID
        do { id = try WaitlistEntryID(try context.parameters.require("id")) } catch { throw Problem(.notFound, "there is no such place on a waiting list") }
        let write = try await WriteRequest(request, context: context, service: service)
        let reason = write.body.isEmpty ? nil : try write.decode(LeaveWaitlistBody.self).reason
        return try await desk.decisions.respond(to: write) { t in try await desk.leaveWaitlist(id, reason: reason ?? "", in: t) }
      },
    ]
  }
}
