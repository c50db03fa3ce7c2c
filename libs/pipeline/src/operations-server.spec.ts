import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { startOperationsServer } from './operations-server';

const options = (port: number) => ({
  host: '127.0.0.1',
  port,
  registry: new Registry(),
  probes: [],
  alive: () => true,
});

it('refuses a taken port with PORT_IN_USE and what to do, not a bare EADDRINUSE', async () => {
  const first = await startOperationsServer(options(0));
  try {
    const { port } = first.server.address() as AddressInfo;
    await expect(startOperationsServer(options(port))).rejects.toMatchObject({
      code: 'PORT_IN_USE',
      message: expect.stringContaining('--http-port'),
    });
  } finally {
    await new Promise((resolve) => first.server.close(resolve));
  }
});
