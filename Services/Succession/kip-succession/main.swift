import SuccessionService
import ServiceKit

await ServiceMain.run(serviceName: SuccessionService.name, defaultPort: SuccessionService.defaultPort) { configuration, logger in
  try await SuccessionService.buildApplication(configuration: configuration, logger: logger)
}
