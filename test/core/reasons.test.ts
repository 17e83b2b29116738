import { describeFailure } from '../../src/core/failures';
import { setLanguage } from '../../src/i18n/translate';
import { classifyHttpFailure } from '../../src/providers/greenapi/errors';

describe('describeFailure: provider failures in the language of notices', () => {
	afterEach(() => setLanguage('en'));

	it('translates a coded failure with its values, secrets already removed', () => {
		const f = classifyHttpFailure({ status: 502, headers: {}, body: 'Bad gateway for waInstance1/sendMessage/SECRET' }, ['SECRET']);
		expect(describeFailure(f)).toBe('GREEN-API server error (HTTP 502): Bad gateway for waInstance1/sendMessage/***');
		setLanguage('de');
		expect(describeFailure(f)).toBe('Serverfehler bei GREEN-API (HTTP 502): Bad gateway for waInstance1/sendMessage/***');
		setLanguage('ru');
		expect(describeFailure(classifyHttpFailure({ status: 401, headers: {} }, []))).toBe('GREEN-API отклонил apiTokenInstance (HTTP 401)');
	});

	it('falls back to the English reason for unknown or missing codes', () => {
		setLanguage('es');
		expect(describeFailure({ reason: 'something odd', code: 'no_such_code' })).toBe('something odd');
		expect(describeFailure({ reason: 'plain' })).toBe('plain');
	});
});
