// GREEN-API rejects texts over 20000 characters; longer agent replies are split (see shared/text.ts).
import { splitText as splitAt } from '../shared/text';

export const MAX_TEXT_LENGTH = 20000;

export function splitText(text: string, max: number = MAX_TEXT_LENGTH): string[] {
	return splitAt(text, max);
}
