import { readFile } from 'node:fs/promises';
import { createServer, IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';

/** Files the page needs, all local (no CDN): the page itself and uPlot from node_modules. */
const STATIC: Record<string, { file: () => string; type: string }> = {
  '/': { file: () => join(__dirname, 'public', 'index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': {
    file: () => join(__dirname, 'public', 'app.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/app.css': { file: () => join(__dirname, 'public', 'app.css'), type: 'text/css; charset=utf-8' },
  '/vendor/uPlot.iife.min.js': {
    file: () => join(uplotDist(), 'uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/vendor/uPlot.min.css': {
    file: () => join(uplotDist(), 'uPlot.min.css'),
    type: 'text/css; charset=utf-8',
  },
};

function uplotDist(): string {
  return dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
}

export interface DashboardServerOptions {
  host: string;
  port: number;
  intervalMs: number;
  snapshot: () => Promise<unknown>;
}

/**
 * `/` the page, `/api/snapshot` the current numbers as JSON, `/api/stream` the same as
 * server-sent events every `intervalMs` (one shared reading for every open page).
 */
export async function startDashboardServer(
  options: DashboardServerOptions,
): Promise<{ server: Server; url: string }> {
  const stream = snapshotStream(options);
  const timer = setInterval(() => void stream.tick(), options.intervalMs);
  const server = createServer(routes(options, stream));
  server.on('close', () => clearInterval(timer));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return { server, url: `http://${options.host}:${(server.address() as AddressInfo).port}` };
}

/** `/api/stream`: one shared reading, sent to every open page. */
interface SnapshotStream {
  /** Reads once and sends the reading to every subscribed page. */
  readonly tick: () => Promise<void>;
  /** Subscribes a page until it closes; it gets the last reading at once, if any. */
  readonly subscribe: (req: IncomingMessage, res: ServerResponse) => void;
}

function snapshotStream(options: DashboardServerOptions): SnapshotStream {
  const clients = new Set<ServerResponse>();
  let latest: unknown = null;
  const tick = async () => {
    if (clients.size === 0) return; // nobody watching: no queries (/api/snapshot reads on demand)
    latest = await options
      .snapshot()
      .catch((error: unknown) => ({ error: (error as Error).message }));
    for (const client of clients) client.write(`data: ${JSON.stringify(latest)}\n\n`);
  };
  const subscribe = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    if (latest) res.write(`data: ${JSON.stringify(latest)}\n\n`);
    clients.add(res);
    if (!latest) void tick();
    req.on('close', () => clients.delete(res));
  };
  return { tick, subscribe };
}

/** The page and its assets, /health, /api/snapshot and /api/stream. */
function routes(options: DashboardServerOptions, stream: SnapshotStream): RequestListener {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/api/stream') return stream.subscribe(req, res);
    // Liveness for container health checks and Kubernetes probes: the page's data has its own
    // errors.
    if (path === '/health') return send(res, 200, 'application/json', '{"alive":true}');
    if (path === '/api/snapshot') {
      void options.snapshot().then(
        (s) => send(res, 200, 'application/json', JSON.stringify(s)),
        (e: unknown) => send(res, 503, 'text/plain', (e as Error).message),
      );
      return;
    }
    const asset = STATIC[path];
    if (!asset) return send(res, 404, 'text/plain', 'not found');
    void readFile(asset.file()).then(
      (body) => send(res, 200, asset.type, body),
      () => send(res, 500, 'text/plain', `missing ${path}`),
    );
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
