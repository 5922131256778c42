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

  enum CodingKeys: String, CodingKey {
    case projection, generation, version, position, state
    case failedPosition = "failed_position"
    case failedType = "failed_type"
    case failedReason = "failed_reason"
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
