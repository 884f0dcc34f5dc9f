/** Largest worker→room POST body accepted. */
export const MAX_PUBLISH_BYTES = 64 * 1024;
/** Largest client→room WebSocket message accepted. */
export const MAX_CLIENT_MESSAGE_BYTES = 1024;
/** How many metrics messages a room keeps to replay to clients that join later. */
export const REPLAY_LENGTH = 20;
