import { ProviderDirectory, WhatsAppProvider } from '../core/ports/provider';

/** The providers the app is built with; the composition root creates it, the core looks them up by name. */
export class ProviderRegistry implements ProviderDirectory {
	private readonly byName = new Map<string, WhatsAppProvider>();

	constructor(providers: WhatsAppProvider[]) {
		for (const p of providers) {
			if (this.byName.has(p.name)) throw new Error(`provider ${p.name} registered twice`);
			this.byName.set(p.name, p);
		}
	}

	public get(name: string): WhatsAppProvider | undefined {
		return this.byName.get(name);
	}

	public all(): WhatsAppProvider[] {
		return [...this.byName.values()];
	}
}
