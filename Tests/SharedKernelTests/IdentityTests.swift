import Foundation
import SharedKernel
import Testing

@Suite("Role, Principal and ID")
struct IdentityTests {
  @Test("role raw values are exactly the stored names")
  func roleRawValues() {
    #expect(Role.allCases.map(\.rawValue) == [
      "desk", "building-manager", "succession", "succession-manager", "partner",
      "treasury", "treasury-manager", "admin", "auditor",
    ])
  }

  @Test("every role has a distinct Japanese display name")
  func roleDisplayNames() {
    let names = Role.allCases.map(\.displayName)
    #expect(Set(names).count == Role.allCases.count)
    #expect(names.allSatisfy { !$0.isEmpty && !$0.allSatisfy(\.isASCII) })
    #expect(Role.treasuryManager.displayName == "預託事業責任者")
  }

  @Test("actors encode to a stable JSON shape and decode back")
  func actorCoding() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let user = Principal.user(try UserID("u-0042"), .treasuryManager)
    #expect(String(decoding: try encoder.encode(user), as: UTF8.self) == #"{"kind":"user","role":"treasury-manager","user":"u-0042"}"#)
    #expect(String(decoding: try encoder.encode(Principal.system("projection-runner")), as: UTF8.self) == #"{"kind":"system","name":"projection-runner"}"#)
    for actor in [user, .system("projection-runner"), .operator("kipctl")] {
      #expect(try JSONDecoder().decode(Principal.self, from: encoder.encode(actor)) == actor)
    }
    #expect(user.role == .treasuryManager)
    #expect(Principal.system("x").role == nil)
  }

  @Test("an unknown role or an empty user id does not decode")
  func actorDecodingErrors() {
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(Principal.self, from: Data(#"{"kind":"user","role":"boss","user":"u-1"}"#.utf8))
    }
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(Principal.self, from: Data(#"{"kind":"user","role":"desk","user":""}"#.utf8))
    }
  }

  @Test("ids must be non-empty, short and without spaces")
  func ids() throws {
    #expect(try UserID("u-1").rawValue == "u-1")
    #expect(throws: IDError.empty) { try UserID("") }
    #expect(throws: IDError.invalidCharacters("a b")) { try UserID("a b") }
    #expect(throws: IDError.invalidCharacters("a\u{0}")) { try UserID("a\u{0}") }
    #expect(throws: IDError.self) { try UserID(String(repeating: "x", count: 129)) }
    #expect(try UserID("a") < UserID("b"))
    #expect(String(decoding: try JSONEncoder().encode([try UserID("u-7")]), as: UTF8.self) == #"["u-7"]"#)
  }
}
