import * as z from "zod";
import { lazy } from "../lib/lazy";
import { PROVIDER_NAMES } from "../providers/registry";

const ComponentStatus = lazy(() => z.enum(["ok", "degraded", "down", "memory", "off"]));

const Notice = lazy(() =>
  z.string().optional().meta({
    description:
      "Set while the demo provider of npm run dev answers: replies are canned, and what to set instead",
  }),
);

const PriceTableSchema = lazy(() =>
  z
    .object({
      source: z.string(),
      version: z.string(),
      updated: z.string().meta({ description: "Newest price in the table" }),
      overrides: z.number().int().nonnegative().meta({ description: "Entries of MODEL_PRICES" }),
    })
    .meta({ description: "The price table of usage costs" }),
);

export const HealthSchema = lazy(() =>
  z
    .object({
      status: z.enum(["ok", "degraded", "down"]),
      timestamp: z.string().meta({ examples: ["2026-11-26T10:00:00.000Z"] }),
      version: z.string(),
      components: z.object({
        cache: z.object({
          status: ComponentStatus(),
          detail: z.string().optional(),
          droppedWrites: z
            .number()
            .int()
            .nonnegative()
            .meta({ description: "Writes this instance gave up on after retrying (answers not stored)" }),
        }),
        providers: z.object({
          status: ComponentStatus(),
          configured: z.number().int().nonnegative(),
          reachable: z.number().int().nonnegative().meta({ description: "Answered their model list lately" }),
          each: z
            .array(
              z.object({
                name: z.enum(PROVIDER_NAMES),
                status: z.enum(["reachable", "unreachable"]),
                detail: z.string().optional(),
              }),
            )
            .meta({ description: "Each configured provider, probed through its model list (cached 30 s)" }),
        }),
        analyzer: z.object({ status: ComponentStatus(), primary: z.enum(["neo", "local"]) }),
        rooms: z.object({
          status: ComponentStatus(),
          detail: z
            .string()
            .optional()
            .meta({ description: "Why the part is off, when its settings are unusable" }),
        }),
        auth: z.object({ status: z.enum(["ok", "off", "down"]) }),
        vectors: z.object({ status: ComponentStatus(), detail: z.string().optional() }).meta({
          description: "Conversation memory and the semantic cache: the vector store and the embedder",
        }),
      }),
      switchedOff: z
        .array(z.object({ part: z.string(), reason: z.string() }))
        .meta({ description: "Optional parts whose settings are unusable: off, and why (never a value)" }),
      notice: Notice(),
      prices: PriceTableSchema(),
    })
    .meta({ id: "Health" }),
);

const PublicComponent = lazy(() => z.object({ status: ComponentStatus() }));

/** `/health` as anyone sees it: each part's state only (and the demo notice). The details go to an admin key. */
export const PublicHealthSchema = lazy(() =>
  z
    .object({
      status: z.enum(["ok", "degraded", "down"]),
      timestamp: z.string().meta({ examples: ["2026-11-26T10:00:00.000Z"] }),
      version: z.string(),
      notice: Notice(),
      components: z.object({
        cache: PublicComponent(),
        providers: PublicComponent(),
        analyzer: PublicComponent(),
        rooms: PublicComponent(),
        auth: z.object({ status: z.enum(["ok", "off", "down"]) }),
        vectors: PublicComponent(),
      }),
      prices: PriceTableSchema().omit({ overrides: true }),
    })
    .meta({ id: "PublicHealth" }),
);

export const ModelListSchema = lazy(() =>
  z
    .object({
      data: z.array(z.object({ id: z.string(), provider: z.enum(PROVIDER_NAMES) })),
      errors: z.array(z.object({ provider: z.enum(PROVIDER_NAMES), error: z.string() })),
    })
    .meta({ id: "ModelList" }),
);

export type Health = z.infer<ReturnType<typeof HealthSchema>>;
export type PublicHealth = z.infer<ReturnType<typeof PublicHealthSchema>>;
export type ModelList = z.infer<ReturnType<typeof ModelListSchema>>;
