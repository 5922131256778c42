import Foundation
import TestSupport

/// Runs the built kipctl to its end.
@discardableResult
func kipctl(_ arguments: String..., environment: [String: String] = [:]) throws -> Outcome {
  try kipctl(arguments, environment: environment)
}

func kipctl(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
  try run(executable("kipctl"), arguments, environment: environment, removing: ["KIP_EVENT_LOG"])
}

/// A new log in a fresh folder, with `count` events appended through kipctl itself.
func seededLog(_ count: Int) throws -> (folder: URL, log: String) {
  let folder = temporaryFolder()
  let log = "sqlite://\(folder.appending(path: "events.sqlite").path)"
  for n in 0..<count {
    let outcome = try kipctl("events", "append", "--log", log, "--stream", "note-\(n % 3)", "--type", "Ops.Note", "--data", #"{"n":\#(n),"text":"鍵 \#(n)"}"#)
    guard outcome.status == 0 else { throw TestFailure(outcome.error) }
  }
  return (folder, log)
}

