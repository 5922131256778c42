import Crypto
import Foundation
import GRDB

/// A checksum over rows, never over file bytes (which differ with page layout and free space).
enum Checksum {
  static func of(_ projection: any Projection, _ set: TableSet, in db: Database) throws -> String {
    try of(tables: projection.tables, set, in: db)
  }

  static func of(tables: [String], _ set: TableSet, in db: Database) throws -> String {
    var hasher = SHA256()
    for table in tables.sorted() {
      let name = set.table(table)
      let key = try db.primaryKey(name).columns.map { "\"\($0)\"" }.joined(separator: ", ")
      hasher.update(data: Data("table \(table)\n".utf8))
      let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \"\(name)\" ORDER BY \(key)")
      while let row = try rows.next() {
        for value in row.databaseValues { feed(value, into: &hasher) }
        hasher.update(data: Data([0x1E]))
      }
    }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
  }

  /// Each value as a type tag and its bytes, so `1` and `'1'` differ.
  static func feed(_ value: DatabaseValue, into hasher: inout SHA256) {
    switch value.storage {
    case .null: hasher.update(data: Data([0]))
    case .int64(let n): hasher.update(data: Data([1]) + withUnsafeBytes(of: n.bigEndian) { Data($0) })
    case .double(let d): hasher.update(data: Data([2]) + withUnsafeBytes(of: d.bitPattern.bigEndian) { Data($0) })
    case .string(let s): hasher.update(data: Data([3]) + withUnsafeBytes(of: Int64(s.utf8.count).bigEndian) { Data($0) } + Data(s.utf8))
    case .blob(let b): hasher.update(data: Data([4]) + withUnsafeBytes(of: Int64(b.count).bigEndian) { Data($0) } + b)
    }
  }
}
