import Foundation

/// Seconds taken by `body`.
func timed(_ body: () async throws -> Void) async rethrows -> Double {
  let start = ContinuousClock.now
  try await body()
  let elapsed = ContinuousClock.now - start
  return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Runs `body` repeatedly for about `duration` seconds; answers units done per second.
func rate(for duration: Double, _ body: () async throws -> Int) async rethrows -> Double {
  var done = 0
  let start = ContinuousClock.now
  let end = start + .milliseconds(Int(duration * 1000))
  while ContinuousClock.now < end { done += try await body() }
  let elapsed = ContinuousClock.now - start
  return Double(done) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  guard !sorted.isEmpty else { return 0 }
  return sorted.count.isMultiple(of: 2) ? (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2 : sorted[sorted.count / 2]
}

/// Prints one figure as `NAME VALUE UNIT`.
func report(_ name: String, _ value: Double, _ unit: String) {
  let text = value >= 100 ? String(Int(value.rounded())) : String(format: "%.2f", value)
  FileHandle.standardOutput.write(Data("\(name) \(text) \(unit)\n".utf8))
}

/// Peak resident memory of this process in MB (VmHWM).
func peakResidentMegabytes() -> Double {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
    let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
  else { return -1 }
  return kilobytes / 1024
}

/// Resets the peak-RSS mark (Linux: writing 5 to clear_refs), so a phase is measured alone.
func resetPeakResident() {
  try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

/// A fresh folder on the real disk (durable figures must not come from tmpfs).
func benchFolder(_ base: String?) throws -> URL {
  let root = base.map { URL(filePath: $0) } ?? FileManager.default.temporaryDirectory
  let folder = root.appending(path: "kip-bench-\(getpid())-\(UUID().uuidString.prefix(8))")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// Prints a comment line (`# …`) in order with the figures.
func note(_ text: String) {
  FileHandle.standardOutput.write(Data("# \(text)\n".utf8))
}
