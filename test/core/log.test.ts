import { flushLogLines, Log, MAX_PENDING_LINES, setLogLevel } from '../../src/core/log';

describe('the app log', () => {
	const sink = () => {
		const out: string[] = [];
		return { out, logger: { error: (m: string) => out.push(`E ${m}`), info: (m: string) => out.push(`I ${m}`), debug: (m: string) => out.push(`D ${m}`) } };
	};
	afterEach(() => {
		setLogLevel('info');
		flushLogLines(sink().logger);
	});

	it.each([
		['error', ['E e']],
		['info', ['E e', 'I i']],
		['debug', ['E e', 'I i', 'D d']],
		['nonsense', ['E e', 'I i']],
	])('at %s writes %j', (level, expected) => {
		setLogLevel(level);
		const log = new Log();
		log.error('e');
		log.info('i');
		log.debug('d');
		const { out, logger } = sink();
		flushLogLines(logger);
		expect(out).toEqual(expected);
	});

	it('keeps lines until a call ends, then hands every call\'s lines to the logger current then, once', () => {
		const first = new Log();
		const second = new Log();
		first.info('from the webhook');
		second.error('from the hook that started meanwhile');
		first.info('the webhook again');
		const early = sink();
		const late = sink();
		flushLogLines(early.logger);
		flushLogLines(late.logger);
		expect(early.out).toEqual(['I from the webhook', 'E from the hook that started meanwhile', 'I the webhook again']);
		expect(late.out).toEqual([]);
	});

	it('keeps a bounded number of lines between two answers, every error, and says how many it left out', () => {
		const log = new Log();
		for (let i = 0; i < MAX_PENDING_LINES + 7; i++) log.info(`line ${i}`);
		log.error('the one that matters');
		const { out, logger } = sink();
		flushLogLines(logger);
		expect(out).toHaveLength(MAX_PENDING_LINES + 2);
		expect(out[MAX_PENDING_LINES - 1]).toBe(`I line ${MAX_PENDING_LINES - 1}`);
		expect(out.slice(-2)).toEqual(['E the one that matters', 'I (7 more log lines left out)']);
	});
});
