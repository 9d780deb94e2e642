/** An .ics answer: text/calendar, named after the cutover, never cached by shared caches. */
export function icsResponse(ics: string, opts: { cutoverId: string; download: boolean }): Response {
  const filename = `switchyard-cutover-${opts.cutoverId}.ics`;
  return new Response(ics, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": `${opts.download ? "attachment" : "inline"}; filename="${filename}"`,
      "cache-control": "private, no-cache",
      "x-content-type-options": "nosniff",
    },
  });
}

/** The token in a feed path segment "syc_….ics"; null when the segment does not end in .ics. */
export function feedTokenOf(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return decoded.endsWith(".ics") ? decoded.slice(0, -".ics".length) : null;
}
