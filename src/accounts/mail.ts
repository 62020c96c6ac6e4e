import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { randomToken } from '../lib/tokens.js';

/**
 * Outgoing mail. SMTP when BYLINE_SMTP_URL is set; otherwise, outside production, each message is
 * rendered exactly as it would be sent and written to the outbox folder in the data directory
 * (with a plain UTF-8 copy to read), and logged, so that `npm start` alone lets a person log in with an e-mailed code. In production
 * without SMTP there is no mailer, and the e-mailed code is not offered.
 */

export type Mail = { to: string; subject: string; text: string };

export type Mailer = {
  kind: 'smtp' | 'outbox';
  send(mail: Mail): Promise<void>;
};

export function createMailer(config: Config, log: Logger): Mailer | null {
  const from = config.mail.from;
  if (config.mail.smtpUrl) {
    const transport = nodemailer.createTransport(config.mail.smtpUrl);
    return {
      kind: 'smtp',
      async send(mail) {
        await transport.sendMail({ from, ...mail });
        log.info({ to: mail.to, subject: mail.subject }, 'mail sent');
      },
    };
  }
  if (config.env === 'production') return null;
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const dir = config.mail.outboxDir;
  return {
    kind: 'outbox',
    async send(mail) {
      const info = await transport.sendMail({ from, ...mail });
      const message = info.message as Buffer;
      await fs.mkdir(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const base = path.join(dir, `${stamp}-${randomToken(6)}`);
      await fs.writeFile(`${base}.eml`, message);
      // The .eml is the message as it would be sent, and MIME encodes any text that is not
      // ASCII (a Korean login code mail is base64): the .txt beside it is for a person to read.
      const file = `${base}.txt`;
      await fs.writeFile(file, readableMail(from, mail), 'utf8');
      // Development only: the message is the way in, so it is shown where the developer looks.
      log.info(
        { to: mail.to, subject: mail.subject, file, text: mail.text },
        'mail written to outbox',
      );
    },
  };
}

function readableMail(from: string, mail: Mail): string {
  return `From: ${from}\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`;
}
