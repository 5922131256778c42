import Foundation
import ServiceKit
import Testing

/// A documented request body is refused with 422 and its field when it does not fit its schema.
@Suite("ServiceKit: request bodies checked against their documented schema")
struct SchemaCheckTests {
  struct Body: DocumentedBody {
    var reason: String
    var kind: String?
    var count: Int?
    var tags: [String]?

    static let schema = Schema.object(
      [
        "reason": .string(maxLength: 5), "kind": .string(values: ["a", "b"]), "count": .integer(minimum: 1, maximum: 10),
        "tags": .array(.string(maxLength: 3), maxItems: 2),
      ], required: ["reason"])
  }

  func refusal(_ json: String) -> (status: Int, field: String?)? {
    do {
      _ = try JSONInput.decode(Body.self, from: Data(json.utf8))
      return nil
    } catch {
      return (error.status.code, error.field)
    }
  }

  @Test("lengths count characters (code points), not bytes; a string one over is refused")
  func lengths() {
    #expect(refusal(#"{"reason": "あいうえお"}"#) == nil)
    #expect(refusal(#"{"reason": "\u00e8\u00e8\u00e8\u00e8\u00e8"}"#) == nil)
    #expect(refusal(#"{"reason": "abcdef"}"#)! == (422, "reason"))
    #expect(refusal(#"{"reason": "ok", "tags": ["abcd"]}"#)! == (422, "tags[0]"))
    #expect(refusal(#"{"reason": "ok", "tags": ["a", "b", "c"]}"#)! == (422, "tags"))
  }

  @Test("enums, bounds, types, required and unknown fields")
  func shapes() {
    #expect(refusal(#"{"reason": "ok", "kind": "b", "count": 10, "tags": null}"#) == nil)
    #expect(refusal(#"{"reason": "ok", "kind": "c"}"#)! == (422, "kind"))
    #expect(refusal(#"{"reason": "ok", "count": 0}"#)! == (422, "count"))
    #expect(refusal(#"{"reason": "ok", "count": 11}"#)! == (422, "count"))
    #expect(refusal(#"{"reason": "ok", "count": "3"}"#)! == (422, "count"))
    #expect(refusal(#"{"reason": "ok", "count": 1.5}"#)! == (422, "count"))
    #expect(refusal(#"{"kind": "a"}"#)! == (422, "reason"))
    #expect(refusal(#"{"reason": null}"#)! == (422, "reason"))
    #expect(refusal(#"{"reason": "ok", "extra": 1}"#)! == (422, "extra"))
    #expect(refusal(#"["reason"]"#)! == (422, nil))
    #expect(refusal(#"{"reason": "ok""#)!.status == 400)
  }
}

/// A required field that may be null must still be sent: `{"assignee": null}` says "nobody",
/// `{}` says nothing.
@Suite("ServiceKit: required nullable fields")
struct NullableRequiredTests {
  struct Assign: DocumentedBody {
    var assignee: String?
    static let schema = Schema.object(["assignee": .nullable(.string(maxLength: 10))], required: ["assignee"])
  }

  @Test("null is accepted, absence is refused with the field")
  func nullable() throws {
    #expect(try JSONInput.decode(Assign.self, from: Data(#"{"assignee": null}"#.utf8)).assignee == nil)
    #expect(try JSONInput.decode(Assign.self, from: Data(#"{"assignee": "sato"}"#.utf8)).assignee == "sato")
    #expect(throws: Problem.self) { try JSONInput.decode(Assign.self, from: Data("{}".utf8)) }
    do { _ = try JSONInput.decode(Assign.self, from: Data("{}".utf8)) } catch { #expect(error.field == "assignee" && error.status.code == 422) }
  }
}
