import { encode } from 'uqr';

/**
 * The authenticator key as a QR code, drawn on the server as SVG elements, so the set-up page
 * needs no script and no inline style (docs/SECURITY.md: the CSP allows neither). Preact escapes
 * every attribute, and the only data in the markup is the path's numbers.
 */

/**
 * Four light modules around the code: the quiet zone ISO/IEC 18004 asks for, without which a
 * phone's camera may not find the finder patterns against a dark page.
 */
export const QR_QUIET_ZONE = 4;

/** The code's modules, dark true, without the quiet zone: rows of columns. */
export function qrMatrix(text: string): boolean[][] {
  // Level M (15% recovery) keeps a ~120-character otpauth URI at version 6 or so: small modules
  // a phone reads at arm's length off a laptop screen.
  return encode(text, { ecc: 'M', border: 0 }).data;
}

/**
 * One path for all the dark modules, a horizontal run of dark modules per subpath, offset by the
 * quiet zone: a few hundred subpaths where a rect per module would be thousands of elements.
 */
export function qrPath(matrix: readonly (readonly boolean[])[]): string {
  const parts: string[] = [];
  matrix.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x += 1;
      parts.push(`M${start + QR_QUIET_ZONE} ${y + QR_QUIET_ZONE}h${x - start}v1h${start - x}z`);
    }
  });
  return parts.join('');
}

/**
 * The QR code of `text`, labelled for screen readers. Black on white whatever the page's colours:
 * many scanners cannot read a code drawn light on dark.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const matrix = qrMatrix(text);
  const side = matrix.length + 2 * QR_QUIET_ZONE;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      class="qr-code"
      viewBox={`0 0 ${side} ${side}`}
      width={Math.max(side * 4, 192)}
      height={Math.max(side * 4, 192)}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <title>{label}</title>
      <rect width={side} height={side} fill="#ffffff" />
      <path d={qrPath(matrix)} fill="#000000" />
    </svg>
  );
}
