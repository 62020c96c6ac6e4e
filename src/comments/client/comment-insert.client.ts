/**
 * Putting a comment the server rendered into the page: after the reader's own post, and when one
 * arrives live. The html is the server's, already escaped, and is the only markup this island
 * ever inserts.
 */

export type CommentToPlace = { id: string; parentId: string | null; html: string };
export type Placed = { element: HTMLElement; added: boolean };

/**
 * The comment's element, inserted unless the page already has it (a live event and the reply to
 * the post can both bring it, in either order). Undefined when the page has no place for it (the
 * parent's replies are not on this page): the caller decides whether to reload.
 */
export function placeComment(section: ParentNode, comment: CommentToPlace): Placed | undefined {
  const elementId = `comment-${comment.id}`;
  const existing = document.getElementById(elementId);
  if (existing) return { element: existing, added: false };
  const container =
    comment.parentId === null
      ? section.querySelector('[data-comment-list]')
      : section.querySelector(`[data-replies-for="${CSS.escape(comment.parentId)}"]`);
  if (!container) return undefined;
  // Newest first at the top level; replies read in order under their comment.
  container.insertAdjacentHTML(
    comment.parentId === null ? 'afterbegin' : 'beforeend',
    comment.html,
  );
  // The first comment replaces the "no comments yet" line.
  section.querySelector('[data-comments-empty]')?.remove();
  const element = document.getElementById(elementId);
  return element ? { element, added: true } : undefined;
}

export function showCommentCount(section: ParentNode, count: number): void {
  const shown = section.querySelector('[data-comment-count]');
  if (shown) shown.textContent = String(count);
}

/** The comments section holding an element, or the whole document on a page without one. */
export function commentsSectionOf(element: Element): ParentNode {
  return element.closest('[data-comments]') ?? document;
}

// Shapes of the JSON the server sends (comments.wire.ts writes them).

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isCommentToPlace(value: unknown): value is CommentToPlace {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    (value.parentId === null || typeof value.parentId === 'string') &&
    typeof value.html === 'string'
  );
}
