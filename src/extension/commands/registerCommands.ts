import type { CommandDeps } from './commandDeps';
import { registerEndpointCommands } from './endpointCommands';
import { registerFormCommands } from './formCommands';
import { registerObserveCommands } from './observeCommands';
import { registerRevisionCommands } from './revisionCommands';
import { registerRolloutCommands } from './rolloutCommands';
import { registerTrafficCommands } from './trafficCommands';
import { registerSpecCommands } from './specCommands';
import { registerViewCommands } from './viewCommands';

/** Every command of package.json, registered once (scripts/check-package.mjs checks none is missing). */
export function registerCommands(deps: CommandDeps): void {
  registerRevisionCommands(deps);
  registerEndpointCommands(deps);
  registerViewCommands(deps);
  registerSpecCommands(deps);
  registerFormCommands(deps);
  registerObserveCommands(deps);
  registerTrafficCommands(deps);
  registerRolloutCommands(deps);
}
