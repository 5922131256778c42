import EventLog
import EventLogPostgres
import Foundation
import Testing
import TestSupport

/// TLS as libpq's sslmode, sslrootcert, sslcert and sslkey describe it, against a server of its
/// own that takes TLS only, with a private CA, a certificate for `localhost` alone, and a role
/// that logs in by client certificate (Deploy/test-postgres.sh start-tls).
@Suite("PostgreSQL over TLS: a private CA, verify-full, client certificates", .serialized)
struct PostgresTLSTests {
  /// Opens and closes a store at `url`; answers the error when it cannot.
  func refusal(_ url: String) async -> String? {
    do {
      let store = try await PostgresEventStore.open(try PostgresConfiguration(url: url))
      _ = try await store.head()
      await store.close()
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test("verify-full trusts the given root and checks the name; a wrong root, no root or a wrong name fail; a client certificate logs in")
  func tls() async throws {
    let folder = temporaryFolder()
    let script = packageRoot.appending(path: "Deploy/test-postgres.sh").path
    let started = try run(URL(filePath: script), ["start-tls", folder.path])
    try #require(started.status == 0, "the TLS server did not start: \(started.error)")
    defer { _ = try? run(URL(filePath: script), ["stop", folder.path]) }
    let port = try #require(started.output.firstMatch(of: /127\.0\.0\.1:([0-9]+)/)).1
    let tls = folder.appending(path: "tls").path
    let ca = "sslrootcert=\(tls)/ca.pem"
    func at(_ host: String, _ query: String, user: String = "postgres") -> String { "postgres://\(user)@\(host):\(port)/postgres?connect_timeout=5&\(query)" }

    #expect(await refusal(at("localhost", "sslmode=verify-full&\(ca)")) == nil)
    #expect(await refusal(at("127.0.0.1", "sslmode=verify-ca&\(ca)")) == nil, "verify-ca does not check the name")
    #expect(await refusal(at("127.0.0.1", "sslmode=require")) == nil, "require does not verify")
    // The certificate names localhost only.
    #expect(await refusal(at("127.0.0.1", "sslmode=verify-full&\(ca)")) != nil)
    #expect(await refusal(at("localhost", "sslmode=verify-full&sslrootcert=\(tls)/other-ca.pem")) != nil)
    #expect(await refusal(at("localhost", "sslmode=verify-full")) != nil, "the system's roots do not know the private CA")
    #expect(await refusal(at("127.0.0.1", "sslmode=disable")) != nil, "the server takes TLS only")
    // certuser logs in by certificate only.
    let certificate = "sslcert=\(tls)/client.pem&sslkey=\(tls)/client.key"
    #expect(await refusal(at("localhost", "sslmode=verify-full&\(ca)&\(certificate)", user: "certuser")) == nil)
    #expect(await refusal(at("localhost", "sslmode=verify-full&\(ca)", user: "certuser")) != nil)
    #expect(throws: EventLogError.self) { try PostgresConfiguration(url: at("localhost", "sslmode=require&sslcert=\(tls)/client.pem")) }
    let missing = await refusal(at("localhost", "sslmode=verify-full&sslrootcert=\(tls)/nowhere.pem"))
    #expect(missing?.contains("TLS") == true, "\(missing ?? "")")
  }
}
