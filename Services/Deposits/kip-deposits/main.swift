import DepositsService
import ServiceKit

await ServiceMain.run(serviceName: DepositsService.name, defaultPort: DepositsService.defaultPort) { configuration, logger in
  try await DepositsService.buildApplication(configuration: configuration, logger: logger)
}
