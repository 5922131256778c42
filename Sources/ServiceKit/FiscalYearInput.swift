public import Hummingbird
import JapaneseCalendar
public import SharedKernel

extension FiscalYear {
  /// A fiscal year as people type it: `2022`, `FY2022` or `令和4年度`; a refusal names `field`.
  public init(input text: String, field: String) throws(Problem) {
    if let year = Int(text) {
      do { self = try FiscalYear(year) } catch { throw Problem(.validationFailed, "\(field): \(error)", field: field) }
      return
    }
    do { self = try FiscalYear(typed: text) } catch { throw Problem(.validationFailed, "\(field): \(error)（例: 2022、FY2022、令和4年度）", field: field) }
  }
}

extension Request {
  /// The query's fiscal year (`fy` = 2022, FY2022 or 令和4年度); the one containing `today` when absent.
  public func fiscalYear(_ name: String = "fy", today: LocalDate) throws(Problem) -> FiscalYear {
    guard let text = try queryText(name, maxLength: 16) else { return FiscalYear(containing: today) }
    return try FiscalYear(input: text, field: name)
  }
}
