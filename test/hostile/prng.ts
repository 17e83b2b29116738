// A small seeded PRNG (mulberry32) so the hostile suite generates the same inputs on every run.

export class Prng {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: ReadonlyArray<T>): T {
		if (items.length === 0) throw new Error('Prng.pick: empty list');
		return items[this.int(0, items.length - 1)];
	}

	/** `n` hex digits, upper case (GREEN-API message ids look like this). */
	hex(n: number): string {
		let s = '';
		while (s.length < n) s += this.int(0, 15).toString(16);
		return s.toUpperCase();
	}

	/** Inserts `piece` at a random position of `s`. */
	insert(s: string, piece: string): string {
		const at = this.int(0, s.length);
		return s.slice(0, at) + piece + s.slice(at);
	}
}
