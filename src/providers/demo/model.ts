/** What the demo upstream calls its one model, so every reply it gave says where it came from. */
export const DEMO_MODEL = "canned-replies";
