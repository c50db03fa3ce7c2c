import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { PipelineError } from './errors';
import { checkReadiness, Probe } from './readiness';

export interface OperationsServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly registry: Registry;
  readonly probes: readonly Probe[];
  /** Liveness: false once the process can no longer do its work (it is about to exit). */
  readonly alive: () => boolean;
}

/**
 * `/health/live`, `/health/ready` (every dependency answers), `/health` (both, with details),
 * `/metrics` (Prometheus text format) and `/metrics.json` (the same for programs, e.g. the
 * dashboard). node:http is enough for four read-only routes.
 */
export async function startOperationsServer(
  options: OperationsServerOptions,
): Promise<{ readonly server: Server; readonly url: string }> {
  const server = createServer((req, res) => {
    route(req, options)
      .then(({ status, type, body }) => reply(res, status, type, body))
      .catch((error: unknown) => reply(res, 500, 'text/plain', (error as Error).message));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PipelineError(
              'PORT_IN_USE',
              `${options.host}:${options.port} is taken (another instance on this machine?): give each one its own --http-port, or 0 for any free port`,
              false,
              { cause: error },
            )
          : error,
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
  };
}

async function route(
  req: IncomingMessage,
  options: OperationsServerOptions,
): Promise<{ status: number; type: string; body: string }> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'GET') return { status: 405, type: 'text/plain', body: 'only GET' };
  if (path === '/metrics')
    return {
      status: 200,
      type: options.registry.contentType,
      body: await options.registry.metrics(),
    };
  if (path === '/metrics.json') return json(200, await options.registry.getMetricsAsJSON());
  if (path === '/health/live') return json(options.alive() ? 200 : 503, { alive: options.alive() });
  if (path === '/health/ready' || path === '/health') {
    const readiness = await checkReadiness(options.probes);
    const alive = options.alive();
    return json(alive && readiness.ready ? 200 : 503, { alive, ...readiness });
  }
  return {
    status: 404,
    type: 'text/plain',
    body: 'routes: /health, /health/live, /health/ready, /metrics, /metrics.json',
  };
}

const json = (status: number, body: unknown) => ({
  status,
  type: 'application/json',
  body: JSON.stringify(body),
});

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
