import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * The embedded database belongs to one process (src/db/db-lock.ts), so while `serve` runs, a
 * command that must write (`byline user add`) cannot open it. The server therefore listens on a
 * Unix socket inside the data folder and runs such commands itself.
 *
 * No network door is opened: the socket is a file in a folder only this user may enter (0700),
 * and the file is 0600, so only someone who could already read and write the database files (the
 * same user, or root) can connect. Requests are one JSON line, parsed strictly by the handler;
 * answers are one JSON line. Nothing else is offered.
 */

const CONTROL_DIR = 'control';
const SOCKET_FILE = 'byline.sock';
/** A request is a few hundred bytes; anything longer is not from our command line. */
const MAX_REQUEST_BYTES = 4_096;
/** A client that connects and says nothing is cut after this. */
const IDLE_MS = 5_000;
/** Unix socket paths are limited to 108 bytes on Linux (104 on macOS), the final NUL included. */
const MAX_SOCKET_PATH = 103;

export function controlSocketPath(dataDir: string): string {
  return path.join(dataDir, CONTROL_DIR, SOCKET_FILE);
}

export type ControlHandler = (request: unknown) => Promise<unknown>;

export type ControlSocket = { close(): Promise<void> };

/**
 * Listens on the data folder's control socket. Called only by the process holding the folder's
 * lock, so a socket file found there is stale (a killed server's) and is replaced. Answers
 * undefined, with a warning, where a socket cannot be made (Windows, a too long path): the
 * commands then say to stop the server.
 */
export async function openControlSocket(
  dataDir: string,
  handler: ControlHandler,
  log: Logger,
): Promise<ControlSocket | undefined> {
  const file = controlSocketPath(dataDir);
  if (process.platform === 'win32' || Buffer.byteLength(file) > MAX_SOCKET_PATH) {
    log.warn({ file }, 'no control socket here: byline user commands need the server stopped');
    return undefined;
  }
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing folder's mode as it was: set it, so the socket is never reachable
  // by another user even for the moment between listen and chmod below.
  fs.chmodSync(dir, 0o700);
  fs.rmSync(file, { force: true });
  const server = net.createServer((socket) => serveConnection(socket, handler, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      server.off('error', reject);
      resolve();
    });
  });
  fs.chmodSync(file, 0o600);
  server.on('error', (error) => log.error({ err: error }, 'control socket error'));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(file, { force: true });
      }),
  };
}

function serveConnection(socket: net.Socket, handler: ControlHandler, log: Logger): void {
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  socket.on('error', (error) => log.warn({ err: error }, 'control connection error'));
  let received = '';
  const onData = (chunk: Buffer) => {
    received += chunk.toString('utf8');
    const end = received.indexOf('\n');
    if (end < 0 && received.length <= MAX_REQUEST_BYTES) return;
    socket.off('data', onData);
    if (end < 0) {
      reply(socket, { error: 'request too long' });
      return;
    }
    let request: unknown;
    try {
      request = JSON.parse(received.slice(0, end));
    } catch {
      // Not JSON: not our command line. It gets an answer, not a log line per byte of noise.
      reply(socket, { error: 'not a JSON request' });
      return;
    }
    handler(request).then(
      (answer) => reply(socket, answer),
      (error: unknown) => {
        log.error({ err: error }, 'control command failed');
        reply(socket, { error: 'the command failed; see the server log' });
      },
    );
  };
  socket.on('data', onData);
}

function reply(socket: net.Socket, answer: unknown): void {
  socket.end(`${JSON.stringify(answer)}\n`);
}

/**
 * Sends one request to the server of the data folder; undefined when no server listens there
 * (no socket file, or a killed server's).
 */
export function sendControlRequest(dataDir: string, request: unknown): Promise<unknown> {
  const file = controlSocketPath(dataDir);
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(file);
    let received = '';
    socket.setTimeout(60_000, () => socket.destroy(new Error('the server did not answer')));
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('end', () => {
      try {
        resolve(JSON.parse(received) as unknown);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') resolve(undefined);
      else reject(error);
    });
  });
}
