// Public surface of the management plane for srpd and for modules that add routes/commands.
export { DEFAULT_API_URL, DEFAULT_MANAGEMENT_HOST, DEFAULT_MANAGEMENT_LISTEN, DEFAULT_MANAGEMENT_PORT } from './address.js';
export { bodyObject, DEFAULT_BODY_LIMIT_BYTES, onlyKeys, optionalBoolean } from './body.js';
export { ApiClient, ApiUnreachableError } from './client.js';
export { COMMANDS, commandName, type CommandArg, type CommandSpec, type CustomCommand, type HttpCommand } from './commands.js';
export { EVENTS_PATH } from './events.js';
export { HttpError, Reply, type HttpMethod, type Route, type RouteContext, type RouteHandler } from './router.js';
export { ManagementConfigError, startManagementServer, type ManagementServer, type ManagementServerOptions } from './server.js';
