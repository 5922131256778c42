public import Foundation

/// Time-ordered UUIDs (RFC 9562 version 7): random keys in a unique index cost several times the
/// append speed, time-ordered ones keep the index append-only.
public enum UUIDv7 {
  /// A new UUIDv7 for `date`, with random low bits.
  public static func make(at date: Date = Date()) -> UUID {
    var generator = SystemRandomNumberGenerator()
    return make(milliseconds: date.millisecondsSince1970, using: &generator)
  }

  /// A UUIDv7 from a time and a random source (a seeded one gives repeatable ids in tests).
  public static func make(milliseconds: Int64, using generator: inout some RandomNumberGenerator) -> UUID {
    let ms = UInt64(bitPattern: milliseconds) & 0xFFFF_FFFF_FFFF
    let random = generator.next() as UInt64
    let more = generator.next() as UInt64
    var bytes = [UInt8](repeating: 0, count: 16)
    for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: ms >> (40 - 8 * UInt64(i))) }
    bytes[6] = 0x70 | UInt8(truncatingIfNeeded: random & 0x0F)
    bytes[7] = UInt8(truncatingIfNeeded: random >> 8)
    bytes[8] = 0x80 | UInt8(truncatingIfNeeded: (random >> 16) & 0x3F)
    for i in 9..<16 { bytes[i] = UInt8(truncatingIfNeeded: more >> (8 * UInt64(i - 9))) }
    return UUID(uuid: (
      bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
      bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
  }
}
