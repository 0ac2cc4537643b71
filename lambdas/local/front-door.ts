import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostChecked, loopbackHosts } from './host-check';
import { originChecked, runnerOrigins } from './origin-check';
import type { ServeAddress } from './serve-address';

/** The runner's one HTTP server, listening, and the URL it is reached at; what it answers is set once started. */
export interface FrontDoor {
  server: Server;
  port: number;
  /** `http://<host>:<port>`: the API's, the web app's and the renditions' origin. */
  url: string;
  /** Serve requests with `listener` from now on. */
  open(listener: RequestListener): void;
}

/**
 * Listen at once, answering 503 "starting" until `open`: rendition URLs point at the runner itself and the bucket
 * lets the web app on its origin post uploads, so the port must be known before the resources and the handlers'
 * environment. Every request must be addressed to the runner (no DNS rebinding, host-check.ts) and, if it changes
 * anything, sent by no page elsewhere (origin-check.ts, with the deployment's `corsOrigins`).
 */
export async function openFrontDoor(port: number, address: ServeAddress, corsOrigins: string[]): Promise<FrontDoor> {
  const server = createServer();
  // Idle keep-alive sockets are the client's to close, as API Gateway leaves them: undici drops one after 4 s, and
  // Node's 5 s default let a busy machine's late timers close one under a request reusing it ("other side closed").
  server.keepAliveTimeout = 65_000;
  let listener: RequestListener = (_request, response) => {
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: 'the local pipeline is starting' }));
  };
  let hosts = new Set<string>();
  let origins = new Set<string>();
  server.on(
    'request',
    hostChecked(
      () => hosts,
      originChecked(
        () => origins,
        (request, response) => listener(request, response),
      ),
    ),
  );
  const listening = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address.listen, () => resolve((server.address() as AddressInfo).port));
  });
  hosts = new Set([...loopbackHosts(listening), `${address.urlHost}:${listening}`]);
  origins = runnerOrigins(hosts, corsOrigins);
  return {
    server,
    port: listening,
    url: `http://${address.urlHost}:${listening}`,
    open: (serve) => {
      listener = serve;
    },
  };
}
