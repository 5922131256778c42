import JapaneseCalendar
public import SharedKernel

/// A date field of a request body as a person typed it: ISO (`2023-03-31`) or 和暦
/// (`令和5年3月31日`, `R5.3.31`, `H31/4/30`). An impossible date or one outside its era is a 422
/// naming the field, with the reason in words.
public struct DateInput: Decodable, Sendable, Hashable {
  public let date: LocalDate

  public init(_ date: LocalDate) { self.date = date }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
      date = try LocalDate(typed: text)
    } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }
}
