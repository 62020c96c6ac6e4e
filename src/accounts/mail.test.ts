import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { silentLog, testConfig } from '../db/db-test.js';
import { createMailer } from './mail.js';

/** Mail leaves by SMTP when configured (a real SMTP server on loopback here), else the outbox. */

describe('outgoing mail', () => {
  const received: { from: string; to: string[]; data: string }[] = [];
  let server: SMTPServer;
  let port = 0;

  before(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends through the configured SMTP server', async () => {
    const config = testConfig({
      BYLINE_SMTP_URL: `smtp://127.0.0.1:${port}`,
      BYLINE_MAIL_FROM: 'Byline Daily <news@example.com>',
    });
    const mailer = createMailer(config, silentLog);
    assert.equal(mailer?.kind, 'smtp');
    await mailer.send({
      to: 'reader@example.com',
      subject: '123456 is your Byline Daily login code',
      text: 'Your Byline Daily login code is 123456.',
    });
    assert.equal(received.length, 1);
    const [mail] = received;
    assert.ok(mail);
    assert.equal(mail.from, 'news@example.com');
    assert.deepEqual(mail.to, ['reader@example.com']);
    assert.match(mail.data, /login code is 123456/);
  });

  it('writes to the outbox folder without SMTP in development, readable in Korean, and offers nothing in production', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-mail-'));
    try {
      const mailer = createMailer(
        testConfig({ BYLINE_DATA_DIR: dataDir, NODE_ENV: 'development' }),
        silentLog,
      );
      assert.equal(mailer?.kind, 'outbox');
      await mailer.send({
        to: 'kim@example.com',
        subject: '로그인 코드',
        text: '코드는 654321입니다.',
      });
      const files = fs.readdirSync(path.join(dataDir, 'outbox')).sort();
      assert.equal(files.length, 2);
      const [sent = '', readable = ''] = files;
      assert.match(sent, /\.eml$/);
      assert.equal(readable, sent.replace(/\.eml$/, '.txt'));
      const message = fs.readFileSync(path.join(dataDir, 'outbox', sent), 'utf8');
      assert.match(message, /^To: kim@example.com$/m);
      const text = fs.readFileSync(path.join(dataDir, 'outbox', readable), 'utf8');
      assert.match(text, /^To: kim@example.com$/m);
      assert.match(text, /^Subject: 로그인 코드$/m);
      assert.match(text, /코드는 654321입니다\./);
      assert.equal(createMailer(testConfig({ NODE_ENV: 'production' }), silentLog), null);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
