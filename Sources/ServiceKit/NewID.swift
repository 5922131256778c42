import EventLog
public import Foundation
public import SharedKernel

/// A new id for a stream the platform makes: `b-<UUIDv7>` and the like.
public func newID<Tag>(_ prefix: String, at date: Date) -> ID<Tag> {
  guard let id = try? ID<Tag>("\(prefix)-" + UUIDv7.make(at: date).uuidString.lowercased()) else {
    preconditionFailure("a prefix and a UUID always make a valid id")
  }
  return id
}
