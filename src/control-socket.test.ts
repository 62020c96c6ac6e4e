import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { staffCommandSchema } from './accounts/staff-commands.js';
import { controlSocketPath, openControlSocket, sendControlRequest } from './control-socket.js';
import { silentLog } from './db/db-test.js';

/** The running server's door for `byline user …`: this user's only, one strict request a call. */

function rawRequest(file: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(file);
    let received = '';
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('the control socket', { skip: process.platform === 'win32' }, () => {
  let dataDir: string;
  const seen: unknown[] = [];
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-control-'));
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('is a file only its user may open, replacing a killed server’s, removed at close', async () => {
    const file = controlSocketPath(dataDir);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    fs.writeFileSync(file, 'left by a server killed with -9');
    const control = await openControlSocket(
      dataDir,
      (request) => {
        seen.push(request);
        return Promise.resolve({ echoed: request });
      },
      silentLog,
    );
    assert.ok(control);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.deepEqual(await sendControlRequest(dataDir, { command: 'ping' }), {
      echoed: { command: 'ping' },
    });
    assert.deepEqual(JSON.parse(await rawRequest(file, 'not json\n')), {
      error: 'not a JSON request',
    });
    assert.deepEqual(JSON.parse(await rawRequest(file, 'x'.repeat(5_000))), {
      error: 'request too long',
    });
    assert.equal(seen.length, 1, 'only the well-formed request reached the handler');
    await control.close();
    assert.equal(fs.existsSync(file), false);
    assert.equal(await sendControlRequest(dataDir, { command: 'ping' }), undefined);
  });

  it('carries only the two staff commands, with no field beyond theirs', () => {
    const add = { command: 'user add', email: 'ed@example.com', role: 'editor' };
    assert.equal(staffCommandSchema.safeParse(add).success, true);
    assert.equal(staffCommandSchema.safeParse({ ...add, role: 'reader' }).success, false);
    assert.equal(staffCommandSchema.safeParse({ ...add, accountId: '1' }).success, false);
    assert.equal(
      staffCommandSchema.safeParse({ command: 'user setup-link', email: 'ed@example.com' }).success,
      true,
    );
    assert.equal(staffCommandSchema.safeParse({ command: 'import', path: '/etc' }).success, false);
  });
});
