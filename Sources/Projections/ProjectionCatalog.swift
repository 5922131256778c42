import EventLog
import Foundation
import GRDB

/// One generation's row in `projection_generations`: its version, checkpoint and state.
struct GenerationRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
  static let databaseTableName = "projection_generations"
  var projection: String
  var generation: Int64
  var version: Int
  /// Every event up to here is applied (the checkpoint), written with the rows it changed.
  var position: Int64
  /// `building`, `live`, or `retired`.
  var state: String
  var failedPosition: Int64?
  var failedType: String?
  var failedReason: String?
  /// The generation's table base names as a JSON array, so tools can checksum a read-model
  /// file without the projection's code.
  var tables: String = "[]"

  enum CodingKeys: String, CodingKey {
    case projection, generation, version, position, state, tables
    case failedPosition = "failed_position"
    case failedType = "failed_type"
    case failedReason = "failed_reason"
  }

  /// The failure this generation recorded, if it stopped on an event.
  func failure(of name: String) -> ProjectionError? {
    guard let failedPosition, let failedType else { return nil }
    return .applyFailed(projection: name, position: failedPosition, type: failedType, reason: failedReason ?? "")
  }
}

/// The read model's own bookkeeping tables.
enum ProjectionCatalog {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-projection-catalog") { db in
      try db.execute(
        sql: """
          CREATE TABLE projection_generations (
            projection TEXT NOT NULL,
            generation INTEGER NOT NULL,
            version INTEGER NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL CHECK (state IN ('building', 'live', 'retired')),
            failed_position INTEGER,
            failed_type TEXT,
            failed_reason TEXT,
            tables TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (projection, generation)
          );
          CREATE UNIQUE INDEX one_live_generation ON projection_generations(projection) WHERE state = 'live';
          CREATE UNIQUE INDEX one_building_generation ON projection_generations(projection) WHERE state = 'building';
          """)
    }
    return migrator
  }

  static func live(_ projection: String, in db: Database) throws -> GenerationRecord? {
    try GenerationRecord.filter(Column("projection") == projection && Column("state") == "live").fetchOne(db)
  }

  static func building(_ projection: String, in db: Database) throws -> GenerationRecord? {
    try GenerationRecord.filter(Column("projection") == projection && Column("state") == "building").fetchOne(db)
  }

  static func nextGeneration(_ projection: String, in db: Database) throws -> Int64 {
    (try Int64.fetchOne(db, sql: "SELECT max(generation) FROM projection_generations WHERE projection = ?", arguments: [projection]) ?? 0) + 1
  }

  /// Drops the tables of retired generations.
  static func dropRetired(_ projection: some Projection, in db: Database) throws {
    let retired = try GenerationRecord.filter(Column("projection") == projection.name && Column("state") == "retired").fetchAll(db)
    for record in retired {
      let set = TableSet(projection: projection.name, generation: record.generation)
      for table in projection.tables { try db.execute(sql: "DROP TABLE IF EXISTS \"\(set.table(table))\"") }
      try record.delete(db)
    }
  }
}

/// What a tool can read from a read-model file alone, without the projections' code.
public struct ReadModelFile: Sendable {
  /// One generation as the catalog records it.
  public struct Generation: Sendable, Codable, Equatable {
    public var projection: String
    public var generation: Int64
    public var version: Int
    public var position: Int64
    public var state: String
    public var tables: [String]
    /// The event this generation stopped on, when it did: its position, type and why.
    public var failedPosition: Int64?
    public var failedType: String?
    public var failedReason: String?
  }

  let queue: DatabaseQueue

  /// Opens an existing read-model file read-only.
  public init(path: String) throws(ProjectionError) {
    guard FileManager.default.fileExists(atPath: path) else { throw .storage("\(path) does not exist") }
    var configuration = Configuration()
    configuration.readonly = true
    do {
      queue = try DatabaseQueue(path: path, configuration: configuration)
      guard try queue.read({ db in try db.tableExists("projection_generations") }) else {
        throw ProjectionError.storage("\(path) is not a read-model database")
      }
    } catch let error as ProjectionError {
      throw error
    } catch {
      throw .storage("\(path): \(error)")
    }
  }

  /// Every generation, by projection then generation.
  public func generations() throws -> [Generation] {
    try queue.read { db in
      try GenerationRecord.order(Column("projection"), Column("generation")).fetchAll(db).map { record in
        Generation(
          projection: record.projection, generation: record.generation, version: record.version, position: record.position,
          state: record.state, tables: (try? JSONDecoder().decode([String].self, from: Data(record.tables.utf8))) ?? [],
          failedPosition: record.failedPosition, failedType: record.failedType, failedReason: record.failedReason)
      }
    }
  }

  /// SHA-256 over the live generation's rows of each projection, in primary-key order.
  public func checksums() throws -> [(projection: String, checksum: String)] {
    let live = try generations().filter { $0.state == "live" }
    return try queue.read { db in
      try live.map { generation in
        let set = TableSet(projection: generation.projection, generation: generation.generation)
        return (generation.projection, try Checksum.of(tables: generation.tables, set, in: db))
      }
    }
  }
}
