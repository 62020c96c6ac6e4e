import { type NewsroomDeps, requireStory, allow, isFresh, personName } from './story-store.js';
import * as q from './newsroom.queries.js';
import { may, type StoryActor } from './story.js';

/** Who has a story open in the editor: one holder at a time, seen by the others. */

export type Presence = {
  /** Null: nobody holds the story, and this person may only read it. */
  holder: { accountId: string; name: string; since: Date; you: boolean } | null;
  /** Set when an editor took the story from this person. */
  takenFromYou: boolean;
};

/**
 * The page says it is still open. The first to open a story holds it; others see who and
 * since when, read-only, until the holder leaves (not seen for a minute) or an editor takes
 * the story over.
 */
export async function heartbeat(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
): Promise<Presence> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, 'view', story);
    const lock = await q.findLock(trx, id);
    if (lock && lock.account_id !== actor.accountId && isFresh(lock.seen_at, now)) {
      return {
        holder: {
          accountId: lock.account_id,
          name: personName(lock.holder_name, lock.holder_email),
          since: lock.since,
          you: false,
        },
        takenFromYou: lock.taken_from === actor.accountId,
      };
    }
    if (!may(actor, 'edit', story)) {
      // Someone who may only read the story sees who edits it, and holds nothing.
      const holder = lock && isFresh(lock.seen_at, now) ? lock : undefined;
      return {
        holder: holder
          ? {
              accountId: holder.account_id,
              name: personName(holder.holder_name, holder.holder_email),
              since: holder.since,
              you: false,
            }
          : null,
        takenFromYou: false,
      };
    }
    const mine = lock?.account_id === actor.accountId && isFresh(lock.seen_at, now);
    const since = mine ? lock.since : now;
    await q.putLock(trx, {
      articleId: id,
      accountId: actor.accountId,
      since,
      seenAt: now,
      takenFrom: mine ? lock.taken_from : null,
    });
    const me = await q.accountName(trx, actor.accountId);
    return {
      holder: {
        accountId: actor.accountId,
        name: personName(me?.display_name ?? null, me?.staff_email ?? null),
        since,
        you: true,
      },
      takenFromYou: false,
    };
  });
}

/** Who holds the editor now, as the story's page shows it (null: nobody, or gone quiet). */
export async function currentLock(
  deps: Pick<NewsroomDeps, 'db' | 'clock'>,
  actor: StoryActor,
  id: string,
): Promise<{ name: string; since: Date; you: boolean; takenFromYou: boolean } | null> {
  const lock = await q.findLock(deps.db, id);
  if (!lock || !isFresh(lock.seen_at, deps.clock())) return null;
  const you = lock.account_id === actor.accountId;
  return {
    name: personName(lock.holder_name, lock.holder_email),
    since: lock.since,
    you,
    takenFromYou: !you && lock.taken_from === actor.accountId,
  };
}

/** An editor takes the story over; the person displaced is told on their next word. */
export async function takeOver(deps: NewsroomDeps, actor: StoryActor, id: string): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, 'take_over', story);
    const lock = await q.findLock(trx, id);
    await q.putLock(trx, {
      articleId: id,
      accountId: actor.accountId,
      since: now,
      seenAt: now,
      takenFrom: lock && lock.account_id !== actor.accountId ? lock.account_id : null,
    });
  });
}
