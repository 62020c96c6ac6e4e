import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The yardstick: a node:http server that answers every request with the same bytes and
 * content-type as the page under test, and does nothing else. Run as its own process
 * (`node bare-server.js <body-file> <content-type>`) so that it has an event loop to itself, as
 * the app does. SIGTERM's default action ends it: there is nothing to close.
 */

const [bodyFile, contentType] = process.argv.slice(2);
if (bodyFile === undefined || contentType === undefined) {
  process.stderr.write('usage: bare-server <body-file> <content-type>\n');
  process.exit(2);
}

const body = fs.readFileSync(bodyFile);
const headers = { 'content-type': contentType, 'content-length': String(body.length) };

const server = http.createServer((_request, response) => {
  response.writeHead(200, headers).end(body);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  // The benchmark reads the address from this line.
  process.stdout.write(`bare server at http://127.0.0.1:${port}\n`);
});
