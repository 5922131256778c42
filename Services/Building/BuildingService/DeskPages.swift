import ServiceKit

enum DeskPages {
  static func all(app: ServiceApplication, desk: Desk, reads: DeskReads) -> [Route] { [] }
}
