import Foundation

/// Progress of long work on stderr: a redrawn bar on a terminal, otherwise a plain line per tenth
/// (`verify: 5000/50000 events (10%)`), only for work long enough to need it: 50,000 events or
/// more, or 16 MiB for work counted in bytes (import reads its file).
///
/// `KIPCTL_PROGRESS_MIN` lowers (or raises) that threshold, in the work's own unit, so tests and
/// scripts can see the plain lines on small work; it is read once.
struct Progress {
  /// What the work is counted in.
  enum Unit: String {
    case events, bytes

    /// The least work that prints plain lines.
    var plainLinesFrom: Int64 {
      if let override = Progress.plainLinesOverride { return override }
      return switch self {
      case .events: 50_000
      case .bytes: 16 << 20
      }
    }
  }

  static let plainLinesOverride: Int64? = ProcessInfo.processInfo.environment["KIPCTL_PROGRESS_MIN"].flatMap { Int64($0) }

  let label: String
  let total: Int64
  let unit: Unit
  let onTerminal = isatty(STDERR_FILENO) != 0
  let started = Date()
  var done: Int64 = 0
  var lastDrawn = Date.distantPast
  var lastTenth: Int64 = 0

  init(_ label: String, total: Int64, unit: Unit = .events) {
    self.label = label
    self.total = Swift.max(total, 0)
    self.unit = unit
  }

  mutating func advance(by count: Int) {
    advance(to: done + Int64(count))
  }

  /// Records that `amount` of the work is done in all.
  mutating func advance(to amount: Int64) {
    done = Swift.min(amount, total)
    if onTerminal {
      guard Date().timeIntervalSince(lastDrawn) >= 0.1 else { return }
      lastDrawn = Date()
      draw(final: false)
    } else if total > 0 && total >= unit.plainLinesFrom {
      let tenth = done * 10 / total
      if tenth > lastTenth {
        lastTenth = tenth
        printErr("\(label): \(done)/\(total) \(unit.rawValue) (\(tenth * 10)%)")
      }
    }
  }

  func finish() {
    if onTerminal { draw(final: true) }
  }

  private func draw(final: Bool) {
    let elapsed = Swift.max(Date().timeIntervalSince(started), 0.001)
    let rate = Double(done) / elapsed
    let fraction = total > 0 ? Swift.min(Double(done) / Double(total), 1) : 1
    let filled = Int(fraction * 30)
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
    let remaining = rate > 0 && total > done ? Int(Double(total - done) / rate) : 0
    let line = "\r\(label) [\(bar)] \(Int(fraction * 100))% \(done)/\(total) \(unit.rawValue) \(Int(rate))/s ETA \(remaining)s"
    FileHandle.standardError.write(Data((line + (final ? "\n" : "")).utf8))
  }
}
