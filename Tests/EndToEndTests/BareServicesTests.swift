import Foundation
import TestSupport
import Testing

@Suite("The three services as real processes", .serialized)
struct BareServicesTests {
  static let services = ["kip-building", "kip-succession", "kip-deposits"]

  @Test("each service opens the log, answers /health with the log's head, and stops cleanly on SIGTERM", arguments: services)
  func healthAndStop(service: String) async throws {
    let data = temporaryFolder()
    let process = try ServiceProcess(service, environment: ["KIP_DATA_DIR": data.path, "KIP_EVENT_LOG": ""])
    try await process.waitUntilListening()
    let (status, json) = try await get(process.baseURL.appending(path: "health"))
    #expect(status == 200)
    #expect(json["status"] as? String == "ok")
    #expect(json["service"] as? String == service)
    #expect(FileManager.default.fileExists(atPath: data.appending(path: "events.sqlite").path), "KIP_DATA_DIR holds the default log")
    #expect(try process.terminate() == 0)
  }

  @Test("a real service serves its OpenAPI document, problem+json for what it lacks, and refuses kipctl without a token")
  func conventionsOverTheWire() async throws {
    let process = try ServiceProcess("kip-succession", environment: ["KIP_DATA_DIR": temporaryFolder().path, "KIP_EVENT_LOG": ""])
    try await process.waitUntilListening()
    let (status, document) = try await get(process.baseURL.appending(path: "openapi.json"))
    #expect(status == 200 && document["openapi"] as? String == "3.1.0")
    let paths = document["paths"] as? [String: Any] ?? [:]
    #expect(Set(paths.keys).isSuperset(of: ["/health", "/health/ready", "/metrics", "/openapi.json", "/admin/projections"]))
    let (missing, problem) = try await get(process.baseURL.appending(path: "no/such/page"))
    #expect(missing == 404 && problem["type"] as? String == "urn:kip:problem:not-found")
    let refused = try run(executable("kipctl"), ["projections", "status", "--service", process.baseURL.absoluteString], removing: ["KIP_TOKEN"])
    #expect(refused.status == 1)
    #expect(refused.error.hasPrefix("kipctl: 401 unauthenticated: "), "\(refused.error)")
    let unreachable = try run(executable("kipctl"), ["projections", "status", "--service", "http://127.0.0.1:1"])
    #expect(unreachable.status == 1 && unreachable.error.contains("no service answers at http://127.0.0.1:1"), "\(unreachable.error)")
    #expect(try process.terminate() == 0)
  }

  @Test("all three services share one log file with kipctl, and each sees another process's appends")
  func sharedLog() async throws {
    let log = "sqlite://\(temporaryFolder().appending(path: "events.sqlite").path)"
    let processes = try Self.services.map { try ServiceProcess($0, environment: ["KIP_EVENT_LOG": log]) }
    for process in processes { try await process.waitUntilListening() }
    for n in 0..<3 {
      let appended = try run(executable("kipctl"), ["events", "append", "--log", log, "--stream", "ops-\(n)", "--type", "Ops.Note", "--data", "{}"])
      #expect(appended.status == 0, "\(appended.error)")
    }
    for process in processes {
      let (_, json) = try await get(process.baseURL.appending(path: "health"))
      let head = (json["log"] as? [String: Any])?["position"] as? Int
      #expect(head == 3, "\(process.baseURL) sees head \(String(describing: head))")
    }
    for process in processes { #expect(try process.terminate() == 0) }
  }

  @Test("all three services share one PostgreSQL log with kipctl, and each sees another process's appends")
  func sharedPostgresLog() async throws {
    let log = try TestPostgres.newDatabase()
    let processes = try Self.services.map { try ServiceProcess($0, environment: ["KIP_EVENT_LOG": log]) }
    for process in processes { try await process.waitUntilListening() }
    for n in 0..<3 {
      let appended = try run(executable("kipctl"), ["events", "append", "--log", log, "--stream", "ops-\(n)", "--type", "Ops.Note", "--data", "{}"])
      #expect(appended.status == 0, "\(appended.error)")
    }
    for process in processes {
      let (_, json) = try await get(process.baseURL.appending(path: "health"))
      let head = (json["log"] as? [String: Any])?["position"] as? Int
      let sealed = (json["log"] as? [String: Any])?["sealedThrough"] as? Int
      #expect(head == 3 && sealed == 3, "\(process.baseURL) sees head \(String(describing: head))")
    }
    for process in processes { #expect(try process.terminate() == 0) }
  }

  @Test("bad configuration stops a service at once with one clear line and exit code 2",
    arguments: [
      (["KIP_PORT": "99999"], "KIP_PORT '99999' is not a port number"),
      (["KIP_PORT": "eighty"], "KIP_PORT 'eighty' is not a port number"),
      (["KIP_EVENT_LOG": "mysql://db/kip"], "KIP_EVENT_LOG: invalid event log location"),
    ])
  func badConfiguration(environment: [String: String], message: String) throws {
    let result = try run(executable("kip-building"), [], environment: environment)
    #expect(result.status == 2)
    #expect(result.error.contains(message), "stderr was: \(result.error)")
    #expect(result.error.split(separator: "\n").count == 1)
  }

  @Test("flags override the environment, and an unknown flag is one clear line",
    arguments: [
      (["--port", "99999"], "KIP_PORT '99999' is not a port number"),
      (["--port=eighty"], "KIP_PORT 'eighty' is not a port number"),
      (["--verbose"], "unknown option '--verbose'"),
      (["--event-log"], "--event-log needs a value"),
    ])
  func badFlags(arguments: [String], message: String) throws {
    let result = try run(executable("kip-building"), arguments, environment: ["KIP_PORT": "0"])
    #expect(result.status == 2)
    #expect(result.error.contains(message), "stderr was: \(result.error)")
    #expect(result.error.split(separator: "\n").count == 1)
  }

  @Test("flags override the environment: a bad KIP_PORT is overridden by --port, the data folder by --data-dir")
  func flagsOverride() async throws {
    let data = temporaryFolder()
    let process = try ServiceProcess(
      "kip-deposits", arguments: ["--port", "0", "--data-dir", data.path], environment: ["KIP_EVENT_LOG": "", "KIP_DATA_DIR": "/nonexistent"],
      port: "99999")
    try await process.waitUntilListening()
    #expect(try await get(process.baseURL.appending(path: "health")).status == 200)
    #expect(FileManager.default.fileExists(atPath: data.appending(path: "events.sqlite").path))
    #expect(try process.terminate() == 0)
  }

  @Test("a log file that is not a database stops the service with a clear error, not a crash")
  func corruptLog() throws {
    let path = temporaryFolder().appending(path: "events.sqlite")
    try Data(repeating: 0x42, count: 4096).write(to: path)
    let result = try run(executable("kip-deposits"), [], environment: ["KIP_EVENT_LOG": "sqlite://\(path.path)", "KIP_PORT": "0"])
    #expect(result.status == 1)
    #expect(result.error.contains("damaged or not an event log"), "stderr was: \(result.error)")
  }
}
