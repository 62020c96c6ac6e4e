import type { AccountData } from './accounts.service.js';

/**
 * What JSON clients of the accounts feature get, written out field by field: the download of a
 * reader's data (GET /account/data) is a promise to the reader, so a column added to a table
 * reaches it only when it is added here. Times are ISO 8601 in UTC.
 */

export function accountDataWire(data: AccountData) {
  const { profile } = data;
  return {
    exportedAt: data.exportedAt.toISOString(),
    account: {
      id: profile.id,
      displayName: profile.displayName,
      avatarUrl: profile.avatarUrl,
      role: profile.role,
      createdAt: profile.createdAt.toISOString(),
    },
    identities: profile.identities.map((i) => ({
      provider: i.provider,
      subject: i.subject,
      email: i.email,
      createdAt: i.createdAt.toISOString(),
    })),
    comments: data.comments,
    votes: data.votes,
    reports: data.reports,
    policyAcceptances: data.policyAcceptances.map((a) => ({
      version: a.version,
      acceptedAt: a.acceptedAt.toISOString(),
    })),
    sessions: data.sessions.map((s) => ({
      kind: s.kind,
      method: s.method,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      userAgent: s.userAgent,
      ip: s.ip,
    })),
  };
}
