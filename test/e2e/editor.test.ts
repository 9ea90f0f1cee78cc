/**
 * The n8n editor in a real browser (Debian's chromium driven by playwright-core), with the pack
 * installed: the owner signs in through the form; every node of ours is found by the nodes panel search
 * and, added to a new workflow, opens its parameter panel with fields rendered; every template opens
 * with all its nodes drawn and no "not installed" node. Screenshots of each template land in
 * docs/screenshots/ for the README.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { shopifyChannelStoreCredential, shopifyCredential, templateCredentials } from './harness/fixtures';
import { N8nInstance, OWNER_EMAIL, OWNER_PASSWORD } from './harness/n8n';
import { readState } from './harness/paths';
import type { WorkflowJson } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';

const ROOT = join(__dirname, '..', '..');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
/** Chromium on these machines: no sandbox as root, and no calls home (the network is closed). */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** What n8n shows for a node whose package is not installed. */
const NOT_INSTALLED = /not currently installed|install this node|node is not installed|unknown node/i;

/** Our nodes, as the built package declares them. */
function ourNodes(): Array<{ name: string; displayName: string }> {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
	return pkg.n8n.nodes.map((file) => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(join(ROOT, file)) as Record<string, new () => { description: { name: string; displayName: string } }>;
		const description = new (Object.values(exported)[0])().description;
		return { name: description.name, displayName: description.displayName };
	});
}

describe('the n8n editor in a real browser', () => {
	let n8n: N8nInstance;
	let server: Awaited<ReturnType<N8nInstance['start']>>;
	let browser: Browser;
	let page: Page;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let templates: Array<WorkflowJson & { file: string }>;
	const base = () => `http://localhost:${server.port}`;

	beforeAll(async () => {
		if (!CHROMIUM) throw new Error('Debian\'s chromium is not installed: apt-get install -y chromium (.ci/run does)');
		shopify = await startShopifySimulator({ orders: 0, products: 4, seed: 271 });
		woo = await startWooSimulator({ orders: 0, products: 4, seed: 272 });
		n8n = N8nInstance.create();
		await n8n.importCredentials([
			...templateCredentials(shopify, woo, 2525),
			shopifyCredential('cs-shopify-destination', 'Shopify destination store', shopify),
			shopifyChannelStoreCredential('cs-shopify-destination-channel', 'Shopify destination store (channel store)', shopify),
		]);
		templates = readdirSync(join(ROOT, 'workflows')).filter((f) => f.endsWith('.json')).sort().map((file, i) => ({
			...(JSON.parse(readFileSync(join(ROOT, 'workflows', file), 'utf8')) as WorkflowJson),
			id: `cseditor${String(i).padStart(8, '0')}`, active: false, file,
		}));
		await n8n.importWorkflows(templates.map(({ file: _file, ...w }) => w));
		server = await n8n.start();
		await n8n.ensureOwner(server);
		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
		page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
		// Signed in as a user does, through the form.
		await page.goto(`${base()}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER_EMAIL);
		await page.locator('input[name="password"]').fill(OWNER_PASSWORD);
		await page.locator('[data-test-id="form-submit-button"]').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
	}, 240_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		n8n?.dispose();
		await Promise.all([shopify?.close(), woo?.close()]);
	});

	it('finds every node of ours in the nodes panel search and opens its parameters with fields', async () => {
		const nodes = ourNodes();
		expect(nodes.length).toBeGreaterThanOrEqual(11);
		const problems: string[] = [];
		for (const node of nodes) {
			await page.goto(`${base()}/workflow/new`);
			await page.locator('[data-test-id="canvas-wrapper"]').waitFor({ timeout: 30_000 });
			await page.locator('[data-test-id="node-creator-plus-button"]').first().click();
			await page.locator('[data-test-id="node-creator-search-bar"] input, [data-test-id="node-creator-search-bar"]').first().waitFor();
			await page.keyboard.type(node.displayName);
			const item = page.locator('[data-test-id="node-creator-item-name"]', { hasText: node.displayName }).first();
			try {
				await item.waitFor({ timeout: 10_000 });
			} catch {
				problems.push(`${node.displayName}: not found by the nodes panel search`);
				continue;
			}
			await item.click();
			// A community node first shows its details ("Installed", via npm) with "Add to workflow".
			const add = page.getByRole('button', { name: 'Add to workflow' });
			try {
				await add.waitFor({ timeout: 5_000 });
				if (!(await page.getByText('Installed', { exact: true }).count())) problems.push(`${node.displayName}: not shown as an installed package`);
				await add.click();
			} catch {
				// Added straight away.
			}
			const ndv = page.locator('[data-test-id="ndv"]');
			try {
				await ndv.waitFor({ timeout: 10_000 });
			} catch {
				problems.push(`${node.displayName}: added, but its parameter panel did not open`);
				continue;
			}
			const fields = await ndv.locator('[data-test-id="node-parameters"] [data-test-id^="parameter-input-"]').count();
			const text = await ndv.innerText();
			if (fields === 0) problems.push(`${node.displayName}: no parameter field rendered`);
			if (NOT_INSTALLED.test(text)) problems.push(`${node.displayName}: shown as not installed`);
			if (!text.includes(node.displayName)) problems.push(`${node.displayName}: the panel does not name it`);
		}
		expect(problems).toEqual([]);
	}, 600_000);

	it('opens every template with all its nodes drawn and none "not installed", and saves a screenshot of each', async () => {
		// The README's screenshots come from the pinned n8n; another version's go to the run's work folder.
		const state = readState();
		const shotsDir = state.n8nVersion.startsWith('1.') ? join(state.workDir, 'screenshots') : join(ROOT, 'docs', 'screenshots');
		mkdirSync(shotsDir, { recursive: true });
		const problems: string[] = [];
		for (const template of templates) {
			await page.goto(`${base()}/workflow/${template.id}`);
			const named = template.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
			try {
				await page.locator('[data-test-id="canvas-node"]', { hasText: named[0].name }).first().waitFor({ timeout: 30_000 });
			} catch {
				problems.push(`${template.file}: did not open`);
				continue;
			}
			for (const node of named) {
				if ((await page.locator('[data-test-id="canvas-node"]', { hasText: node.name }).count()) === 0) problems.push(`${template.file}: node "${node.name}" not drawn`);
			}
			const canvas = await page.locator('[data-test-id="canvas-wrapper"]').innerText();
			if (NOT_INSTALLED.test(canvas)) problems.push(`${template.file}: a node is shown as not installed`);
			// Each of our nodes in it opens with its fields (a node n8n does not know opens an "install" panel instead).
			for (const node of named.filter((n) => n.type.startsWith('n8n-nodes-commerce-sync.'))) {
				await page.locator('[data-test-id="canvas-node"]', { hasText: node.name }).first().dblclick();
				const ndv = page.locator('[data-test-id="ndv"]');
				await ndv.waitFor({ timeout: 10_000 });
				if (NOT_INSTALLED.test(await ndv.innerText())) problems.push(`${template.file}: "${node.name}" opens as not installed`);
				if ((await ndv.locator('[data-test-id^="parameter-input-"]').count()) === 0) problems.push(`${template.file}: "${node.name}" shows no fields`);
				// 2.x closes the panel with a close button, 1.x with "Back to canvas".
				await page.locator('[data-test-id="ndv-close-button"], [data-test-id="back-to-canvas"]').first().click();
				await ndv.waitFor({ state: 'hidden', timeout: 10_000 });
			}
			await page.locator('[data-test-id="zoom-to-fit"]').click();
			await page.waitForTimeout(600);
			await page.screenshot({ path: join(shotsDir, template.file.replace(/\.json$/, '.png')) });
		}
		expect(problems).toEqual([]);
		const shots = readdirSync(shotsDir).filter((f) => f.endsWith('.png'));
		expect(shots.sort()).toEqual(templates.map((t) => t.file.replace(/\.json$/, '.png')).sort());
	}, 600_000);
});
