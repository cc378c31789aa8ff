import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** One request the fake instance received (SSE GET or WebSocket upgrade). */
export interface SeenRequest {
  transport: 'sse' | 'websocket';
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  accept: string | undefined;
  /** The answer: 200 for an opened SSE stream, 101 for a WebSocket, else the error status. */
  status: number;
}

/** Settings of the fake instance. */
export interface FakeMastodonOptions {
  /** The only access token accepted. */
  token: string;
  /** Answer every streaming request with a 301 to this base URL instead (same path and query). */
  redirectTo?: string;
}

/** A fake Mastodon streaming server on 127.0.0.1 (node:http for SSE, ws on the same port). */
export interface FakeMastodon {
  /** The instance base URL, `http://127.0.0.1:<port>`. */
  url: string;
  requests: SeenRequest[];
  /** Open event streams and sockets. */
  readonly clients: number;
  /** Sends `update` (or `status.update`) with a Status entity to every open stream. */
  update(status: object, event?: 'update' | 'status.update'): void;
  /** Sends `delete` with a status id to every open stream. */
  deleteStatus(id: string): void;
  /** Sends the heartbeat: a `:thump` comment line on SSE, a ping frame on WebSockets. */
  heartbeat(): void;
  /** Writes raw bytes to every event stream (for malformed input). */
  rawSse(text: string): void;
  /** Sends a raw text message to every WebSocket (for malformed input). */
  rawWs(text: string): void;
  /** Ends every open stream from the server side. */
  endStreams(): void;
  close(): Promise<void>;
}

const STREAMS: Record<string, string> = {
  '/api/v1/streaming/public': 'public',
  '/api/v1/streaming/public/local': 'public:local',
  '/api/v1/streaming/hashtag': 'hashtag'
};

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Starts a fake instance that checks the path, the query and the bearer token as Mastodon does. */
export async function startFakeMastodon(opts: FakeMastodonOptions): Promise<FakeMastodon> {
  const requests: SeenRequest[] = [];
  const sse = new Set<ServerResponse>();
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });

  const tokenOf = (req: IncomingMessage, query: URLSearchParams): string | null => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice(7);
    return query.get('access_token');
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const seen: SeenRequest = {
      transport: 'sse',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      accept: req.headers.accept,
      status: 0
    };
    requests.push(seen);
    const answer = (status: number, body: object): void => {
      seen.status = status;
      json(res, status, body);
    };
    if (req.method !== 'GET') return answer(405, { error: 'Method not allowed' });
    const stream = STREAMS[url.pathname];
    if (!stream) return answer(404, { error: 'Not found' });
    if (opts.redirectTo) {
      seen.status = 301;
      res.writeHead(301, { Location: `${opts.redirectTo}${url.pathname}${url.search}` });
      res.end();
      return;
    }
    if (tokenOf(req, url.searchParams) !== opts.token) {
      return answer(401, { error: 'Invalid access token' });
    }
    if (stream === 'hashtag' && !url.searchParams.get('tag')) {
      return answer(400, { error: 'Missing tag name parameter' });
    }
    seen.status = 200;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'private, no-store',
      'Transfer-Encoding': 'chunked'
    });
    // The streaming server greets a new event stream with a comment.
    res.write(':)\n');
    sse.add(res);
    res.on('close', () => sse.delete(res));
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const seen: SeenRequest = {
      transport: 'websocket',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      accept: req.headers.accept,
      status: 0
    };
    requests.push(seen);
    // A client that gives up mid-handshake resets the socket; that is not a server failure.
    socket.on('error', () => {});
    const refuse = (status: number, text: string, extra = ''): void => {
      seen.status = status;
      const body = JSON.stringify({ error: text });
      socket.end(
        `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\n${extra}` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
      );
    };
    if (url.pathname !== '/api/v1/streaming') return refuse(404, 'Not found');
    if (opts.redirectTo) {
      return refuse(301, 'Moved', `Location: ${opts.redirectTo}${url.pathname}${url.search}\r\n`);
    }
    if (tokenOf(req, url.searchParams) !== opts.token) return refuse(401, 'Invalid access token');
    const stream = url.searchParams.get('stream') ?? '';
    const tag = url.searchParams.get('tag');
    if (!['public', 'public:local', 'hashtag'].includes(stream)) {
      return refuse(400, 'Unknown stream type');
    }
    if (stream === 'hashtag' && !tag) return refuse(400, 'Missing tag name parameter');
    seen.status = 101;
    wss.handleUpgrade(req, socket, head, (ws) => {
      (ws as WebSocket & { streamName?: string[] }).streamName =
        stream === 'hashtag' ? ['hashtag', tag ?? ''] : [stream];
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const sendWs = (event: string, payload: string): void => {
    for (const ws of sockets) {
      const stream = (ws as WebSocket & { streamName?: string[] }).streamName ?? [];
      // The payload of an update is the Status JSON encoded as a string inside the frame.
      ws.send(JSON.stringify({ stream, event, payload }));
    }
  };
  const sendSse = (text: string): void => {
    for (const res of sse) res.write(text);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get clients() {
      return sse.size + sockets.size;
    },
    update(status, event = 'update') {
      const data = JSON.stringify(status);
      sendSse(`event: ${event}\ndata: ${data}\n\n`);
      sendWs(event, data);
    },
    deleteStatus(id) {
      sendSse(`event: delete\ndata: ${id}\n\n`);
      sendWs('delete', id);
    },
    heartbeat() {
      sendSse(':thump\n');
      for (const ws of sockets) ws.ping();
    },
    rawSse(text) {
      sendSse(text);
    },
    rawWs(text) {
      for (const ws of sockets) ws.send(text);
    },
    endStreams() {
      for (const res of sse) res.end();
      for (const ws of sockets) ws.close(1001, 'restarting');
    },
    async close() {
      for (const res of sse) res.destroy();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}

let seq = 110_000_000_000_000_000n;

/** A Status entity as the streaming API sends it; override any field. */
export function makeStatus(over: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  const id = typeof over.id === 'string' ? over.id : String(seq);
  return {
    id,
    created_at: '2024-05-01T12:00:00.000Z',
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    sensitive: false,
    spoiler_text: '',
    visibility: 'public',
    language: 'en',
    uri: `https://mastodon.example/users/alice/statuses/${id}`,
    url: `https://mastodon.example/@alice/${id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    edited_at: null,
    content:
      '<p>Loving my new <a href="https://mastodon.example/tags/northwind" class="mention hashtag" rel="tag">#<span>northwind</span></a> kettle</p>',
    reblog: null,
    application: null,
    account: {
      id: '1001',
      username: 'alice',
      acct: 'alice@mastodon.example',
      display_name: 'Alice',
      locked: false,
      bot: false,
      discoverable: true,
      group: false,
      created_at: '2022-11-01T00:00:00.000Z',
      note: '',
      url: 'https://mastodon.example/@alice',
      avatar: 'https://mastodon.example/avatars/alice.png',
      followers_count: 321,
      following_count: 12,
      statuses_count: 42
    },
    media_attachments: [],
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: null,
    ...over
  };
}
