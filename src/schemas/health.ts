import * as z from "zod";
import { PROVIDER_NAMES } from "../config";

const ComponentStatus = z.enum(["ok", "degraded", "down", "memory", "off"]);

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded", "down"]),
    timestamp: z.string().meta({ examples: ["2026-11-26T10:00:00.000Z"] }),
    version: z.string(),
    components: z.object({
      cache: z.object({ status: ComponentStatus, detail: z.string().optional() }),
      providers: z.object({ status: ComponentStatus, configured: z.number().int().nonnegative() }),
      analyzer: z.object({ status: ComponentStatus, primary: z.enum(["neo", "local"]) }),
      rooms: z.object({ status: ComponentStatus }),
      auth: z.object({ status: z.enum(["ok", "off", "down"]) }),
      vectors: z.object({ status: ComponentStatus, detail: z.string().optional() }).meta({
        description: "Conversation memory and the semantic cache: the vector store and the embedder",
      }),
    }),
  })
  .meta({ id: "Health" });

export const ModelListSchema = z
  .object({
    data: z.array(z.object({ id: z.string(), provider: z.enum(PROVIDER_NAMES) })),
    errors: z.array(z.object({ provider: z.enum(PROVIDER_NAMES), error: z.string() })),
  })
  .meta({ id: "ModelList" });

export type Health = z.infer<typeof HealthSchema>;
export type ModelList = z.infer<typeof ModelListSchema>;
