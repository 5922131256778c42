public import Foundation

/// How a SQLite log is opened.
public struct SQLiteConfiguration: Sendable {
  /// When an append is durable.
  public enum Durability: Sendable, Hashable {
    /// `synchronous=FULL`: durable when `append` returns (the default).
    case full
    /// `synchronous=NORMAL`: survives a process crash, may lose the last commits on power loss.
    /// For tests and throwaway logs only.
    case normal
  }

  /// The database file.
  public var path: String
  public var durability: Durability = .full
  /// How long a writer waits for another process's lock before ``EventLogError/busy(_:)``.
  public var busyTimeout: Duration = .seconds(5)
  /// Refuse writes; the file must exist.
  public var readOnly = false
  /// Create the file (and its folder) if it is missing.
  public var createIfMissing = true
  /// Most appends committed in one transaction by group commit.
  public var maximumGroupSize = 512
  /// How often another process's appends are looked for while someone waits for them.
  public var pollInterval: Duration = .milliseconds(100)
  /// A cap on the file's size in pages (`PRAGMA max_page_count`); past it appends fail with
  /// ``EventLogError/storageFull(_:)`` exactly as on a full disk. Nil: no cap.
  public var maximumPageCount: Int?
  /// The record-time clock (UTC); injectable so tests can make time go backwards.
  public var clock: @Sendable () -> Date = { Date() }

  public init(path: String) {
    self.path = path
  }
}
