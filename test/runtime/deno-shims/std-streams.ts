// Offline stand-in for jsr:@std/streams' toArrayBuffer.
export async function toArrayBuffer(readable: ReadableStream<Uint8Array>): Promise<ArrayBuffer> {
	const chunks: Uint8Array[] = [];
	let size = 0;
	for await (const chunk of readable) {
		chunks.push(chunk);
		size += chunk.length;
	}
	const out = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.length;
	}
	return out.buffer;
}
