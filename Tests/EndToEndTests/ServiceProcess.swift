import Foundation
import Synchronization
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
  let process = ChildProcess()
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
    exit = try ChildExit.start(process)
  }

  /// How the service's end is heard.
  let exit: ChildExit

  /// Waits for the "listening on" line, reading the service's stdout on a thread of its own (a
  /// service starting on a big log takes a while; no thread of the shared pool waits for it).
  func waitUntilListening(timeout: TimeInterval = 60) async throws {
    let output = output.fileHandleForReading
    let said = Mutex<CheckedContinuation<String, Never>?>(nil)
    let heard: String = await withCheckedContinuation { continuation in
      said.withLock { $0 = continuation }
      Thread.detachNewThread {
        var buffer = ""
        while buffer.firstMatch(of: /listening on (http:\/\/\S+)/) == nil {
          let chunk = output.availableData
          if chunk.isEmpty { break }
          buffer += String(decoding: chunk, as: UTF8.self)
        }
        said.withLock { $0.take() }?.resume(returning: buffer)
      }
      Thread.detachNewThread { [process] in
        Thread.sleep(forTimeInterval: timeout)
        if let waiting = said.withLock({ $0.take() }) {
          kill(process.processIdentifier, SIGKILL)
          waiting.resume(returning: "(nothing within \(timeout) s)")
        }
      }
    }
    if let match = heard.firstMatch(of: /listening on (http:\/\/\S+)/), let url = URL(string: String(match.1)) {
      baseURL = url
      return
    }
    let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
    throw EndToEndFailure(description: "service did not say where it listens: \(heard) \(stderr.suffix(3000))")
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
    guard exit.waitBlocking(timeout: timeout) else {
      kill(process.processIdentifier, SIGKILL)
      let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
      throw EndToEndFailure(description: "service did not stop within \(timeout) s of SIGTERM; the end of its log:\n\(stderr.suffix(3000))")
    }
    return exit.status ?? -1
  }

  deinit {
    if !exit.hasEnded { kill(process.processIdentifier, SIGKILL) }
  }
}

/// GET a path; answers the status and the decoded JSON object.
func get(_ url: URL) async throws -> (status: Int, json: [String: Any]) {
  let (data, response) = try await URLSession.shared.data(from: url)
  let status = (response as? HTTPURLResponse)?.statusCode ?? 0
  let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
  return (status, json)
}

