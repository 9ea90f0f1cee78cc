/**
 * Secrets go only where the user pointed the credential: no node has a parameter that names a host, URL
 * or endpoint (an expression there could send a token anywhere), and every credential that signs
 * requests tests itself against its own configured address.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialType, INodeProperties, INodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..');

function load<T>(folder: string, suffix: string): Array<[string, T]> {
	const files = readdirSync(join(root, folder), { recursive: true }).map(String).filter((f) => f.endsWith(suffix));
	return files.flatMap((file) => Object.entries(require(join(root, folder, file)) as Record<string, new () => T>).map(([name, Type]) => [name, new Type()] as [string, T]));
}

/** Every parameter, nested ones (collections, fixed collections) included, with its path. */
function parameters(properties: readonly INodeProperties[], path = ''): Array<{ path: string; property: INodeProperties }> {
	return properties.flatMap((property) => {
		const here = `${path}${property.name}`;
		const nested = (property.options ?? []).flatMap((option) => {
			if ('values' in option && Array.isArray(option.values)) return parameters(option.values as INodeProperties[], `${here}.${option.name}.`);
			if ('type' in option && 'name' in option && 'default' in option) return parameters([option as INodeProperties], `${here}.`);
			return [];
		});
		return [{ path: here, property }, ...nested];
	});
}

const ADDRESS = /url|host|endpoint|domain|baseUri|webhook/i;

describe('where requests go', () => {
	const nodes = load<INodeType>('nodes', '.node.ts');
	const credentials = load<ICredentialType>('credentials', '.credentials.ts');

	it('finds every node and credential of the pack', () => {
		expect(nodes.length).toBeGreaterThanOrEqual(11);
		expect(credentials.length).toBeGreaterThanOrEqual(7);
	});

	it('no node parameter names an address: the base URL comes from the credential only', () => {
		const offending = nodes.flatMap(([name, node]) => parameters(node.description.properties)
			.filter(({ path, property }) => ADDRESS.test(property.name) || (property.type === 'string' && /^https?:\/\//.test(String(property.placeholder ?? property.default ?? ''))))
			.map(({ path }) => `${name}: ${path}`));
		expect(offending).toEqual([]);
	});

	it('every credential that signs requests tests itself against its own address, never a fixed third party', () => {
		const tests = credentials.filter(([, c]) => c.authenticate || c.preAuthentication).map(([name, c]) => [name, String(c.test?.request.baseURL ?? c.test?.request.url ?? '')]);
		for (const [name, base] of tests) {
			expect([name, base.length > 0]).toEqual([name, true]);
			// Either an expression over the credential's own fields, or the platform's official API host.
			expect([name, /^=|^https:\/\/([a-z0-9-]+\.)*(ebay\.com|etsy\.com|amazon\.com|tiktokglobalshop\.com|tiktokshop\.com|amazonaws\.com)\b/.test(base)]).toEqual([name, true]);
		}
	});
});
