import { DepartmentMenuConfig } from '../core/ports/records';
import { t } from '../i18n/translate';
import { InstanceStore } from '../store/InstanceStore';
import { Store } from '../store/Store';
import { CommandContext } from './context';

/** More would not read as a WhatsApp message. */
export const MAX_MENU_DEPARTMENTS = 12;

/**
 * `/whatsapp menu <instance> [<department>… | off]` (admins): the departments a new conversation of
 * the number chooses from. Names with spaces: separate the departments with commas.
 */
export async function menuCommand(c: CommandContext): Promise<void> {
	const [id, ...rest] = c.args;
	if (!id) return c.reply(t('menu_usage'));
	const instances = new InstanceStore(new Store(c.read.getPersistenceReader(), c.persis));
	const record = await instances.get(id, true);
	if (!record) return c.reply(t('instance_unknown', { id }));
	if (rest.length === 0) {
		return c.reply(record.menu ? t('menu_current', { id, departments: describe(record.menu) }) : t('menu_none', { id }));
	}
	if (rest.length === 1 && rest[0].toLowerCase() === 'off') {
		await instances.save({ ...record, menu: undefined });
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
	await instances.save({ ...record, menu });
	await c.reply(t('menu_set', { id, departments: describe(menu) }));
}

function describe(menu: DepartmentMenuConfig): string {
	return menu.departments.map((d, i) => `${i + 1}. ${d.name}`).join(', ');
}
