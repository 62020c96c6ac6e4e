import { countAll, onCommentInput, onCommentKeyDown } from './comment-counter.client.js';
import { listenForComments } from './comment-live.client.js';
import { onCommentSubmit } from './comment-post.client.js';

/**
 * The comments island: the browser script that enhances the server's comment forms (the page
 * works without it; forms post and the server redirects). Bundled by views/assets.ts into one
 * IIFE at start-up, loaded with `defer` (the document is parsed when this runs) and allowed by
 * the CSP's script-src 'self': nothing inline, nothing global.
 *
 * Listeners sit on the document, not on each form, so forms in comments inserted later (a live
 * comment's reply form) work with no further wiring.
 */
document.addEventListener('input', onCommentInput);
// Some browsers send the last `input` of a composition before compositionend; counting again
// there is harmless (the same value gives the same count) and makes sure the final count shows.
document.addEventListener('compositionend', onCommentInput);
document.addEventListener('keydown', onCommentKeyDown);
document.addEventListener('submit', onCommentSubmit);
countAll(document);
listenForComments(document);
