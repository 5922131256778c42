import Foundation

/// Where the log lives, as `KIP_EVENT_LOG` or `--log` name it.
///
/// `sqlite:///var/lib/kip/events.sqlite` (absolute), `sqlite://var/events.sqlite` (relative),
/// a bare path (SQLite), or `postgres://user@host:port/db` / `postgresql://…`.
public enum LogLocation: Sendable, Hashable, CustomStringConvertible {
  case sqlite(path: String)
  case postgres(url: String)

  /// Parses a location string.
  public init(parsing text: String) throws(EventLogError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { throw .invalidLocation(text, reason: "it is empty") }
    if let colon = trimmed.firstIndex(of: ":"), trimmed[colon...].hasPrefix("://") {
      let scheme = trimmed[..<colon].lowercased()
      let rest = String(trimmed[trimmed.index(colon, offsetBy: 3)...])
      switch scheme {
      case "sqlite":
        guard !rest.isEmpty, rest != "/" else {
          throw .invalidLocation(text, reason: "no file path after sqlite:// (e.g. sqlite:///var/lib/kip/events.sqlite)")
        }
        self = .sqlite(path: rest)
      case "postgres", "postgresql":
        guard !rest.isEmpty else { throw .invalidLocation(text, reason: "no host after \(scheme)://") }
        self = .postgres(url: trimmed)
      default:
        throw .invalidLocation(text, reason: "unknown scheme '\(scheme)'; use sqlite:// or postgres://")
      }
    } else if trimmed.contains("://") || trimmed.hasPrefix("sqlite:") || trimmed.hasPrefix("postgres:") {
      throw .invalidLocation(text, reason: "expected scheme://…, e.g. sqlite:///var/lib/kip/events.sqlite")
    } else if trimmed.range(of: "^[A-Za-z][A-Za-z0-9+.-]*//", options: .regularExpression) != nil {
      // `sqlite//tmp/x.sqlite` is a URL without its colon, not a folder named `sqlite`.
      throw .invalidLocation(text, reason: "it looks like a URL without the ':' after its scheme (sqlite:///path or postgres://…)")
    } else {
      self = .sqlite(path: trimmed)
    }
  }

  public var description: String {
    switch self {
    case .sqlite(let path): "sqlite://\(path)"
    case .postgres(let url): url
    }
  }
}
