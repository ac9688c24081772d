// A TCP proxy on 127.0.0.1 that can be told to go silent: it keeps every socket open but
// forwards nothing, in either direction, as a database host does during a failover, a crash
// or a network partition (the peer neither answers nor closes). New connections are
// accepted and held. resume() delivers what was held back, as TCP does once a partition
// heals, and forwards again.
import net from 'node:net';

export interface SilentProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string;
  goSilent(): void;
  resume(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
  /** Bytes held back while silent, per direction. */
  toUpstream: Buffer[];
  toClient: Buffer[];
}

export async function startSilentProxy(targetHost: string, targetPort: number): Promise<SilentProxy> {
  let silent = false;
  const pairs = new Set<Pair>();

  const connectUpstream = (pair: Pair) => {
    const upstream = net.connect(targetPort, targetHost);
    pair.upstream = upstream;
    upstream.on('data', (chunk: Buffer) => {
      if (silent) pair.toClient.push(chunk);
      else pair.client.write(chunk);
    });
    upstream.on('error', () => pair.client.destroy());
    upstream.on('close', () => { pair.client.destroy(); pairs.delete(pair); });
    flush(pair);
  };

  const flush = (pair: Pair) => {
    if (pair.upstream) for (const chunk of pair.toUpstream.splice(0)) pair.upstream.write(chunk);
    for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
  };

  const server = net.createServer((client) => {
    const pair: Pair = { client, upstream: null, toUpstream: [], toClient: [] };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (silent || !pair.upstream) pair.toUpstream.push(chunk);
      else pair.upstream.write(chunk);
    });
    client.on('error', () => pair.upstream?.destroy());
    client.on('close', () => { pair.upstream?.destroy(); pairs.delete(pair); });
    // A connection made while silent reaches the database only once the proxy resumes.
    if (!silent) connectUpstream(pair);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    through(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    goSilent() { silent = true; },
    resume() {
      silent = false;
      for (const pair of pairs) {
        if (pair.upstream) flush(pair);
        else connectUpstream(pair);
      }
    },
    async close() {
      for (const pair of pairs) { pair.client.destroy(); pair.upstream?.destroy(); }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
