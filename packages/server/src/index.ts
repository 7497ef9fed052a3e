export { startServer, DEFAULT_DATA_DIR, DEFAULT_PORT, type RunningServer, type ServerOptions } from "./server.ts";
export type * from "./api/types.ts";
