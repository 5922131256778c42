import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A duration in seconds, as a floating-point number for rates.
func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// CPU seconds (user and system, every thread) this process has used: on a shared machine the
/// CPU spent per event moves much less with other work than the wall-clock rate does.
var processCPUSeconds: Double {
  var usage = rusage()
  guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
  func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
  return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Notes the CPU time per event that `body` used (all threads).
func notingCPU<T>(_ name: String, events: Int, _ body: () async throws -> T) async rethrows -> T {
  let before = processCPUSeconds
  let result = try await body()
  let spent = processCPUSeconds - before
  note("\(name): \(String(format: "%.2f", spent / Double(max(1, events)) * 1e6)) µs of CPU per event (all threads)")
  return result
}

/// Seconds taken by `body`.
func timed(_ body: () async throws -> Void) async rethrows -> Double {
  let start = ContinuousClock.now
  try await body()
  return seconds(ContinuousClock.now - start)
}

/// Runs `body` repeatedly for about `duration` seconds; answers units done per second.
///
/// `body` answers how many units (events) one call did.
func rate(for duration: Double, _ body: () async throws -> Int) async rethrows -> Double {
  var done = 0
  let start = ContinuousClock.now
  let end = start + .milliseconds(Int(duration * 1000))
  while ContinuousClock.now < end { done += try await body() }
  return Double(done) / seconds(ContinuousClock.now - start)
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  guard !sorted.isEmpty else { return 0 }
  let middle = sorted.count / 2
  return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
}

/// Prints one figure as `NAME VALUE UNIT`: whole numbers from 100 up, two decimals below.
func report(_ name: String, _ value: Double, _ unit: String) {
  let text = value >= 100 ? String(Int(value.rounded())) : String(format: "%.2f", value)
  FileHandle.standardOutput.write(Data("\(name) \(text) \(unit)\n".utf8))
}

/// Prints a comment line (`# …`) in order with the figures.
func note(_ text: String) {
  FileHandle.standardOutput.write(Data("# \(text)\n".utf8))
}

/// Memory figures of this process from `/proc/self/status`, in MB (nil where unreadable).
enum ResidentMemory {
  /// Peak resident set size since the process started or since ``resetPeak()`` (`VmHWM`).
  static var peakMegabytes: Double? { statusField("VmHWM:") }

  /// Current resident set size (`VmRSS`).
  static var currentMegabytes: Double? { statusField("VmRSS:") }

  /// Resets the peak to the current size (Linux: `5` written to `/proc/self/clear_refs`), so that
  /// one phase's peak can be read alone. Answers false where the kernel refuses.
  static func resetPeak() -> Bool {
    #if canImport(Glibc)
      let descriptor = open("/proc/self/clear_refs", O_WRONLY)
      guard descriptor >= 0 else { return false }
      defer { close(descriptor) }
      return write(descriptor, "5", 1) == 1
    #else
      return false
    #endif
  }

  private static func statusField(_ name: String) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
      let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kilobytes / 1024
  }
}

/// The load averages (1, 5 and 15 minutes) from `/proc/loadavg`: other work on the machine
/// (a build) lowers the CPU-bound figures, so the run notes it.
var loadAverages: String {
  guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
  return text.split(separator: " ").prefix(3).joined(separator: " ")
}

/// A fresh folder on the real disk (durable figures must not come from tmpfs).
func benchFolder(_ base: String?) throws -> URL {
  let root = base.map { URL(filePath: $0) } ?? FileManager.default.temporaryDirectory
  let folder = root.appending(path: "kip-bench-\(getpid())-\(UUID().uuidString.prefix(8))")
  do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
    throw BenchError("cannot create the benchmark folder \(folder.path): \(error.localizedDescription)")
  }
  return folder
}

/// Whether `path` is on a RAM file system (tmpfs, ramfs), where an fsync costs nothing: the
/// type of the longest mount point in `/proc/mounts` that contains it.
func isInMemoryFileSystem(_ path: String) -> Bool {
  guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return false }
  let resolved = URL(filePath: path).resolvingSymlinksInPath().path
  var best: (point: String, type: String)?
  for line in mounts.split(separator: "\n") {
    let fields = line.split(separator: " ")
    guard fields.count >= 3 else { continue }
    let point = String(fields[1]), type = String(fields[2])
    let contains = point == "/" || resolved == point || resolved.hasPrefix(point + "/")
    if contains, point.count >= (best?.point.count ?? 0) { best = (point, type) }
  }
  return ["tmpfs", "ramfs"].contains(best?.type ?? "")
}

/// A benchmark failure, printed as one line.
struct BenchError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
