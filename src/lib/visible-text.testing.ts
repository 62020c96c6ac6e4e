/**
 * Watches grapheme segmentation while `run` goes on: the longest string any Intl.Segmenter was
 * given, and how many code units were segmented in all. Tests use it to show that hostile input
 * is refused before it is counted, or counted a window at a time, without timing anything.
 */
export async function watchSegmenting<T>(
  run: () => T | Promise<T>,
): Promise<{ result: T; longest: number; total: number }> {
  const prototype = Intl.Segmenter.prototype;
  // Read through Reflect: the method is called below with the segmenter as `this`, never unbound.
  const original: Intl.Segmenter['segment'] = Reflect.get(prototype, 'segment');
  let longest = 0;
  let total = 0;
  prototype.segment = function (this: Intl.Segmenter, input: string) {
    longest = Math.max(longest, input.length);
    total += input.length;
    return original.call(this, input);
  };
  try {
    return { result: await run(), longest, total };
  } finally {
    prototype.segment = original;
  }
}
