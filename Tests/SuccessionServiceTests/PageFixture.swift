import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The pages' side of the fixture: a page as a signed-in user sees it, and a form posted.
extension CentreFixture {
  /// The page at `uri` as `login` (200 expected).
  func page(_ client: some TestClientProtocol, _ uri: String, as login: String = "sato") async throws -> String {
    let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(tokens[login] ?? "none")"])
    #expect(response.status == .ok, "\(uri) as \(login): \(response.status) \(String(buffer: response.body).prefix(300))")
    return String(buffer: response.body)
  }

  /// A form post as `login`, URL-encoded as a browser sends it.
  func submit(_ client: some TestClientProtocol, _ uri: String, as login: String = "sato", _ fields: [String: String]) async throws -> TestResponse {
    let body = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
      .joined(separator: "&")
    return try await client.execute(
      uri: uri, method: .post,
      headers: [.authorization: "Bearer \(tokens[login] ?? "none")", .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
  }

  /// How many events of `type` the log holds.
  func count(_ type: String) async throws -> Int {
    try await app.store.read(after: 0, category: "case", limit: 10_000).filter { $0.type == type }.count
  }
}

/// The fields of a referral form for 株式会社ＡＢＣ商事 (法人番号 7000012050002).
func referralForm(key: String, _ more: [String: String] = [:]) -> [String: String] {
  [
    "partner": "org-a", "partnerStaff": "髙橋 一郎", "name": "株式会社ＡＢＣ商事", "nameKana": "えーびーしーしょうじ", "corporateNumber": "7000012050002",
    "address": "横浜市中区本町1-1", "industry": "manufacturing", "employees": "１２", "salesBand": "30m-100m", "ownerAge": "72", "consent": "1",
    "reason": "後継者がいないため相談したい", "_idempotency_key": key,
  ].merging(more) { $1 }
}

extension TestResponse {
  var text: String { String(buffer: body) }
}
