import { IModify } from '@rocket.chat/apps-engine/definition/accessors';

/** The shortest budget per call (Apps-Engine 1.46/1.47: 10 s) and the later one (30 s, `APPS_ENGINE_RUNTIME_TIMEOUT`). */
export const SHORT_CALL_BUDGET_MS = 10_000;
export const CALL_BUDGET_MS = 30_000;

/**
 * The engine's time per call, told by what the app's accessors offer (no bridge call): the contact creator came with
 * Apps-Engine 1.53 (Rocket.Chat 7.8), after the budget became 30 s (1.48). Engines 1.48–1.52 are taken for the short
 * budget: smaller files than they could carry, never a call they cut off.
 */
export function callBudgetMs(modify: IModify): number {
	const creator = modify.getCreator() as unknown as Record<string, unknown>;
	return typeof creator.getContactCreator === 'function' ? CALL_BUDGET_MS : SHORT_CALL_BUDGET_MS;
}
