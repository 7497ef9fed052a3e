export { withAttributes, withSession, withUser, type ThreadlineAttributes } from "./context.ts";
export { ThreadlineSpanProcessor } from "./processor.ts";
export { DEFAULT_ENDPOINT, register, type RegisterOptions, type Threadline } from "./register.ts";
