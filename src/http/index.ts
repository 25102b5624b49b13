// `resil/http`: the HTTP side of resil's observability (health, metrics, dashboard, admin routes).
export { createHandler, HEALTH_CONTENT_TYPE } from './handler.js';
export type { HandlerOptions, ResilHandler } from './handler.js';
