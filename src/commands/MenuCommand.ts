import { coreDeps } from '../compose';
import { InstanceLifecycle } from '../core/InstanceLifecycle';
import { ProviderDirectory } from '../core/ports/provider';
import { DepartmentMenuConfig } from '../core/ports/records';
import { t } from '../i18n/translate';
import { CommandContext } from './context';

/** More would not read as a WhatsApp message. */
export const MAX_MENU_DEPARTMENTS = 12;

/**
 * `/whatsapp menu <instance> [<department>… | off]` (admins): the departments a new conversation of
 * the number chooses from. Names with spaces: separate the departments with commas.
 */
export async function menuCommand(c: CommandContext, providers: ProviderDirectory): Promise<void> {
	const [id, ...rest] = c.args;
	if (!id) return c.reply(t('menu_usage'));
	const lifecycle = new InstanceLifecycle(coreDeps(c, providers));
	const record = await lifecycle.get(id);
	if (!record) return c.reply(t('instance_unknown', { id }));
	if (rest.length === 0) {
		return c.reply(record.menu ? t('menu_current', { id, departments: describe(record.menu) }) : t('menu_none', { id }));
	}
	if (rest.length === 1 && rest[0].toLowerCase() === 'off') {
		await lifecycle.setMenu(id, undefined);
		return c.reply(t('menu_off', { id }));
	}
	const joined = rest.join(' ');
	const names = (joined.includes(',') ? joined.split(',') : rest).map((n) => n.trim()).filter(Boolean);
	if (names.length > MAX_MENU_DEPARTMENTS) return c.reply(t('menu_too_many', { max: MAX_MENU_DEPARTMENTS }));
	const departments: DepartmentMenuConfig['departments'] = [];
	for (const name of names) {
		const found = await c.read.getLivechatReader().getLivechatDepartmentByIdOrName(name);
		if (!found) return c.reply(t('department_unknown', { department: name }));
		if (!departments.some((d) => d.id === found.id)) departments.push({ id: found.id, name: found.name || name });
	}
	const menu = { departments };
	await lifecycle.setMenu(id, menu);
	await c.reply(t('menu_set', { id, departments: describe(menu) }));
}

function describe(menu: DepartmentMenuConfig): string {
	return menu.departments.map((d, i) => `${i + 1}. ${d.name}`).join(', ');
}
