import EventLog
import Foundation
import Hummingbird
import HummingbirdTesting
import ProjectionFixtures
import ServiceKit
import SharedKernel
import TestSupport
import Testing

func headers(role: Role? = .desk, key: String? = nil, _ more: HTTPFields = [:]) -> HTTPFields {
  var fields = more
  if let role { fields[.authorization] = "Bearer token-\(role.rawValue)" }
  if let key { fields[.idempotencyKey] = key }
  if fields[.contentType] == nil { fields[.contentType] = "application/json" }
  return fields
}

func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

func problem(_ response: TestResponse) throws -> Problem.Body {
  #expect(response.headers[.contentType] == "application/problem+json; charset=utf-8")
  return try JSONDecoder().decode(Problem.Body.self, from: Data(buffer: response.body))
}

@Suite("ServiceKit: HTTP conventions")
struct ConventionsTests {
  @Test("bad input is problem+json naming the field, and writes nothing",
    arguments: [
      ("{not json", 400, "malformed-request", nil as String?),
      (#"{"amount": "ten", "kind": "cash"}"#, 422, "validation-failed", "amount"),
      (#"{"kind": "cash"}"#, 422, "validation-failed", "amount"),
      (#"{"amount": 5, "kind": "bitcoin"}"#, 422, "validation-failed", "kind"),
      (#"{"amount": 500, "kind": "cash"}"#, 422, "validation-failed", "amount"),
      (#"{"amount": 5, "kind": "cash", "note": null}"#, 200, nil, nil),
      (#"{"amount": 5, "kind": "cash", "on": "令和5年3月31日"}"#, 200, nil, nil),
      (#"{"amount": 5, "kind": "cash", "on": "2023-02-29"}"#, 422, "validation-failed", "on"),
      (#"{"amount": 5, "kind": "cash", "on": "平成31年5月1日"}"#, 422, "validation-failed", "on"),
      ("[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]", 400, "malformed-request", nil),
      (#"{"amount": 5, "kind": "cash", "note": ""# + String(repeating: "あ", count: 10_001) + #""}"#, 422, "validation-failed", nil),
      ("", 400, "malformed-request", nil),
    ])
  func badInput(body: String, status: Int, type: String?, field: String?) async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let response = try await client.execute(
        uri: "/tallies/a/additions", method: .post, headers: headers(key: UUID().uuidString), body: json(body))
      #expect(response.status.code == status, "\(String(buffer: response.body))")
      if let type {
        let body = try problem(response)
        #expect(body.type == "urn:kip:problem:\(type)")
        #expect(body.field == field)
        #expect(!body.detail.isEmpty && !body.detail.contains("Swift.DecodingError"))
        #expect(try await app.store.head().position == 0, "a refused request wrote nothing")
      }
    }
  }

  @Test("invalid UTF-8, a body too large and a wrong media type are refused")
  func unreadableBodies() async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      var invalid = ByteBuffer(string: #"{"amount": 5, "kind": "cash", "note": ""#)
      invalid.writeBytes([0xFF, 0xFE, 0x22, 0x7D])
      let utf8 = try await client.execute(uri: "/tallies/a/additions", method: .post, headers: headers(key: "k1"), body: invalid)
      #expect(utf8.status == .badRequest)
      #expect(try problem(utf8).detail.contains("UTF-8"))
      let large = try await client.execute(
        uri: "/tallies/a/additions", method: .post, headers: headers(key: "k2"), body: json(String(repeating: " ", count: 1 << 21)))
      #expect(large.status == .contentTooLarge)
      let form = try await client.execute(
        uri: "/tallies/a/additions", method: .post, headers: headers(key: "k3", [.contentType: "text/plain"]), body: json("amount=5"))
      #expect(form.status == .unsupportedMediaType)
      #expect(try problem(form).field == "Content-Type")
    }
    #expect(try await app.store.head().position == 0)
  }

  @Test("a write without an Idempotency-Key is 428; a retry answers the first result; a changed body is 422")
  func idempotency() async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let missing = try await client.execute(
        uri: "/tallies/a/additions", method: .post, headers: headers(), body: json(#"{"amount": 5, "kind": "cash"}"#))
      #expect(missing.status == .preconditionRequired)
      #expect(try problem(missing).field == "Idempotency-Key")

      let first = try await client.execute(
        uri: "/tallies/a/additions", method: .post, headers: headers(key: "once"), body: json(#"{"amount": 5, "kind": "cash"}"#))
      #expect(first.status == .ok)
      #expect(first.headers[.eTag] == "\"0\"")
      #expect(first.headers[.kipPosition] == "1")
      let head = try await app.store.head().position
      let retry = try await client.execute(
        uri: "/tallies/a/additions", method: .post, headers: headers(key: "once"), body: json(#"{"amount": 5, "kind": "cash"}"#))
      #expect(retry.status == .ok)
      #expect(String(buffer: retry.body) == String(buffer: first.body))
      #expect(retry.headers[.eTag] == "\"0\"" && retry.headers[.kipPosition] == "1")
      #expect(retry.headers[.idempotentReplayed] == "true")
      #expect(try await app.store.head().position == head, "the retry wrote nothing")

      let changed = try await client.execute(
        uri: "/tallies/a/additions", method: .post, headers: headers(key: "once"), body: json(#"{"amount": 6, "kind": "cash"}"#))
      #expect(changed.status == .unprocessableContent)
      #expect(try problem(changed).type == "urn:kip:problem:idempotency-key-reused")
      // Another user's same key is another key.
      let other = try await client.execute(
        uri: "/tallies/a/additions", method: .post, headers: headers(role: .buildingManager, key: "once"),
        body: json(#"{"amount": 6, "kind": "cash"}"#))
      #expect(other.status == .ok)
      #expect(String(buffer: other.body) == #"{"tally":"a","total":11}"#)
    }
  }

  @Test("If-Match is the expected version: 412 when stale, never retried; the ETag moves with each write")
  func ifMatch() async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let add = #"{"amount": 10, "kind": "card"}"#
      _ = try await client.execute(uri: "/tallies/b/additions", method: .post, headers: headers(key: "1"), body: json(add))
      let read = try await client.execute(uri: "/tallies/b", method: .get, headers: headers())
      #expect(read.headers[.eTag] == "\"0\"")
      let matching = try await client.execute(
        uri: "/tallies/b/additions", method: .post, headers: headers(key: "2", [.ifMatch: "\"0\""]), body: json(add))
      #expect(matching.status == .ok && matching.headers[.eTag] == "\"1\"")
      let stale = try await client.execute(
        uri: "/tallies/b/additions", method: .post, headers: headers(key: "3", [.ifMatch: "\"0\""]), body: json(add))
      #expect(stale.status == .preconditionFailed)
      #expect(stale.headers[.eTag] == "\"1\"")
      #expect(try problem(stale).field == "If-Match")
      let malformed = try await client.execute(
        uri: "/tallies/b/additions", method: .post, headers: headers(key: "4", [.ifMatch: "W/\"1\""]), body: json(add))
      #expect(malformed.status == .badRequest)
      #expect(try await app.store.version(of: StreamName("tally-b")) == 1)
    }
  }

  @Test("a rule of the context is 422 rule-violated with its own words")
  func ruleViolated() async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      for n in 0..<10 {
        let ok = try await client.execute(
          uri: "/tallies/c/additions", method: .post, headers: headers(key: "k\(n)"), body: json(#"{"amount": 100, "kind": "cash"}"#))
        #expect(ok.status == .ok)
      }
      let refused = try await client.execute(
        uri: "/tallies/c/additions", method: .post, headers: headers(key: "k10"), body: json(#"{"amount": 1, "kind": "cash"}"#))
      #expect(refused.status == .unprocessableContent)
      #expect(try problem(refused).detail == "the tally is at 1000; it may not pass 1000")
    }
  }

  @Test("unknown paths are 404 and known paths with another method 405 with Allow, as problem+json")
  func notFoundAndMethod() async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let missing = try await client.execute(uri: "/nowhere", method: .get, headers: headers())
      #expect(missing.status == .notFound)
      #expect(try problem(missing).type == "urn:kip:problem:not-found")
      let wrong = try await client.execute(uri: "/tallies/a/additions", method: .delete, headers: headers())
      #expect(wrong.status == .methodNotAllowed)
      #expect(wrong.headers[.allow] == "POST")
      let health = try await client.execute(uri: "/health", method: .post, headers: [:])
      #expect(health.status == .methodNotAllowed && health.headers[.allow] == "GET")
      #expect(missing.headers[.requestID] != nil)
    }
  }

  @Test("the request id is echoed and recorded as the events' correlation id; the user as their actor")
  func correlation() async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let response = try await client.execute(
        uri: "/tallies/d/additions", method: .post, headers: headers(key: "x", [.requestID: "req-42"]),
        body: json(#"{"amount": 1, "kind": "cash"}"#))
      #expect(response.headers[.requestID] == "req-42")
    }
    let event = try #require(try await app.store.read(after: 0, category: nil, limit: 1).first)
    let metadata = try JSONDecoder().decode(EventMetadata.self, from: event.metadata)
    #expect(metadata.correlationID == "req-42" && metadata.actor == "u-desk" && metadata.role == "desk" && metadata.source == "sample")
  }
}
