// The translations in i18n/*.json, for text the app writes itself (room notices, command answers).
// rc-apps 1.9 cannot bundle JSON imports: `npm run package` replaces this file in its staging copy with
// the same catalogs inlined (see .tools/package-app.js). Keep the shape: `export const catalogs = {...}`.
import de from '../../i18n/de.json';
import en from '../../i18n/en.json';
import es from '../../i18n/es.json';
import ptBR from '../../i18n/pt-BR.json';
import ru from '../../i18n/ru.json';

export const catalogs: Record<string, Record<string, string>> = { en, ru, 'pt-BR': ptBR, de, es };
