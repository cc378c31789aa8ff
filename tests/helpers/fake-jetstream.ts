import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

/** One client connection as the fake Jetstream saw it. */
export interface JetstreamConnection {
  /** The `cursor` query parameter the client asked for (µs), or null for live tail. */
  cursor: string | null;
  /** Every `wantedCollections` value the client asked for. */
  wantedCollections: string[];
  socket: WebSocket;
  /** Close code the client sent (or 1006 for a dropped socket), once closed. */
  closeCode: number | null;
}

/**
 * A local stand-in for a Jetstream instance (github.com/bluesky-social/jetstream): WebSocket
 * subscriptions on `/subscribe` with the documented query parameters, JSON text frames pushed by
 * the test. Listens on 127.0.0.1.
 */
export class FakeJetstream {
  readonly connections: JetstreamConnection[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(private readonly http: Server) {
    http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const cursor = url.searchParams.get('cursor');
      // Jetstream answers unknown paths with 404 and a non-integer cursor with 400.
      const status =
        url.pathname !== '/subscribe' ? 404 : cursor && !/^\d+$/.test(cursor) ? 400 : 0;
      if (status) {
        socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        const conn: JetstreamConnection = {
          cursor,
          wantedCollections: url.searchParams.getAll('wantedCollections'),
          socket: ws,
          closeCode: null
        };
        ws.on('close', (code) => {
          conn.closeCode = code;
        });
        ws.on('error', () => {});
        this.connections.push(conn);
      });
    });
  }

  /** Starts listening on 127.0.0.1 (`port` 0 picks a free one). */
  static async start(port = 0): Promise<FakeJetstream> {
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('upgrade required');
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
    return new FakeJetstream(http);
  }

  /** The port it listens on. */
  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The subscribe endpoint, as a connector's `url` setting. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/subscribe`;
  }

  /** Connections still open. */
  get open(): JetstreamConnection[] {
    return this.connections.filter((c) => c.socket.readyState === WebSocket.OPEN);
  }

  /** Sends a frame (an object is sent as JSON text; a string as is) to every open client. */
  send(frame: unknown): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    for (const c of this.open) c.socket.send(text);
  }

  /** Sends a binary frame, as a zstd-compressed subscription would receive. */
  sendBinary(data: Buffer): void {
    for (const c of this.open) c.socket.send(data, { binary: true });
  }

  /** Drops every client without a closing handshake, like a network failure or a restart. */
  drop(): void {
    for (const c of this.open) c.socket.terminate();
  }

  /** Drops every client and stops listening. */
  async close(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

/** Fields of a test post. */
export interface PostFields {
  did: string;
  rkey: string;
  text: string;
  timeUs: number;
  createdAt?: string;
  langs?: string[];
  /** at-uri of the parent post, for a reply. */
  replyTo?: string;
  /** Adds a top-level `cursor` field, as some deployments do. */
  withCursor?: boolean;
}

/** A commit event creating an app.bsky.feed.post record, in Jetstream's layout. */
export function postFrame(p: PostFields): Record<string, unknown> {
  const record: Record<string, unknown> = {
    $type: 'app.bsky.feed.post',
    createdAt: p.createdAt ?? new Date(Math.floor(p.timeUs / 1000)).toISOString(),
    langs: p.langs ?? ['en'],
    text: p.text
  };
  if (p.replyTo) {
    const ref = {
      cid: 'bafyreigh7nwn2hplj5zaahkddu4fnpaclddhjvdtqlroaasfffu3jqoq6u',
      uri: p.replyTo
    };
    record.reply = { parent: ref, root: ref };
  }
  return {
    did: p.did,
    time_us: p.timeUs,
    ...(p.withCursor ? { cursor: p.timeUs } : {}),
    kind: 'commit',
    commit: {
      rev: '3l3qo2vuowo2b',
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey: p.rkey,
      record,
      cid: 'bafyreiclp443lavogvhj3d2ob2cxbfuscni2k5jk7bebjzg7khl3esabwq'
    }
  };
}

/** A commit event updating a post (the record is the new version). */
export function updateFrame(p: PostFields): Record<string, unknown> {
  const frame = postFrame(p);
  (frame.commit as Record<string, unknown>).operation = 'update';
  return frame;
}

/** A commit event deleting a post: no record, no cid. */
export function deleteFrame(did: string, rkey: string, timeUs: number): Record<string, unknown> {
  return {
    did,
    time_us: timeUs,
    kind: 'commit',
    commit: { rev: '3l3qo2vuowo2c', operation: 'delete', collection: 'app.bsky.feed.post', rkey }
  };
}

/** An identity event announcing a did's handle. */
export function identityFrame(
  did: string,
  handle: string,
  timeUs: number
): Record<string, unknown> {
  return {
    did,
    time_us: timeUs,
    kind: 'identity',
    identity: { did, handle, seq: 1409752997, time: new Date(timeUs / 1000).toISOString() }
  };
}

/** An account event (activation status). */
export function accountFrame(did: string, timeUs: number, active = true): Record<string, unknown> {
  return {
    did,
    time_us: timeUs,
    kind: 'account',
    account: { active, did, seq: 1409753013, time: new Date(timeUs / 1000).toISOString() }
  };
}
