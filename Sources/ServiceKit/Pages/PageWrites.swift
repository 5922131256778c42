import Crypto
import EventLog
import Foundation
public import Hummingbird

extension WriteRequest {
  /// A page's form post as a write: the form's own idempotency key (each rendering of a form
  /// carries a new one, so a double submit writes once), and a digest of the path and the
  /// fields but the CSRF token and the key; `client` names the page in the events' metadata.
  public init(form fields: FormBody, context: KIPRequestContext, service: String, path: String, client: String) {
    var hasher = SHA256()
    hasher.update(data: Data("POST \(path)\n".utf8))
    for (name, value) in fields.fields.sorted(by: { $0.key < $1.key }) where name != Form.csrfField && name != Form.idempotencyField {
      hasher.update(data: Data("\(name)=\(value)\n".utf8))
    }
    let actor = context.user?.id.rawValue ?? "anonymous"
    let key = IdempotencyKey(
      scope: "\(service):\(actor)", key: fields[Form.idempotencyField] ?? UUID().uuidString, requestDigest: Data(hasher.finalize()))
    self.init(
      idempotency: key,
      metadata: EventMetadata(
        actor: context.user?.id.rawValue, role: context.user?.role.rawValue, correlationID: context.requestID, source: service, client: client))
  }

  /// A page's upload as a write: as a form's, the file's bytes the body and part of the digest,
  /// so the same key with another file is refused rather than answered as the first.
  public init(upload: Upload, file: Upload.File, context: KIPRequestContext, service: String, path: String, client: String) {
    self.init(form: upload.form, context: context, service: service, path: path, client: client)
    var hasher = SHA256()
    hasher.update(data: idempotency.requestDigest)
    hasher.update(data: file.data)
    idempotency = IdempotencyKey(scope: idempotency.scope, key: idempotency.key, requestDigest: Data(hasher.finalize()))
    body = file.data
  }
}

/// The answer to a form post that worked: 303 to the page that shows it, with the log position
/// the page waits for before it reads (`after`: read your writes) and the notice it shows.
public func pageRedirect(_ path: String, after position: Int64?, notice: String?) -> Response {
  var query: [String] = []
  if let position { query.append("after=\(position)") }
  if let notice { query.append("notice=\(notice)") }
  let target = query.isEmpty ? path : path + (path.contains("?") ? "&" : "?") + query.joined(separator: "&")
  return Response(status: .seeOther, headers: [.location: target])
}
