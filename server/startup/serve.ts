// Listening and stopping. A server that cannot listen says why and stops, instead of
// announcing an address it does not serve; a stop lets the requests in flight finish.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StartupError } from './errors';

/** Resolves once the server listens; a port taken, a foreign HOST or a privileged port is a StartupError. */
export function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(new StartupError(listenFailure(err, port, host)));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export function listenFailure(err: NodeJS.ErrnoException, port: number, host: string): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `poort ${port} op ${host} is al in gebruik (draait Spiegel al?). Stop dat programma of kies een andere PORT.`;
    case 'EACCES':
    case 'EPERM':
      return port > 0 && port < 1024
        ? `poort ${port} ligt onder 1024 en vraagt beheerrechten. Kies PORT=3000 (of een andere vanaf 1024) en zet zo nodig een reverse proxy ervoor.`
        : `geen toestemming om te luisteren op ${host}:${port} (${err.code}). Kies een andere HOST of PORT.`;
    case 'EADDRNOTAVAIL':
      return `HOST=${host} is geen adres van deze machine. Gebruik 127.0.0.1 (alleen deze machine), 0.0.0.0 (alle netwerken) of een adres van deze machine.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `HOST=${host} is geen bekende naam of adres. Gebruik 127.0.0.1, 0.0.0.0 of een adres van deze machine.`;
    default:
      return `kan niet luisteren op ${host}:${port}: ${err.message}`;
  }
}

export interface DrainOptions {
  /** How long requests in flight may take to finish before their connections are closed. */
  boundMs: number;
  /** Runs once no connection is left (or the bound passed): closes the database pool. */
  release: () => Promise<void>;
  /** How long `release` may take. */
  releaseBoundMs: number;
  say: (line: string) => void;
  exit: (code: number) => void;
}

/**
 * A graceful stop: stop accepting connections, let the requests in flight finish (their
 * answers carry `Connection: close`, so no client sends another on that connection), close
 * keep-alive connections as soon as they are idle, then release the pool and exit 0.
 * Requests still running after `boundMs` are cut, so that a stop never hangs.
 * Returns the function to call on SIGTERM/SIGINT.
 */
export function drainOnStop(server: http.Server, options: DrainOptions): () => void {
  const inFlight = new Set<http.ServerResponse>();
  let stopping = false;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (stopping && !res.headersSent) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (stopping) server.closeIdleConnections();
    });
  });

  return () => {
    if (stopping) {
      // A second signal (Ctrl-C twice): no more waiting.
      server.closeAllConnections();
      return;
    }
    stopping = true;
    options.say(`Spiegel stopt: neemt geen nieuwe verbindingen aan${inFlight.size > 0 ? ` en maakt ${inFlight.size} lopende verzoek(en) af` : ''}.`);
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const cut = setTimeout(() => {
      if (inFlight.size > 0) options.say(`Spiegel stopt: ${inFlight.size} verzoek(en) na ${options.boundMs / 1000} s afgebroken.`);
      server.closeAllConnections();
    }, options.boundMs);
    cut.unref();
    // close() stops listening and closes the idle keep-alive connections; its callback
    // comes once the last connection is gone.
    server.close(() => {
      clearTimeout(cut);
      const giveUp = setTimeout(() => options.exit(0), options.releaseBoundMs);
      giveUp.unref();
      options.release().catch(() => undefined).finally(() => {
        clearTimeout(giveUp);
        options.exit(0);
      });
    });
  };
}
