// The default management address, shared by srpd (management.listen) and srpctl (--api).
export const DEFAULT_MANAGEMENT_PORT = 7800;
export const DEFAULT_MANAGEMENT_HOST = '127.0.0.1';
export const DEFAULT_MANAGEMENT_LISTEN = `${DEFAULT_MANAGEMENT_HOST}:${DEFAULT_MANAGEMENT_PORT}`;
export const DEFAULT_API_URL = `http://${DEFAULT_MANAGEMENT_LISTEN}`;
