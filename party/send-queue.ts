import type * as Party from "partykit/server";

/** Connections a broadcast queues frames for before it lets the room write them out. */
const SEND_BATCH = 100;

/**
 * The room's sends, one piece of work at a time. A broadcast lets the room write out each batch of
 * {@link SEND_BATCH} frames before it queues the next (so the first watchers get the frame while it
 * is still being queued for the last), and while it does, a new publish or a joining client waits
 * its turn: every connection gets the frames in the order they were published, and a client that
 * joins mid-broadcast gets the message once, through replay, after the broadcast has stored it.
 */
export class SendQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Connections whose replay is waiting its turn; broadcasts before it leave them out. */
  private readonly joining = new Set<string>();

  /** Runs `work` after every piece of work queued before it has settled. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Queues a joining client's welcome (status and replay); broadcasts queued before it leave it out. */
  join(connection: Party.Connection, welcome: () => Promise<void>): Promise<void> {
    this.joining.add(connection.id);
    return this.run(async () => {
      this.joining.delete(connection.id);
      await welcome();
    });
  }

  /** Sends one serialized frame to every open connection (with `tag`, if given); returns how many it went to. */
  async broadcast(room: Party.Room, frame: string, tag: string | undefined): Promise<number> {
    let sent = 0;
    for (const connection of room.getConnections(tag)) {
      if (this.joining.size > 0 && this.joining.has(connection.id)) continue;
      connection.send(frame);
      sent++;
      if (sent % SEND_BATCH === 0) await writeOut();
    }
    return sent;
  }
}

/** Lets the runtime write the frames queued so far to their sockets before more are queued. */
const writeOut = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
