// Every srpctl command, in the order `srpctl --help` lists them: the SRP core's, then each
// plane's, then the event stream and the support bundle (which runs every `show` above it).
import { HARDWARE_COMMANDS } from '../hardware/commands.js';
import { SECURITY_COMMANDS } from '../link/routes.js';
import { EVENTS_COMMAND, SRP_COMMANDS, SUPPORT_DETAILS_COMMAND, type CommandSpec } from '../management/commands.js';
import { MONITOR_COMMANDS } from '../monitors/commands.js';
import { REPLICATION_COMMANDS } from '../replication/commands.js';

export const SRPCTL_COMMANDS: readonly CommandSpec[] = [
  ...SRP_COMMANDS,
  ...REPLICATION_COMMANDS,
  ...MONITOR_COMMANDS,
  ...SECURITY_COMMANDS,
  ...HARDWARE_COMMANDS,
  EVENTS_COMMAND,
  SUPPORT_DETAILS_COMMAND,
];
