/** A streamed download: each chunk of the iterator is written as it comes, never all at once. */
export function streamedDownload(chunks: AsyncGenerator<string>, contentType: string, filename: string): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, { headers: { "content-type": contentType, "content-disposition": `attachment; filename="${filename}"` } });
}
