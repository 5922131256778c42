import Foundation
import ServiceKit
import Testing

/// A page's file upload read from multipart/form-data as browsers send it.
@Suite("ServiceKit: uploads (multipart/form-data)")
struct UploadTests {
  static func body(boundary: String, _ parts: [(headers: String, content: Data)]) -> Data {
    var data = Data()
    for part in parts {
      data += Data("--\(boundary)\r\n\(part.headers)\r\n\r\n".utf8)
      data += part.content
      data += Data("\r\n".utf8)
    }
    data += Data("--\(boundary)--\r\n".utf8)
    return data
  }

  @Test("text fields and a file with its name, type and exact bytes (a CRLF and a boundary-like run inside the file kept)")
  func reads() throws {
    let file = Data([0x31, 0x30, 0x33, 0x0D, 0x0A, 0xB6, 0xC5, 0x2D, 0x2D, 0x58, 0xFF])
    let body = Self.body(
      boundary: "----WebKitFormBoundaryX1",
      [
        (#"Content-Disposition: form-data; name="_csrf""#, Data("token".utf8)),
        (#"Content-Disposition: form-data; name="account""#, Data("main".utf8)),
        ("Content-Disposition: form-data; name=\"statement\"; filename=\"meisai.txt\"\r\nContent-Type: text/plain", file),
        (#"Content-Disposition: form-data; name="line""#, Data("1".utf8)), (#"Content-Disposition: form-data; name="line""#, Data("2".utf8)),
      ])
    let upload = try Upload(body, contentType: #"multipart/form-data; boundary="----WebKitFormBoundaryX1""#)
    #expect(upload.form["_csrf"] == "token" && upload.form["account"] == "main")
    #expect(upload.form.values("line") == ["1", "2"], "every value of a repeated field")
    let part = try #require(upload.file("statement"))
    #expect(part.filename == "meisai.txt" && part.contentType == "text/plain" && part.data == file)
  }

  @Test("a body without a boundary, without its closing delimiter, or with a part without a name is refused as malformed")
  func refuses() {
    let good = Self.body(boundary: "b", [(#"Content-Disposition: form-data; name="a""#, Data("1".utf8))])
    #expect(throws: Problem.self) { try Upload(good, contentType: "multipart/form-data") }
    #expect(throws: Problem.self) { try Upload(good.dropLast(6), contentType: "multipart/form-data; boundary=b") }
    let nameless = Self.body(boundary: "b", [("Content-Disposition: form-data", Data("1".utf8))])
    #expect(throws: Problem.self) { try Upload(nameless, contentType: "multipart/form-data; boundary=b") }
    #expect(throws: Never.self) { try Upload(good, contentType: "multipart/form-data; boundary=b") }
  }
}
