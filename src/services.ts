import { type Analyzer, createAnalyzer } from "./analysis";
import { type ChatStore, createChatStore } from "./cache";
import { type Config, type Env, loadConfig, secretsOf } from "./config";
import { createLogger, type Logger } from "./lib/log";
import { createProviders, type Provider, type ProviderName } from "./providers";
import { createRoomPublisher, type RoomPublisher } from "./rooms/publisher";

/** Everything a route needs, built once per isolate from the environment. Knows nothing of Hono. */
export interface Services {
  config: Config;
  log: Logger;
  providers: Provider<ProviderName>[];
  store: ChatStore;
  analyzer: Analyzer;
  rooms: RoomPublisher | undefined;
}

const built = new WeakMap<Env, Services>();

/** Returns the isolate's services for `env`, building them on first use. */
export function servicesFor(env: Env): Services {
  let services = built.get(env);
  if (!services) {
    const config = loadConfig(env);
    const log = createLogger({ secrets: secretsOf(config), minimum: config.logLevel });
    const logSink = (event: Record<string, unknown>) => log({ msg: "event", ...event });
    services = {
      config,
      log,
      providers: createProviders(config),
      store: createChatStore({ ...config.cache, log: logSink }),
      analyzer: createAnalyzer({ neo: config.neo, log: logSink }),
      rooms:
        config.rooms &&
        createRoomPublisher({
          host: config.rooms.host,
          secret: config.rooms.secret,
          log: (entry) => log({ msg: "rooms", room: entry.room, detail: entry.message }, entry.level),
        }),
    };
    built.set(env, services);
  }
  return services;
}
