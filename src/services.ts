import { type Analyzer, createAnalyzer } from "./analysis";
import { type ChatStore, createChatStore, createWriteRetry, type WriteRetry } from "./cache";
import { type Config, type Env, loadConfig, secretsOf } from "./config";
import { createLogger, type Logger } from "./lib/log";
import { type Provider, providersFor } from "./providers";
import { createRoomPublisher, type RoomPublisher } from "./rooms/publisher";

/** Everything a route needs, built once per isolate from the environment. Knows nothing of Hono. */
export interface Services {
  config: Config;
  log: Logger;
  providers: Provider[];
  store: ChatStore;
  /** Retries the cache writes made after an answer; counts those dropped. */
  writes: WriteRetry;
  analyzer: Analyzer;
  rooms: RoomPublisher | undefined;
}

const built = new WeakMap<Config, Services>();

/** Returns the isolate's services for `env`, building them on first use. */
export function servicesFor(env: Env): Services {
  const config = loadConfig(env);
  let services = built.get(config);
  if (!services) {
    const log = createLogger({ secrets: secretsOf(config), minimum: config.logLevel });
    const logSink = (event: Record<string, unknown>) => log({ msg: "event", ...event });
    services = {
      config,
      log,
      providers: providersFor(config),
      store: createChatStore({ ...config.cache, log: logSink }),
      writes: createWriteRetry({ budgetMs: config.cache.writeRetryMs, log }),
      analyzer: createAnalyzer({ neo: config.neo, log: logSink }),
      rooms:
        config.rooms &&
        createRoomPublisher({
          host: config.rooms.host,
          secret: config.rooms.secret,
          log: (entry) => log({ msg: "rooms", room: entry.room, detail: entry.message }, entry.level),
        }),
    };
    built.set(config, services);
  }
  return services;
}
