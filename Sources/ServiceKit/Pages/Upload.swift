public import Foundation
public import Hummingbird

/// A page's file upload: a `multipart/form-data` body (RFC 7578) with the form's text fields
/// (its CSRF token and idempotency key among them) and its files.
///
/// Only what browsers send is read: parts with a `Content-Disposition: form-data; name=…`
/// header (and `filename=…` for a file), CRLF line ends, no nested multiparts.
public struct Upload: Sendable {
  /// One file of the upload.
  public struct File: Sendable {
    public var name: String
    public var filename: String
    public var contentType: String?
    public var data: Data
  }

  /// The text fields, as a form's.
  public var form: FormBody
  public var files: [File]

  public func file(_ name: String) -> File? { files.first { $0.name == name } }

  /// The parts of `body`, split at the boundary `contentType` names.
  public init(_ body: Data, contentType: String) throws(Problem) {
    guard let boundaryParameter = contentType.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: { $0.lowercased().hasPrefix("boundary=") }) else {
      throw Problem(.malformedRequest, "the upload has no multipart boundary")
    }
    let boundary = boundaryParameter.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    guard !boundary.isEmpty, boundary.utf8.count <= 70 else { throw Problem(.malformedRequest, "the upload's multipart boundary is malformed") }
    let delimiter = Data("--\(boundary)".utf8)
    let bytes = body
    var fields: [(String, String)] = []
    var files: [File] = []
    guard var cursor = bytes.range(of: delimiter)?.upperBound else { throw Problem(.malformedRequest, "the upload has no part") }
    while true {
      // After a delimiter: "--" ends the body, CRLF starts a part.
      if bytes[cursor...].starts(with: Data("--".utf8)) { break }
      guard bytes[cursor...].starts(with: Data("\r\n".utf8)) else { throw Problem(.malformedRequest, "the upload's parts are malformed") }
      cursor += 2
      guard let headerEnd = bytes.range(of: Data("\r\n\r\n".utf8), in: cursor..<bytes.endIndex) else {
        throw Problem(.malformedRequest, "a part of the upload has no end to its headers")
      }
      let headers = String(decoding: bytes[cursor..<headerEnd.lowerBound], as: UTF8.self)
      guard let next = bytes.range(of: Data("\r\n".utf8) + delimiter, in: headerEnd.upperBound..<bytes.endIndex) else {
        throw Problem(.malformedRequest, "the upload ends inside a part")
      }
      let content = Data(bytes[headerEnd.upperBound..<next.lowerBound])
      var name: String?
      var filename: String?
      var type: String?
      for line in headers.components(separatedBy: "\r\n") {
        let lower = line.lowercased()
        if lower.hasPrefix("content-disposition:") {
          name = Self.parameter("name", in: line)
          filename = Self.parameter("filename", in: line)
        } else if lower.hasPrefix("content-type:") {
          type = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces).lowercased()
        }
      }
      guard let name else { throw Problem(.malformedRequest, "a part of the upload has no name") }
      if let filename {
        files.append(File(name: name, filename: filename, contentType: type, data: content))
      } else {
        guard let text = String(data: content, encoding: .utf8) else { throw Problem(.malformedRequest, "the field \(name) is not UTF-8") }
        fields.append((name, text))
      }
      cursor = next.upperBound
    }
    form = FormBody(fields: fields)
    self.files = files
  }

  private static func parameter(_ name: String, in header: String) -> String? {
    for piece in header.split(separator: ";").dropFirst() {
      let pair = piece.trimmingCharacters(in: .whitespaces)
      guard pair.lowercased().hasPrefix("\(name)=") else { continue }
      return String(pair.dropFirst(name.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
    return nil
  }
}

/// A page's upload with its CSRF token checked as ``pageForm(_:context:)`` checks a form's; the
/// body at most `limit` bytes.
public func pageUpload(_ request: Request, context: KIPRequestContext, limit: Int = 8 << 20) async throws(Problem) -> Upload {
  let body = try await JSONInput.collect(request, limit: limit)
  guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") else {
    throw Problem(.unsupportedMediaType, "send the file from its page (multipart/form-data)", field: "Content-Type")
  }
  let upload = try Upload(body, contentType: type)
  guard let expected = context.user?.session?.csrfToken else { return upload }
  guard let sent = upload.form[Form.csrfField], constantTimeEqual(sent, expected) else {
    throw Problem(.forbidden, "the form's CSRF token is missing or wrong; reload the page and send it again", field: Form.csrfField)
  }
  return upload
}
