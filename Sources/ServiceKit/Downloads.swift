public import Foundation
public import Hummingbird

extension Response {
  /// A CSV file to download (`SharedKernel.CSVText` writes it: UTF-8 with a BOM, as Excel in
  /// Japan opens it), named `filename`.
  public static func csv(_ data: Data, filename: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "text/csv; charset=utf-8"
    headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
  }
}
