/// A share as the reports print it: hundredths of a percent, truncated, and the text `72.50%`
/// (`—` when there was nothing to share out).
public struct Share: Sendable, Hashable, Codable {
  /// Hundredths of a percent, truncated; nil when the whole is zero.
  public var basisPoints: Int64?
  public var text: String

  public init(_ part: Int64, of whole: Int64) {
    guard whole > 0 else {
      basisPoints = nil
      text = "—"
      return
    }
    let points = part * 10_000 / whole
    basisPoints = points
    text = "\(points / 100).\(points % 100 < 10 ? "0" : "")\(points % 100)%"
  }
}
