import { createApp } from "./app";

export default createApp();
export type { AppType } from "./app";
