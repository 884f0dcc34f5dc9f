import { SequentialClient, type Target } from "./load.ts";

/** A streaming target and how to tell, from the bytes so far, that the first content token arrived. */
export interface StreamTarget {
  target: Target;
  hasFirstToken: (body: string) => boolean;
}

export const ourToken = (body: string) => body.includes("event: delta");

export interface StreamSample {
  headers: number;
  firstToken: number;
  end: number;
}

/** Streams `requests` rounds, one request per target in turn (the first five rounds warm up, unsampled). */
export async function measureStreams(
  targets: StreamTarget[],
  requests: number,
  stopAt: number,
): Promise<StreamSample[][]> {
  const samples: StreamSample[][] = targets.map(() => []);
  const clients = targets.map(({ target }) => new SequentialClient(target));
  try {
    for (let round = 0; round < requests + 5 && Date.now() < stopAt; round++) {
      for (const [index, client] of clients.entries()) {
        const sample = await streamOnce(client, (targets[index] as StreamTarget).hasFirstToken);
        if (round >= 5) samples[index]?.push(sample);
      }
    }
  } finally {
    for (const client of clients) client.close();
  }
  return samples;
}

async function streamOnce(
  client: SequentialClient,
  hasFirstToken: (body: string) => boolean,
): Promise<StreamSample> {
  let seen = "";
  let firstToken = Number.NaN;
  const { status, timings } = await client.exchange((chunk, atMs) => {
    if (!Number.isNaN(firstToken)) return;
    seen += chunk;
    if (hasFirstToken(seen)) firstToken = atMs;
  });
  if (status !== 200 || Number.isNaN(firstToken))
    throw new Error(`stream answered ${status} without a content token`);
  return { headers: timings.headers, firstToken, end: timings.end };
}
