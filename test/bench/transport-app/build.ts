// Zips the transport probe (plain JavaScript, nothing to compile) the way `rc-apps package` lays an app out.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function buildTransportProbe(): string {
	// adm-zip is the zip library the engine's own AppPackageParser reads apps with.
	const AdmZip = require('adm-zip');
	const zip = new AdmZip();
	for (const f of ['app.json', 'TransportProbeApp.js']) zip.addFile(f, fs.readFileSync(path.join(__dirname, f)));
	zip.addFile('icon.png', fs.readFileSync(path.resolve(__dirname, '../../../icon.png')));
	const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gab-probe-')), 'transport-probe.zip');
	zip.writeZip(out);
	return out;
}
