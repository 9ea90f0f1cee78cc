/**
 * Inventory under churn, in real n8n against the Shopify and WooCommerce simulators, with about 10 % of
 * the requests failing (429 with Retry-After, 500, 503, slow answers, dropped connections, writes applied
 * whose answer is lost) and buyers buying on the stores between runs and while a run is in flight (sales
 * fired by the simulators at the run's reads and writes, and on timers):
 * - Sync Inventory Both Ways, WooCommerce main store ⇄ Shopify channel, 30 SKUs, 10 rounds. Once the
 *   faults stop, a quiet round or two settles both stores and the next writes nothing; every SKU then
 *   holds, on both sides, its starting stock less every unit sold on either side: each sale taken
 *   exactly once, none lost, none taken twice. One round drops the connection of the main-store booking
 *   while the main store sells the same SKU.
 * - Get Main Store Inventory → Apply Inventory Rules → Update Channel Inventory, Shopify main store → a
 *   WooCommerce channel and a Shopify channel store, 30 SKUs, 8 rounds, the channels' orders reaching the
 *   main store between rounds. After every run, each listing reported done holds the rules' quantity less
 *   any sale made on the channel after the node read it: on Shopify the compare-and-set keeps a sale made
 *   between read and write; WooCommerce (no compare-and-set) overwrites it, and the next run, once the
 *   order is in the main store, corrects it. At the end every listing shows the rules applied to the main
 *   store's final stock, and a quiet round writes nothing.
 * Figures: reliability-results/inventoryChurn.json (test/support/reliability.ts).
 */
import { N8nInstance } from '../harness/n8n';
import type { CredentialFixture, ExecutionResult } from '../harness/n8n';
import { credentialRef, shopifyCredential, wooCredential } from '../harness/fixtures';
import { PACKAGE, chainWorkflow } from '../harness/workflow';
import { startShopifySimulator } from '../../simulators/shopify';
import type { ShopifySimulator } from '../../simulators/shopify';
import { startWooSimulator } from '../../simulators/woocommerce';
import type { WooSimulator } from '../../simulators/woocommerce';
import type { Simulator } from '../../simulators/common/server';
import type { FaultRule } from '../../simulators/common/faults';
import { intBetween, pick, seededRandom } from '../../simulators/common/random';
import { giveShopifySkus, setShopifyStock, setWooStock, shopifyLevel, wooProductBySku } from '../../support/stock';
import { recordReliability } from '../../support/reliability';
import type { Figure } from '../../support/reliability';

type Json = Record<string, any>;
type Side = 'main' | 'channel';

const WOO_READ = /^GET \/wp-json\/wc\/v3\/products$/;
const WOO_BATCH = /^POST \/wp-json\/wc\/v3\/products\/batch$/;
const SHOPIFY_READ = /^VariantStock$/;
const SHOPIFY_SET = /^InventorySet$/;
const SHOPIFY_WRITES = /^Inventory(Set|Adjust)$/;

/** The kinds of failure, in equal shares. A lost answer applies to writes only, so reads see a little less. */
const FAULT_MIX: Array<Omit<FaultRule, 'probability'>> = [
	{ kind: 'status429', retryAfterSeconds: 1 },
	{ kind: 'status500' },
	{ kind: 'status503', retryAfterSeconds: 1 },
	{ kind: 'slow', delayMs: 1500 },
	{ kind: 'drop' },
	{ kind: 'lostAnswer' },
];
const FAULT_SHARE = 0.1;

/** About FAULT_SHARE of the simulator's requests fail (its rules are tried in turn, each with its own seeded draw). */
function churnFaults(sim: Simulator, seed?: number): void {
	if (seed !== undefined) sim.faults.seed(seed);
	const each = 1 - (1 - FAULT_SHARE) ** (1 / FAULT_MIX.length);
	for (const rule of FAULT_MIX) sim.faults.add({ ...rule, probability: each });
}

/**
 * Sales aimed at a moment of a run: armed for a round, done at the first request of the run that matches
 * (the simulator's beforeNext), only while a run is in flight. One hook per moment at a time: a moment a
 * run never reached is carried to the next round's arming instead of piling up.
 */
class Moments {
	running = false;
	private readonly armed = new Map<string, () => void>();
	private readonly hooked = new Set<string>();

	arm(name: string, sim: Simulator, match: RegExp, act: () => void): void {
		this.armed.set(name, act);
		if (this.hooked.has(name)) return;
		this.hooked.add(name);
		sim.beforeNext(match, () => {
			this.hooked.delete(name);
			const action = this.armed.get(name);
			this.armed.delete(name);
			if (this.running && action) action();
		});
	}

	disarm(): void {
		this.armed.clear();
	}
}

/** A buyer's order on a Shopify store: the units leave `available` (committed until shipped), the level changed now. */
function sellOnShopify(sim: ShopifySimulator, sku: string, units: number): boolean {
	const level = shopifyLevel(sim, sku);
	if (level.available < units) return false;
	Object.assign(level, { available: level.available - units, committed: level.committed + units, updatedAt: new Date().toISOString() });
	return true;
}

/** A count, restock or order taken in the main store: `available` and on hand move together. */
function moveShopifyStock(sim: ShopifySimulator, sku: string, delta: number): void {
	const level = shopifyLevel(sim, sku);
	Object.assign(level, { available: level.available + delta, onHand: level.onHand + delta, updatedAt: new Date().toISOString() });
}

/** A checkout on WooCommerce: wc_update_product_stock takes the units off and saves the product (date_modified moves). */
function sellOnWoo(sim: WooSimulator, sku: string, units: number): boolean {
	const product = wooProductBySku(sim, sku);
	if ((product.stock_quantity ?? 0) < units) return false;
	sim.store.changeStock(product, -units, sim.store.now());
	return true;
}

const wooStock = (sim: WooSimulator, sku: string) => wooProductBySku(sim, sku).stock_quantity ?? 0;
const shopifyStock = (sim: ShopifySimulator, sku: string) => shopifyLevel(sim, sku).available;
const wooWrites = (sim: WooSimulator, from: number) => sim.log.slice(from).filter((e) => e.method !== 'GET').length;
const shopifyWrites = (sim: ShopifySimulator, from: number) => sim.log.slice(from).filter((e) => SHOPIFY_WRITES.test(e.label ?? '')).length;
const faultCount = (sims: Simulator[]) => sims.reduce((sum, sim) => sum + Object.values(sim.faults.injected).reduce((a, b) => a + b, 0), 0);
const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
const later = (ms: number, act: () => void) => new Promise<void>((resolve) => setTimeout(() => {
	act();
	resolve();
}, ms));

/** A node's items on one output, or none when the run stopped before it. */
function items(result: ExecutionResult, node: string, output: number): Json[] {
	try {
		return result.json(node, output) as Json[];
	} catch {
		return [];
	}
}

function runError(result: ExecutionResult): string | undefined {
	return result.ok ? undefined : (result.error?.message ?? result.stderr.slice(-500));
}

/** How a Failed reason of Sync Inventory Both Ways reads, for the figures. */
function failureKind(reason: string): string {
	if (/stock moved meanwhile/.test(reason)) return 'booking undecided (main store moved meanwhile)';
	if (/is not there; the next run books it/.test(reason)) return 'booking lost, not there: booked next run';
	if (/refused/.test(reason)) return 'booking refused: tried next run';
	if (/changed again while writing/.test(reason)) return 'channel changed again while writing';
	return 'other';
}

describe('inventory under churn and faults, in real n8n', () => {
	let n8n: N8nInstance;
	const started = Date.now();
	// Scenario 1: two-way.
	let woo1: WooSimulator;
	let shop1: ShopifySimulator;
	let woo1Cred: CredentialFixture;
	let shop1Cred: CredentialFixture;
	// Scenario 2: one-way to two channels.
	let main2: ShopifySimulator;
	let woo2: WooSimulator;
	let shop2: ShopifySimulator;
	let main2Cred: CredentialFixture;
	let woo2Cred: CredentialFixture;
	let shop2Cred: CredentialFixture;
	/** SKUs the stores of each scenario share: WooCommerce simple products' SKUs, given to the Shopify variants. */
	let skus1: string[];
	let skus2: string[];

	const figures: Figure[] = [];
	const notes: string[] = [];
	const summary = { processed: 0, duplicates: 0, lost: 0, stockMismatches: 0 };

	beforeAll(async () => {
		[woo1, shop1, main2, woo2, shop2] = await Promise.all([
			startWooSimulator({ orders: 0, products: 60, seed: 3101 }),
			startShopifySimulator({ orders: 0, products: 16, variantsPerProduct: 2, seed: 3102, restoreRate: 1000, bucketSize: 20000 }),
			startShopifySimulator({ orders: 0, products: 16, variantsPerProduct: 2, seed: 3201, restoreRate: 1000, bucketSize: 20000 }),
			startWooSimulator({ orders: 0, products: 60, seed: 3202 }),
			startShopifySimulator({ orders: 0, products: 16, variantsPerProduct: 2, seed: 3203, restoreRate: 1000, bucketSize: 20000 }),
		]);
		const simpleSkus = (sim: WooSimulator) => sim.store.products.filter((p) => p.type === 'simple' && p.sku && p.status === 'publish').map((p) => p.sku);
		skus1 = simpleSkus(woo1).slice(0, 30);
		skus2 = simpleSkus(woo2).slice(0, 30);
		expect([skus1.length, skus2.length]).toEqual([30, 30]);
		giveShopifySkus(shop1, skus1);
		giveShopifySkus(main2, skus2);
		giveShopifySkus(shop2, skus2);
		n8n = N8nInstance.create();
		woo1Cred = wooCredential('churnWooMain0001', 'WooCommerce main', woo1);
		shop1Cred = shopifyCredential('churnShopChan001', 'Shopify channel', shop1);
		main2Cred = shopifyCredential('churnShopMain001', 'Shopify main', main2);
		woo2Cred = wooCredential('churnWooChan0001', 'WooCommerce channel', woo2);
		shop2Cred = shopifyCredential('churnShopChan002', 'Shopify channel store', shop2);
		await n8n.importCredentials([woo1Cred, shop1Cred, main2Cred, woo2Cred, shop2Cred]);
	});

	afterAll(async () => {
		const sims: Simulator[] = [woo1, shop1, main2, woo2, shop2].filter(Boolean);
		const byKind: Record<string, number> = {};
		for (const sim of sims) for (const [kind, n] of Object.entries(sim.faults.injected)) byKind[kind] = (byKind[kind] ?? 0) + n;
		recordReliability({
			id: 'inventoryChurn',
			title: 'Stock sync under churn: 30 SKUs, sales on both sides between and during runs, 10 % faults, two-way and one-way to two channels',
			test: 'test/e2e/reliability/inventoryChurn.test.ts',
			summary: { ...summary, faultsInjected: faultCount(sims), seconds: Math.round((Date.now() - started) / 1000) },
			figures: [
				...figures,
				...Object.entries(byKind).sort().map(([kind, n]): Figure => ({ name: `faults injected: ${kind}`, value: n })),
			],
			notes,
		});
		n8n?.dispose();
		await Promise.all(sims.map((sim) => sim.close()));
	});

	it('two-way sync under churn: every unit sold on either store is taken once from both, none lost and none twice, and the stores settle', async () => {
		const t0 = Date.now();
		const random = seededRandom(31);
		const skus = skus1;
		const moments = new Moments();
		const start = new Map<string, number>();
		const sold: Record<Side, Map<string, number>> = { main: new Map(), channel: new Map() };
		const sales: Array<{ round: number; side: Side; sku: string; units: number; when: string; during: boolean }> = [];
		let round = 0;
		const sell = (side: Side, sku: string, units: number, when: string): void => {
			if (!(side === 'main' ? sellOnWoo(woo1, sku, units) : sellOnShopify(shop1, sku, units))) return;
			add(sold[side], sku, units);
			sales.push({ round, side, sku, units, when, during: moments.running });
		};
		for (const sku of skus) {
			start.set(sku, intBetween(random, 60, 90));
			setWooStock(woo1, sku, start.get(sku) as number);
			setShopifyStock(shop1, sku, 0);
		}
		const workflow = chainWorkflow('churn two way', [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'woocommerce', locations: '', options: { skus: skus.join(',') } }, credentials: credentialRef(woo1Cred) },
			{ name: 'Rules', type: 'applyInventoryRules', parameters: { rules: { percentage: 100 } } },
			{
				name: 'Both Ways', type: 'syncInventoryBothWays',
				parameters: { channel: 'shopify', mainStore: 'woocommerce', channelLocation: 'Main warehouse', bookAt: '', matchBy: 'sku', dryRun: false, options: {} },
				credentials: { ...credentialRef(shop1Cred), ...credentialRef(woo1Cred) },
			},
		]);
		await n8n.importWorkflows([workflow]);

		// The first cycle sets the channel from the main store and takes the snapshot the next ones compare with.
		const first = await n8n.execute(workflow.id);
		expect(runError(first)).toBeUndefined();
		expect(skus.map((sku) => shopifyStock(shop1, sku))).toEqual(skus.map((sku) => start.get(sku)));

		const ROUNDS = 10;
		/** The round whose main-store booking loses its connection while the main store sells the same SKU. */
		const DROPPED_BOOKING_ROUND = 4;
		const droppedSku = skus[7];
		churnFaults(woo1, 311);
		churnFaults(shop1, 312);
		const churnMark = { requests: woo1.log.length + shop1.log.length, faults: faultCount([woo1, shop1]) };
		const rounds: Array<Json> = [];
		for (round = 1; round <= ROUNDS; round++) {
			const roundStart = Date.now();
			// Between runs: three sales on each store.
			for (let k = 0; k < 3; k++) sell('main', pick(random, skus), intBetween(random, 1, 3), 'between runs');
			for (let k = 0; k < 3; k++) sell('channel', pick(random, skus), intBetween(random, 1, 3), 'between runs');
			// During the run, drawn now so that the plan does not depend on timing.
			const atRead: Array<[Side, string, number]> = [['main', pick(random, skus), intBetween(random, 1, 2)], ['main', pick(random, skus), intBetween(random, 1, 2)], ['channel', pick(random, skus), intBetween(random, 1, 2)]];
			const atWrite: Array<[Side, string, number]> = [['channel', pick(random, skus), intBetween(random, 1, 2)], ['channel', pick(random, skus), intBetween(random, 1, 2)], ['main', pick(random, skus), intBetween(random, 1, 2)]];
			const onTimers: Array<[Side, string, number, number]> = [['main', pick(random, skus), intBetween(random, 1, 2), intBetween(random, 50, 2500)], ['channel', pick(random, skus), intBetween(random, 1, 2), intBetween(random, 50, 2500)]];
			if (round === DROPPED_BOOKING_ROUND) {
				// Two sell on the channel; the main store sells one after the node read it; the booking's connection drops.
				sell('channel', droppedSku, 2, 'between runs');
				atRead.push(['main', droppedSku, 1]);
				woo1.faults.clear();
				woo1.faults.add({ kind: 'drop', match: WOO_BATCH.source, times: 1 });
				churnFaults(woo1);
			}
			const timers: Array<Promise<void>> = [];
			// When the node reads the channel (after the main store was read), and when it first writes the channel.
			moments.arm('channel read', shop1, SHOPIFY_READ, () => atRead.forEach(([side, sku, units]) => sell(side, sku, units, 'at the channel read')));
			moments.arm('channel write', shop1, SHOPIFY_SET, () => atWrite.forEach(([side, sku, units]) => sell(side, sku, units, 'at the channel write')));
			// From the run's first read of the main store, at random delays: anywhere in the run, or just after it.
			moments.arm('timers', woo1, WOO_READ, () => {
				for (const [side, sku, units, ms] of onTimers) timers.push(later(ms, () => sell(side, sku, units, 'on a timer')));
			});
			const mark = { woo: woo1.log.length, shop: shop1.log.length, faults: faultCount([woo1, shop1]) };
			moments.running = true;
			const result = await n8n.execute(workflow.id);
			moments.running = false;
			await Promise.all(timers);
			const done = items(result, 'Both Ways', 0);
			const failed = items(result, 'Both Ways', 1);
			rounds.push({
				round, ok: result.ok, error: runError(result), seconds: (Date.now() - roundStart) / 1000,
				writes: { main: wooWrites(woo1, mark.woo), channel: shopifyWrites(shop1, mark.shop) }, faults: faultCount([woo1, shop1]) - mark.faults,
				booked: done.filter((j) => j.mainStore?.change).length,
				keptWhileWriting: done.filter((j) => (j.notes ?? []).some((n: string) => /while writing; the sale is kept/.test(n))).length,
				failed: failed.map((j) => ({ sku: j.sku, reason: String(j.reason ?? j.error ?? '') })),
			});
		}

		const churn = { requests: woo1.log.length + shop1.log.length - churnMark.requests, faults: faultCount([woo1, shop1]) - churnMark.faults };
		const dropped = rounds[DROPPED_BOOKING_ROUND - 1].failed.find((f: { sku: string }) => f.sku === droppedSku);
		// Faults off, no more sales: quiet rounds until one writes nothing on either side.
		moments.disarm();
		woo1.faults.clear();
		shop1.faults.clear();
		const quiet: Array<{ writes: number; failed: number }> = [];
		for (let q = 1; q <= 4; q++) {
			const mark = { woo: woo1.log.length, shop: shop1.log.length };
			const result = await n8n.execute(workflow.id);
			expect(runError(result)).toBeUndefined();
			quiet.push({ writes: wooWrites(woo1, mark.woo) + shopifyWrites(shop1, mark.shop), failed: items(result, 'Both Ways', 1).length });
			if (quiet[quiet.length - 1].writes === 0) break;
		}

		// The oracle: every SKU, on both stores, holds its starting stock less every unit sold on either.
		const failedSkus = new Map<string, string[]>();
		for (const r of rounds) for (const f of r.failed) failedSkus.set(f.sku, [...(failedSkus.get(f.sku) ?? []), `round ${r.round}: ${f.reason}`]);
		let duplicates = 0;
		let lost = 0;
		const mismatches = skus.flatMap((sku) => {
			const expected = (start.get(sku) as number) - (sold.main.get(sku) ?? 0) - (sold.channel.get(sku) ?? 0);
			const [w, s] = [wooStock(woo1, sku), shopifyStock(shop1, sku)];
			duplicates += Math.max(0, expected - w);
			lost += Math.max(0, w - expected);
			if (w === expected && s === expected) return [];
			return [`${sku}: expected ${expected} (${start.get(sku)} less ${sold.main.get(sku) ?? 0} sold in WooCommerce and ${sold.channel.get(sku) ?? 0} on Shopify), WooCommerce has ${w}, Shopify ${s}${failedSkus.has(sku) ? `; failed: ${(failedSkus.get(sku) as string[]).join(' | ')}` : ''}`];
		});

		const failureKinds: Record<string, number> = {};
		for (const r of rounds) for (const f of r.failed) failureKinds[failureKind(f.reason)] = (failureKinds[failureKind(f.reason)] ?? 0) + 1;
		const count = (side: Side, during: boolean) => sales.filter((s) => s.side === side && s.during === during);
		const units = (list: typeof sales) => list.reduce((sum, s) => sum + s.units, 0);
		const runs = rounds.length + quiet.length;
		summary.processed += skus.length * runs;
		summary.duplicates += duplicates;
		summary.lost += lost;
		summary.stockMismatches += mismatches.length;
		figures.push(
			{ name: 'two-way: SKUs', value: skus.length },
			{ name: 'two-way: churn rounds', value: ROUNDS },
			{ name: 'two-way: quiet rounds to settle', value: quiet.length, note: 'faults off, no sales; the last one must write nothing' },
			{ name: 'two-way: writes in the last quiet round', value: quiet[quiet.length - 1].writes, must: '0' },
			{ name: 'two-way: sales in WooCommerce (main) between runs', value: count('main', false).length, note: `${units(count('main', false))} units` },
			{ name: 'two-way: sales in WooCommerce (main) during runs', value: count('main', true).length, note: `${units(count('main', true))} units` },
			{ name: 'two-way: sales on Shopify (channel) between runs', value: count('channel', false).length, note: `${units(count('channel', false))} units` },
			{ name: 'two-way: sales on Shopify (channel) during runs', value: count('channel', true).length, note: `${units(count('channel', true))} units` },
			{ name: 'two-way: requests during churn', value: churn.requests, note: `${churn.faults} failed by injection (${((100 * churn.faults) / churn.requests).toFixed(1)} %)` },
			{ name: 'two-way: churn runs that failed', value: rounds.filter((r) => !r.ok).length, must: '0' },
			{
				name: `two-way: the booking dropped in round ${DROPPED_BOOKING_ROUND} while the main store sold the same SKU`, value: dropped ? failureKind(dropped.reason) : 'not on Failed',
				note: 'the connection of the WooCommerce inventory_delta batch drops before it is applied; 2 sold on the channel, 1 in the main store after the workflow read it',
			},
			{ name: 'two-way: channel bookings made in the main store', value: rounds.reduce((s, r) => s + r.booked, 0) },
			{ name: 'two-way: channel sales kept by compare-and-set while writing', value: rounds.reduce((s, r) => s + r.keptWhileWriting, 0) },
			{ name: 'two-way: writes per churn round (main / channel)', value: rounds.map((r) => `${r.writes.main}/${r.writes.channel}`).join(' ') },
			{ name: 'two-way: faults per churn round', value: rounds.map((r) => r.faults).join(' ') },
			{ name: 'two-way: seconds per churn round', value: rounds.map((r) => r.seconds.toFixed(1)).join(' ') },
			...Object.entries(failureKinds).map(([kind, n]): Figure => ({ name: `two-way: listings on Failed: ${kind}`, value: n })),
			{ name: 'two-way: units taken twice', value: duplicates, must: '0' },
			{ name: 'two-way: units sold but not taken', value: lost, must: '0' },
			{ name: 'two-way: SKUs whose stock differs from the oracle', value: mismatches.length, must: '0' },
			{ name: 'two-way: seconds', value: Math.round((Date.now() - t0) / 1000) },
		);
		for (const r of rounds) if (!r.ok) notes.push(`two-way round ${r.round} failed: ${r.error}`);
		notes.push(...mismatches.map((m) => `two-way mismatch: ${m}`));

		expect(mismatches).toEqual([]);
		expect(quiet[quiet.length - 1].writes).toBe(0);
		expect(rounds.filter((r) => !r.ok).map((r) => `round ${r.round}: ${r.error}`)).toEqual([]);
	}, 420_000);

	it('one-way sync under churn: every listing ends at the rules applied to the main store, a sale made while writing survives on Shopify and is corrected on WooCommerce, and a quiet round writes nothing', async () => {
		const t0 = Date.now();
		const random = seededRandom(32);
		const skus = skus2;
		const moments = new Moments();
		/** Apply Inventory Rules' settings below, computed here: 80 % rounded down, at most 60, 0 when the main store has 3 or fewer. */
		const rule = (main: number) => (main <= 3 ? 0 : Math.min(60, Math.floor((main * 80) / 100)));
		const main = new Map<string, number>();
		const changeMain = (sku: string, delta: number) => {
			const applied = Math.max(delta, -(main.get(sku) as number));
			moveShopifyStock(main2, sku, applied);
			add(main, sku, applied);
		};
		skus.forEach((sku, i) => {
			// A few SKUs near the threshold, so they cross it both ways.
			main.set(sku, i < 4 ? intBetween(random, 3, 6) : intBetween(random, 30, 100));
			setShopifyStock(main2, sku, main.get(sku) as number);
			setWooStock(woo2, sku, intBetween(random, 0, 40));
			setShopifyStock(shop2, sku, intBetween(random, 0, 40));
		});
		const base = chainWorkflow('churn one way', [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'shopify', locations: '', options: { skus: skus.join(',') } }, credentials: credentialRef(main2Cred) },
			{ name: 'Rules', type: 'applyInventoryRules', parameters: { rules: { percentage: 80, rounding: 'down', maximum: 60, threshold: 3 } } },
			{ name: 'To WooCommerce', type: 'updateChannelInventory', parameters: { channel: 'woocommerce', matchBy: 'sku', quantityField: 'channelQuantity', dryRun: false, options: {} }, credentials: credentialRef(woo2Cred) },
		]);
		// The rules feed both channels.
		const workflow = {
			...base,
			nodes: [...base.nodes, {
				id: 'n3', name: 'To Shopify', type: `${PACKAGE}.updateChannelInventory`, typeVersion: 1, position: [660, 200] as [number, number],
				parameters: { channel: 'shopify', channelLocation: 'Main warehouse', matchBy: 'sku', quantityField: 'channelQuantity', dryRun: false, options: {} },
				credentials: credentialRef(shop2Cred),
			}],
			connections: { ...base.connections, Rules: { main: [[{ node: 'To WooCommerce', type: 'main' as const, index: 0 }, { node: 'To Shopify', type: 'main' as const, index: 0 }]] } },
		};
		await n8n.importWorkflows([workflow]);
		const channels = [
			{ name: 'WooCommerce', node: 'To WooCommerce', stock: (sku: string) => wooStock(woo2, sku), sell: (sku: string, units: number) => sellOnWoo(woo2, sku, units) },
			{ name: 'Shopify', node: 'To Shopify', stock: (sku: string) => shopifyStock(shop2, sku), sell: (sku: string, units: number) => sellOnShopify(shop2, sku, units) },
		] as const;
		const listings = () => channels.flatMap((c) => skus.map((sku) => ({ channel: c.name, sku, shows: c.stock(sku) })));
		const off = () => listings().filter((l) => l.shows !== rule(main.get(l.sku) as number)).map((l) => `${l.channel} ${l.sku}: shows ${l.shows}, the rules give ${rule(main.get(l.sku) as number)} for the main store's ${main.get(l.sku)}`);

		const first = await n8n.execute(workflow.id);
		expect(runError(first)).toBeUndefined();
		expect(off()).toEqual([]);

		const ROUNDS = 8;
		churnFaults(main2, 321);
		churnFaults(woo2, 322);
		churnFaults(shop2, 323);
		const sims = [main2, woo2, shop2];
		const churnMark = { requests: sims.reduce((n, sim) => n + sim.log.length, 0), faults: faultCount(sims) };
		/** Units sold on the channels since the last round: their orders reach the main store (Push Order takes the stock) before the next. */
		let ordered = new Map<string, number>();
		const rounds: Array<Json> = [];
		const stats = { channelSales: 0, channelSalesDuring: 0, mainChanges: 0, kept: 0, overwritten: 0, waitedForNextRun: 0 };
		const afterRunMismatches: string[] = [];
		for (let round = 1; round <= ROUNDS; round++) {
			const roundStart = Date.now();
			for (const [sku, units] of ordered) changeMain(sku, -units);
			stats.mainChanges += ordered.size;
			ordered = new Map();
			for (let k = 0; k < 3; k++) {
				changeMain(pick(random, skus), -intBetween(random, 1, 4));
				stats.mainChanges++;
			}
			changeMain(pick(random, skus), intBetween(random, 5, 20));
			stats.mainChanges++;
			const target = new Map(skus.map((sku) => [sku, rule(main.get(sku) as number)]));
			const sell = (c: (typeof channels)[number], sku: string, units: number, afterRead?: Map<string, number>) => {
				if (!c.sell(sku, units)) return;
				add(ordered, sku, units);
				stats.channelSales++;
				if (moments.running) stats.channelSalesDuring++;
				if (afterRead) add(afterRead, sku, units);
			};
			// One sale on each channel between runs.
			for (const c of channels) sell(c, pick(random, skus), intBetween(random, 1, 2));
			// During the run: one as each Update Channel Inventory starts reading its channel (the read sees it), two
			// as its first write arrives (after the read: on Shopify the write is refused as stale and sent again
			// with the sale kept; WooCommerce overwrites it). A sale that would take the listing under 0 once the
			// rules' quantity is written is not made, so the quantity kept is exactly the target less the units.
			const afterRead = new Map(channels.map((c) => [c.name, new Map<string, number>()]));
			for (const [c, readMatch, writeMatch, sim] of [[channels[0], WOO_READ, WOO_BATCH, woo2], [channels[1], SHOPIFY_READ, SHOPIFY_SET, shop2]] as const) {
				const atRead: [string, number] = [pick(random, skus), intBetween(random, 1, 2)];
				const atWrite: Array<[string, number]> = [[pick(random, skus), intBetween(random, 1, 2)], [pick(random, skus), intBetween(random, 1, 2)]];
				moments.arm(`${c.name} read`, sim, readMatch, () => sell(c, atRead[0], atRead[1]));
				moments.arm(`${c.name} write`, sim, writeMatch, () => {
					for (const [sku, units] of atWrite) if ((target.get(sku) as number) - (afterRead.get(c.name)?.get(sku) ?? 0) >= units) sell(c, sku, units, afterRead.get(c.name));
				});
			}
			const mark = { woo: woo2.log.length, shop: shop2.log.length, main: main2.log.length, faults: faultCount([main2, woo2, shop2]) };
			moments.running = true;
			const result = await n8n.execute(workflow.id);
			moments.running = false;

			// Every listing the run reports done holds the rules' quantity, less what sold after the node read it
			// (on WooCommerce, a listing written in that batch holds the rules' quantity: the sale was overwritten).
			const outcome: Json = {};
			for (const c of channels) {
				const done = new Map(items(result, c.node, 0).map((j) => [j.sku as string, j]));
				const soldAfterRead = afterRead.get(c.name) as Map<string, number>;
				for (const sku of skus) {
					const o = done.get(sku);
					if (!o || (o.action !== 'updated' && o.action !== 'unchanged')) continue;
					const units = soldAfterRead.get(sku) ?? 0;
					const overwritten = c.name === 'WooCommerce' && o.action === 'updated' && units > 0;
					const expected = (target.get(sku) as number) - (overwritten ? 0 : units);
					if (units > 0) {
						if (overwritten) stats.overwritten += units;
						else if (c.name === 'Shopify') stats.kept += units;
						else stats.waitedForNextRun += units;
					}
					if (c.stock(sku) !== expected) afterRunMismatches.push(`round ${round}, ${c.name} ${sku}: ${c.stock(sku)} after the run, expected ${expected} (rules ${target.get(sku)}, ${units} sold after the read, ${o.action})`);
				}
				outcome[c.name] = {
					written: items(result, c.node, 0).filter((j) => j.action === 'updated').length,
					failed: items(result, c.node, 1).map((j) => `${j.sku}: ${String(j.reason ?? j.error ?? '')}`),
				};
			}
			rounds.push({
				round, ok: result.ok, error: runError(result), seconds: (Date.now() - roundStart) / 1000, outcome,
				writes: { woo: wooWrites(woo2, mark.woo), shopify: shopifyWrites(shop2, mark.shop), main: shopifyWrites(main2, mark.main) },
				faults: faultCount([main2, woo2, shop2]) - mark.faults,
			});
		}

		const churn = { requests: sims.reduce((n, sim) => n + sim.log.length, 0) - churnMark.requests, faults: faultCount(sims) - churnMark.faults };
		// The last round's channel orders reach the main store; faults off; quiet rounds until one writes nothing.
		moments.disarm();
		for (const [sku, units] of ordered) changeMain(sku, -units);
		for (const sim of [main2, woo2, shop2]) sim.faults.clear();
		const quiet: number[] = [];
		for (let q = 1; q <= 4; q++) {
			const mark = { woo: woo2.log.length, shop: shop2.log.length };
			const result = await n8n.execute(workflow.id);
			expect(runError(result)).toBeUndefined();
			quiet.push(wooWrites(woo2, mark.woo) + shopifyWrites(shop2, mark.shop));
			if (quiet[quiet.length - 1] === 0) break;
		}

		const mismatches = off();
		const mainOff = skus.filter((sku) => shopifyStock(main2, sku) !== main.get(sku)).map((sku) => `main store ${sku}: ${shopifyStock(main2, sku)}, expected ${main.get(sku)}`);
		const runs = rounds.length + quiet.length;
		summary.processed += skus.length * channels.length * runs;
		summary.stockMismatches += mismatches.length + mainOff.length;
		const failedListings = rounds.reduce((s, r) => s + r.outcome.WooCommerce.failed.length + r.outcome.Shopify.failed.length, 0);
		figures.push(
			{ name: 'one-way: listings (SKUs × channels)', value: skus.length * channels.length },
			{ name: 'one-way: churn rounds', value: ROUNDS },
			{ name: 'one-way: quiet rounds to settle', value: quiet.length, note: 'faults off, no sales; the last one must write nothing' },
			{ name: 'one-way: writes in the last quiet round', value: quiet[quiet.length - 1], must: '0' },
			{ name: 'one-way: main-store stock changes between rounds', value: stats.mainChanges, note: 'sales, restocks and the channels\' orders reaching the main store' },
			{ name: 'one-way: channel sales', value: stats.channelSales, note: `${stats.channelSalesDuring} during runs` },
			{ name: 'one-way: Shopify channel sales after the read kept by compare-and-set', value: stats.kept, unit: 'units' },
			{ name: 'one-way: WooCommerce channel sales overwritten by the write (no compare-and-set), corrected the next run', value: stats.overwritten, unit: 'units' },
			{ name: 'one-way: WooCommerce channel sales after the read on listings not written that run', value: stats.waitedForNextRun, unit: 'units' },
			{ name: 'one-way: listings off the expected quantity right after a run', value: afterRunMismatches.length, must: '0' },
			{ name: 'one-way: requests during churn', value: churn.requests, note: `${churn.faults} failed by injection (${((100 * churn.faults) / churn.requests).toFixed(1)} %)` },
			{ name: 'one-way: churn runs that failed', value: rounds.filter((r) => !r.ok).length, must: '0' },
			{ name: 'one-way: listings on Failed during churn (written again later)', value: failedListings },
			{ name: 'one-way: writes per churn round (WooCommerce / Shopify channel / main store)', value: rounds.map((r) => `${r.writes.woo}/${r.writes.shopify}/${r.writes.main}`).join(' ') },
			{ name: 'one-way: faults per churn round', value: rounds.map((r) => r.faults).join(' ') },
			{ name: 'one-way: seconds per churn round', value: rounds.map((r) => r.seconds.toFixed(1)).join(' ') },
			{ name: 'one-way: listings whose final quantity differs from the rules applied to the main store', value: mismatches.length, must: '0' },
			{ name: 'one-way: seconds', value: Math.round((Date.now() - t0) / 1000) },
		);
		for (const r of rounds) if (!r.ok) notes.push(`one-way round ${r.round} failed: ${r.error}`);
		notes.push(...afterRunMismatches.map((m) => `one-way: ${m}`), ...mismatches.map((m) => `one-way mismatch: ${m}`), ...mainOff.map((m) => `one-way: ${m}`));
		if (stats.overwritten > 0) {
			notes.push(`WooCommerce channel: ${stats.overwritten} unit(s) sold between the node's read and its batch write were overwritten by the rules' quantity (its REST API cannot compare-and-set); the channel offered them again until the order reached the main store and the next run wrote the lower figure.`);
		}

		expect(mismatches).toEqual([]);
		expect(mainOff).toEqual([]);
		expect(afterRunMismatches).toEqual([]);
		expect(quiet[quiet.length - 1]).toBe(0);
		expect(rounds.filter((r) => !r.ok).map((r) => `round ${r.round}: ${r.error}`)).toEqual([]);
	}, 420_000);
});
