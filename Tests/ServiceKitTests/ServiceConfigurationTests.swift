import BuildingService
import DepositsService
import EventLog
import ServiceKit
import SuccessionService
import Testing

@Suite("ServiceKit: configuration defaults")
struct ServiceConfigurationTests {
  /// Each service as its executable starts it (`ServiceMain.run(serviceName:defaultPort:)`).
  static let services = [
    (BuildingService.name, BuildingService.defaultPort),
    (SuccessionService.name, SuccessionService.defaultPort),
    (DepositsService.name, DepositsService.defaultPort),
  ]

  @Test("an empty environment gives 127.0.0.1, ports 8081, 8082 and 8083, and the log in ./var",
    arguments: [("kip-building", 8081), ("kip-succession", 8082), ("kip-deposits", 8083)])
  func defaults(name: String, port: Int) throws {
    let service = try #require(Self.services.first { $0.0 == name })
    let configuration = try ServiceConfiguration.fromEnvironment(serviceName: service.0, defaultPort: service.1, environment: [:])
    #expect(configuration.serviceName == name)
    #expect(configuration.host == "127.0.0.1")
    #expect(configuration.port == port)
    #expect(configuration.dataDirectory == "./var")
    #expect(configuration.eventLog == .sqlite(path: "./var/events.sqlite"))
    #expect(configuration.links == ServiceLinks(building: "http://127.0.0.1:8081", succession: "http://127.0.0.1:8082", deposits: "http://127.0.0.1:8083"))
    #expect(!configuration.secureCookies)
  }

  @Test("variables set to the empty string count as unset", arguments: services)
  func emptyIsUnset(name: String, defaultPort: Int) throws {
    let empty = ["KIP_EVENT_LOG": "", "KIP_DATA_DIR": "", "KIP_HOST": "", "KIP_PORT": ""]
    let configuration = try ServiceConfiguration.fromEnvironment(serviceName: name, defaultPort: defaultPort, environment: empty)
    #expect(configuration == (try ServiceConfiguration.fromEnvironment(serviceName: name, defaultPort: defaultPort, environment: [:])))
  }

  @Test("KIP_DATA_DIR moves the default log with it; flags override the variables")
  func overrides() throws {
    let configuration = try ServiceConfiguration.fromEnvironment(
      serviceName: BuildingService.name, defaultPort: BuildingService.defaultPort,
      environment: ["KIP_DATA_DIR": "/srv/kip", "KIP_PORT": "9000"], arguments: ["--port=0", "--host", "0.0.0.0"])
    #expect(configuration.eventLog == .sqlite(path: "/srv/kip/events.sqlite"))
    #expect(configuration.dataDirectory == "/srv/kip")
    #expect(configuration.port == 0)
    #expect(configuration.host == "0.0.0.0")
  }
}
