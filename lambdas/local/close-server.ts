import type { Server } from 'node:http';

/** Stop a server now: its idle keep-alive connections would otherwise hold `close` open. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
