/// What a writer believes about a stream's version, checked atomically with the append.
///
/// Versions count from 0: a stream with one event is at version 0.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
  /// No check.
  case any
  /// The stream must not exist yet.
  case noStream
  /// The stream must exist and be exactly at this version.
  case exact(Int64)
  /// The stream must exist, at any version.
  case streamExists

  /// Whether a stream at `actual` (nil: no stream) satisfies this expectation.
  public func isSatisfied(byActual actual: Int64?) -> Bool {
    switch self {
    case .any: true
    case .noStream: actual == nil
    case .exact(let version): actual == version
    case .streamExists: actual != nil
    }
  }

  public var description: String {
    switch self {
    case .any: "any"
    case .noStream: "no stream"
    case .exact(let version): "version \(version)"
    case .streamExists: "an existing stream"
    }
  }
}
