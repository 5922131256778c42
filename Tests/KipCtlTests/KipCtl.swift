import Foundation

let packageRoot = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func temporaryFolder() -> URL {
  let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
  let url = URL(filePath: base).appending(path: "kip-tests-\(getpid())").appending(path: UUID().uuidString)
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// What one run of kipctl did.
struct Outcome {
  var status: Int32
  var output: String
  var error: String
}

/// Runs the built kipctl to its end.
@discardableResult
func kipctl(_ arguments: String..., environment: [String: String] = [:]) throws -> Outcome {
  try kipctl(arguments, environment: environment)
}

func kipctl(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
  let process = Process()
  let dir = ProcessInfo.processInfo.environment["KIP_BIN_DIR"].map { URL(filePath: $0) } ?? packageRoot.appending(path: ".build/debug")
  process.executableURL = dir.appending(path: "kipctl")
  process.arguments = arguments
  var env = ProcessInfo.processInfo.environment
  env.removeValue(forKey: "KIP_EVENT_LOG")
  process.environment = env.merging(environment) { $1 }
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let output = out.fileHandleForReading.readDataToEndOfFile()
  let errors = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return Outcome(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), error: String(decoding: errors, as: UTF8.self))
}

/// A new log in a fresh folder, with `count` events appended through kipctl itself.
func seededLog(_ count: Int) throws -> (folder: URL, log: String) {
  let folder = temporaryFolder()
  let log = "sqlite://\(folder.appending(path: "events.sqlite").path)"
  for n in 0..<count {
    let outcome = try kipctl("events", "append", "--log", log, "--stream", "note-\(n % 3)", "--type", "Ops.Note", "--data", #"{"n":\#(n),"text":"鍵 \#(n)"}"#)
    guard outcome.status == 0 else { throw Failure(outcome.error) }
  }
  return (folder, log)
}

struct Failure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
