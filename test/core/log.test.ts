import { Log, setLogLevel } from '../../src/core/log';

describe('Log verbosity', () => {
	const lines = () => {
		const out: string[] = [];
		const logger = { error: (m: string) => out.push(`E ${m}`), info: (m: string) => out.push(`I ${m}`), debug: (m: string) => out.push(`D ${m}`) };
		return { out, log: new Log(logger as never) };
	};
	afterAll(() => setLogLevel('info'));

	it.each([
		['error', ['E e']],
		['info', ['E e', 'I i']],
		['debug', ['E e', 'I i', 'D d']],
		['nonsense', ['E e', 'I i']],
	])('at %s writes %j', (level, expected) => {
		setLogLevel(level);
		const { out, log } = lines();
		log.error('e');
		log.info('i');
		log.debug('d');
		expect(out).toEqual(expected);
	});
});
