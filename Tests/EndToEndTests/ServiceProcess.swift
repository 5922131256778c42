import Foundation
import TestSupport
#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

struct EndToEndFailure: Error, CustomStringConvertible {
  let description: String
}

/// A real service executable started on a free port; it tells its port on stdout.
final class ServiceProcess: @unchecked Sendable {
  // @unchecked: `process` and the pipes are only touched by the test that owns this value.
  let process = Process()
  let output = Pipe()
  /// The service logs a line per request to stderr: a file, so a busy test never fills a pipe
  /// and blocks the service.
  let errorLog = temporaryFolder().appending(path: "stderr.log")
  private(set) var baseURL = URL(filePath: "/")

  init(_ name: String, arguments: [String] = [], environment: [String: String], port: String? = "0") throws {
    process.executableURL = executable(name)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(port.map { ["KIP_PORT": $0] } ?? [:]) { $1 }) { $1 }
    process.standardOutput = output
    _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: errorLog)
    try process.run()
  }

  /// Waits for the "listening on" line.
  func waitUntilListening(timeout: TimeInterval = 30) throws {
    var buffer = ""
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      buffer += String(decoding: chunk, as: UTF8.self)
      if let range = buffer.range(of: #"listening on (http://\S+)"#, options: .regularExpression) {
        let url = buffer[range].split(separator: " ").last.map(String.init) ?? ""
        baseURL = URL(string: url) ?? baseURL
        return
      }
    }
    let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
    throw EndToEndFailure(description: "service did not say where it listens: \(buffer) \(stderr)")
  }

  /// Waits until `/health/ready` answers 200: every read model has caught up with the log.
  func waitUntilReady(timeout: TimeInterval = 120) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let (_, response) = try? await URLSession.shared.data(from: baseURL.appending(path: "health/ready")),
        (response as? HTTPURLResponse)?.statusCode == 200
      {
        return
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    throw EndToEndFailure(description: "\(baseURL) was not ready within \(timeout) s")
  }

  /// Sends SIGTERM and waits for the exit status.
  func terminate(timeout: TimeInterval = 15) throws -> Int32 {
    process.terminate()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
      throw EndToEndFailure(description: "service did not stop within \(timeout) s of SIGTERM; the end of its log:\n\(stderr.suffix(3000))")
    }
    return process.terminationStatus
  }

  deinit {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
  }
}

/// GET a path; answers the status and the decoded JSON object.
func get(_ url: URL) async throws -> (status: Int, json: [String: Any]) {
  let (data, response) = try await URLSession.shared.data(from: url)
  let status = (response as? HTTPURLResponse)?.statusCode ?? 0
  let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
  return (status, json)
}

