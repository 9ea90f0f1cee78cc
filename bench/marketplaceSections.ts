/**
 * The marketplaces in real n8n, one section each (`npm run bench -- marketplace`, or `-- marketplace-etsy`):
 *  1. Fetch Channel Orders reads 10,000 orders of the window from the marketplace's simulator: seconds
 *     (the whole run and n8n's own time of the node), requests made (the simulator's log) against the
 *     fewest the page size allows, and seconds against the floor the platform's rate limit allows for
 *     that many requests (burst included). Every order must come once: a wrong count fails the section.
 *  2. Get Main Store Inventory (a Shopify main store whose variants carry the marketplace's SKUs, without
 *     a rate limit so the figure is the marketplace's) → Update Channel Inventory writes 10,000 listings
 *     (SKUs: one listing of Update Channel Inventory per SKU), every one changed: requests against the
 *     fewest the batch sizes allow, seconds against the rate-limit floor, the channel's stock checked
 *     against the main store's afterwards, then a second run that must write nothing.
 * Where a real limit would make a run take hours here (Amazon searchOrders restores one request every
 * ~179 s; Amazon patches and Etsy requests would take half an hour), the simulator's limit is scaled by a
 * stated factor, the client learns it from the answers' headers as it would a raised limit, and the floor
 * is computed from the same scaled limit; the note gives the factor and the floor at the real rate.
 *
 * No comparison: n8n ships no eBay, Etsy, Amazon Selling Partner or TikTok Shop node; the alternative
 * inside n8n is the HTTP Request node with the paging, pacing, token refresh and (TikTok) signing built
 * by hand, which is not a tool to compare against.
 */
import { credentialRef, shopifyCredential } from '../test/e2e/harness/fixtures';
import { N8nInstance } from '../test/e2e/harness/n8n';
import type { ExecutionResult } from '../test/e2e/harness/n8n';
import { UNDER_TEST, chainWorkflow, feedItems } from '../test/e2e/harness/workflow';
import type { Simulator } from '../test/simulators/common/server';
import { startAmazonSimulator } from '../test/simulators/amazon';
import type { AmazonSimulator } from '../test/simulators/amazon';
import { startEbaySimulator } from '../test/simulators/ebay';
import type { EbaySimulator } from '../test/simulators/ebay';
import { startEtsySimulator } from '../test/simulators/etsy';
import type { EtsySimulator } from '../test/simulators/etsy';
import { startShopifySimulator } from '../test/simulators/shopify';
import { startTikTokSimulator } from '../test/simulators/tiktok';
import type { TikTokSimulator } from '../test/simulators/tiktok';
import { amazon } from '../test/support/marketplaces/amazon';
import { ebay } from '../test/support/marketplaces/ebay';
import { etsy } from '../test/support/marketplaces/etsy';
import { tiktok } from '../test/support/marketplaces/tiktok';
import type { Marketplace } from '../test/support/marketplaces/types';
import { giveShopifySkus } from '../test/support/stock';
import { median, round } from './harness';
import type { BenchFigure, BenchSection } from './harness';

const ORDERS = 10_000;
const LISTINGS = 10_000;
/** Minutes of simulated history per order: 10,000 orders span about a week, all before "now". */
const SPACING_SECONDS = 60;
const RUN_TIMEOUT_MS = 20 * 60_000;
const N8N_ENV = { N8N_RUNNERS_MAX_PAYLOAD: String(1024 * 1024 * 1024), N8N_PAYLOAD_SIZE_MAX: '1024' };
const UNLIMITED = { restoreRate: 1e7, bucketSize: 1e7 };

/** The first seeded order: the whole history ends two days before now. */
const historyStart = () => new Date(Date.now() - (ORDERS * SPACING_SECONDS + 2 * 86_400) * 1000).toISOString();

/** Seconds a sliding one-second window of `perSecond` requests needs for `n` requests (the first `perSecond` at once). */
const windowFloor = (n: number, perSecond: number) => Math.floor(Math.max(0, n - 1) / perSecond);
/** Seconds a token bucket (burst, rate per second, starting full) needs for `n` requests. */
const bucketFloor = (n: number, plan: { rate: number; burst: number }) => Math.max(0, n - plan.burst) / plan.rate;

const fmt = (n: number) => n.toLocaleString('en');
const duration = (s: number) => (s >= 5400 ? `${round(s / 3600, 1)} h` : s >= 120 ? `${round(s / 60, 1)} min` : `${round(s, 1)} s`);

function ok(result: ExecutionResult): ExecutionResult {
	if (!result.ok) throw new Error(`run failed: ${result.error?.message ?? result.stdout.slice(-1500)}`);
	return result;
}

const apiEntries = (sim: Simulator, from: number, to = sim.log.length) => sim.log.slice(from, to).filter((e) => !e.path.startsWith('/__sim'));

interface Floor {
	/** Seconds, at the limits the simulator ran with. */
	seconds: number;
	/** How it was computed, with the factor and the real-rate floor where scaled. */
	note: string;
}

interface MarketBench<S extends Simulator> {
	id: string;
	title: string;
	market: Marketplace<S>;
	/** Where the credential's token refresh goes (not counted as an API request). */
	ordersSim(start: string): Promise<S>;
	ordersPerPage: number;
	ordersFloor(sim: S, fewest: number): Promise<Floor>;
	stockSim(): Promise<S>;
	/** The quantities the main store will hold: every SKU different from the channel's now. */
	targets(sim: S, skus: string[], stock: Map<string, number>): Map<string, number>;
	/** The fewest requests the API allows for writing these SKUs, and what the pack's client design needs. */
	fewestStock(sim: S, skus: string[]): { fewest: number; fewestNote: string; design?: number; designNote?: string };
	stockFloor(sim: S, requests: number, skus: string[]): Promise<Floor>;
	/** Said once in the section: limits, factors, what differs. */
	note: string;
}

/** Shifts every quantity by 1–37, wrapped under `cap`, so no SKU keeps its quantity. */
const shifted = (skus: string[], stock: Map<string, number>, cap: number) => new Map(skus.map((sku, i) => [sku, ((stock.get(sku) ?? 0) + 1 + (i % 37)) % cap]));

async function fetchOrders<S extends Simulator>(b: MarketBench<S>): Promise<BenchFigure[]> {
	const since = new Date(Date.parse(historyStart()) - 86_400_000).toISOString();
	const sim = await b.ordersSim(historyStart());
	const n8n = N8nInstance.create(N8N_ENV);
	try {
		const cred = b.market.credential(sim, `bench${b.market.channel}Ord`.padEnd(16, '0').slice(0, 16), `${b.market.label} orders`);
		await n8n.importCredentials([cred]);
		const workflow = feedItems(`bench fetch ${b.market.channel}`, [{}], {
			type: 'fetchChannelOrders', parameters: { channel: b.market.channel, by: 'updated', range: 'since', since, options: {} }, credentials: credentialRef(cred),
		});
		await n8n.importWorkflows([workflow]);
		const from = sim.log.length;
		const result = ok(await n8n.execute(workflow.id, RUN_TIMEOUT_MS));
		const orders = result.json(UNDER_TEST);
		const ids = orders.map((o) => String(o.channelOrderId));
		const expected = new Set(b.market.orderIds(sim));
		const unique = new Set(ids);
		const foreign = [...unique].filter((id) => !expected.has(id));
		if (expected.size !== ORDERS || ids.length !== ORDERS || unique.size !== ORDERS || foreign.length > 0) {
			throw new Error(`${b.market.label}: expected each of ${ORDERS} orders once; the simulator holds ${expected.size}, n8n emitted ${ids.length} items, ${unique.size} distinct, ${foreign.length} unknown`);
		}
		const entries = apiEntries(sim, from);
		const token = entries.filter((e) => e.path === b.market.tokenPath);
		const api = entries.filter((e) => e.path !== b.market.tokenPath);
		const throttled = api.filter((e) => e.status === 429).length;
		const span = api.length > 1 ? (api[api.length - 1].at - api[0].at) / 1000 : 0;
		const fewest = Math.ceil(ORDERS / b.ordersPerPage);
		const floor = await b.ordersFloor(sim, fewest);
		const node = result.nodeTime(UNDER_TEST) / 1000;
		return [
			{ name: 'orders: read once each', value: unique.size, unit: 'orders', goal: '10000, none twice, none missing', note: `${ids.length} items out; checked against the simulator's order ids` },
			{ name: 'orders: Fetch Channel Orders node time (n8n)', value: round(node), unit: 's', goal: '≤ 1.15 × floor', note: `whole n8n run ${round(result.measured.wallMs / 1000, 1)} s (start-up included); first to last request ${round(span, 1)} s` },
			{ name: 'orders: requests', value: api.length, unit: 'requests', note: `fewest: ${fewest} (${b.ordersPerPage} orders a page); ${throttled} answered 429; ${token.length} token requests besides` },
			{ name: 'orders: rate-limit floor', value: round(floor.seconds), unit: 's', note: floor.note },
			{ name: 'orders: node time against the floor', value: floor.seconds > 0 ? round(node / floor.seconds) : 'n/a', unit: floor.seconds > 0 ? '×' : '', note: `peak n8n memory ${round(result.measured.peakRssKb / 1024, 0)} MiB` },
		];
	} finally {
		n8n.dispose();
		await sim.close();
	}
}

async function updateListings<S extends Simulator>(b: MarketBench<S>): Promise<BenchFigure[]> {
	const sim = await b.stockSim();
	const stock = b.market.listingStock(sim);
	const skus = [...stock.keys()].slice(0, LISTINGS);
	if (skus.length !== LISTINGS) throw new Error(`${b.market.label}: the simulator holds ${skus.length} SKUs, not ${LISTINGS}`);
	const want = b.targets(sim, skus, stock);
	const shopify = await startShopifySimulator({ orders: 0, products: Math.ceil(LISTINGS / 2) + 200, variantsPerProduct: 2, seed: 301, ...UNLIMITED });
	const n8n = N8nInstance.create(N8N_ENV);
	try {
		const variants = shopify.store.variants.filter((v) => !v.requiresComponents);
		if (variants.length < skus.length) throw new Error(`the Shopify main store has ${variants.length} variants for ${skus.length} SKUs`);
		giveShopifySkus(shopify, skus, variants);
		const levelsOf = new Map<(typeof shopify.store.inventoryLevels)[number]['inventoryItemId'], typeof shopify.store.inventoryLevels>();
		for (const level of shopify.store.inventoryLevels) levelsOf.set(level.inventoryItemId, [...(levelsOf.get(level.inventoryItemId) ?? []), level]);
		const items = new Map(shopify.store.inventoryItems.map((i) => [i.id, i]));
		skus.forEach((sku, i) => {
			const variant = variants[i];
			const item = items.get(variant.inventoryItemId);
			if (item) item.tracked = true;
			const quantity = want.get(sku) ?? 0;
			(levelsOf.get(variant.inventoryItemId) ?? []).forEach((level, k) => Object.assign(level, { available: k === 0 ? quantity : 0, onHand: k === 0 ? quantity : 0, committed: 0 }));
		});
		const cred = b.market.credential(sim, `bench${b.market.channel}Stk`.padEnd(16, '0').slice(0, 16), `${b.market.label} stock`);
		const mainCred = shopifyCredential(`benchMkt${b.market.channel}Main`.padEnd(16, '0').slice(0, 16), 'Shopify main store', shopify);
		await n8n.importCredentials([cred, mainCred]);
		const workflow = chainWorkflow(`bench stock to ${b.market.channel}`, [
			{ name: 'Main Stock', type: 'getMainStoreInventory', parameters: { mainStore: 'shopify', locations: '', options: { skus: skus.join(',') } }, credentials: credentialRef(mainCred) },
			{ name: 'Update', type: 'updateChannelInventory', parameters: { channel: b.market.channel, matchBy: 'sku', quantityField: 'quantity', dryRun: false, options: {} }, credentials: credentialRef(cred) },
		]);
		await n8n.importWorkflows([workflow]);

		const from = sim.log.length;
		const first = ok(await n8n.execute(workflow.id, RUN_TIMEOUT_MS));
		const to = sim.log.length;
		const writes = b.market.stockWrites(sim, from);
		const entries = apiEntries(sim, from, to).filter((e) => e.path !== b.market.tokenPath);
		const throttled = entries.filter((e) => e.status === 429).length;
		const done = first.json('Update', 0);
		const failed = first.json('Update', 1);
		const updated = done.filter((j) => j.action === 'updated').length;
		const after = b.market.listingStock(sim);
		const wrong = skus.filter((sku) => after.get(sku) !== want.get(sku));
		if (wrong.length > 0 || updated !== LISTINGS) {
			throw new Error(`${b.market.label}: ${updated} listings reported updated, ${failed.length} failed; ${wrong.length} SKUs differ from the main store afterwards (e.g. ${wrong.slice(0, 3).map((s) => `${s}: ${after.get(s)} ≠ ${want.get(s)}`).join(', ')}); first failure: ${JSON.stringify(failed[0] ?? {}).slice(0, 300)}`);
		}
		const { fewest, fewestNote, design, designNote } = b.fewestStock(sim, skus);
		const floor = await b.stockFloor(sim, fewest, skus);
		const designFloor = design !== undefined ? await b.stockFloor(sim, design, skus) : undefined;
		const node = first.nodeTime('Update') / 1000;

		const again = sim.log.length;
		const second = ok(await n8n.execute(workflow.id, RUN_TIMEOUT_MS));
		const secondWrites = b.market.stockWrites(sim, again);
		const secondRequests = apiEntries(sim, again).filter((e) => e.path !== b.market.tokenPath).length;
		return [
			{ name: 'listings: updated, channel = main store afterwards', value: updated, unit: 'listings', goal: '10000', note: `${failed.length} failed; all ${fmt(skus.length)} SKUs checked on the simulator` },
			{ name: 'listings: Update Channel Inventory node time (n8n)', value: round(node, 1), unit: 's', goal: '≤ 1.15 × floor', note: `whole n8n run ${round(first.measured.wallMs / 1000, 1)} s (start-up included); Get Main Store Inventory ${round(first.nodeTime('Main Stock') / 1000, 1)} s; peak n8n memory ${round(first.measured.peakRssKb / 1024, 0)} MiB` },
			{ name: 'listings: requests', value: entries.length, unit: 'requests', note: `${writes} stock writes, ${entries.length - writes} reads; ${throttled} answered 429` },
			{ name: 'listings: fewest requests the API allows', value: fewest, unit: 'requests', note: fewestNote },
			...(design !== undefined ? [{ name: 'listings: requests the client\'s read-before-write needs', value: design, unit: 'requests', note: designNote }] : []),
			{ name: 'listings: rate-limit floor (fewest requests)', value: round(floor.seconds, 1), unit: 's', note: floor.note },
			{ name: 'listings: node time against the floor', value: floor.seconds > 0 ? round(node / floor.seconds) : 'n/a', unit: floor.seconds > 0 ? '×' : '' },
			...(designFloor ? [{ name: 'listings: node time against the floor of the client\'s requests', value: designFloor.seconds > 0 ? round(node / designFloor.seconds) : 'n/a', unit: '×', note: `floor ${round(designFloor.seconds, 1)} s for ${design} requests` }] : []),
			{ name: 'listings: second run writes', value: secondWrites, unit: 'writes', goal: '0', note: `${secondRequests} requests, node ${round(second.nodeTime('Update') / 1000, 1)} s, ${second.json('Update', 0).filter((j) => j.action === 'unchanged').length} unchanged` },
		];
	} finally {
		n8n.dispose();
		await sim.close();
		await shopify.close();
	}
}

function section<S extends Simulator>(b: MarketBench<S>): BenchSection {
	return {
		id: b.id,
		title: b.title,
		async run() {
			const orders = await fetchOrders(b);
			const listings = await updateListings(b);
			return [...orders, ...listings, { name: 'limits and comparison', value: '', unit: '', note: `${b.note} No comparison: n8n has no built-in ${b.market.label} node.` }];
		},
	};
}

// ---- eBay: no per-second limit (daily call quotas), so the floor is the fewest requests at the server's own time ----

const ebayAuth = (sim: EbaySimulator) => ({ authorization: `Bearer ${sim.issueToken()}` });

const EBAY: MarketBench<EbaySimulator> = {
	id: 'marketplace-ebay',
	title: 'eBay in real n8n: 10,000 orders fetched, 10,000 listings updated (Fulfillment and Inventory APIs)',
	market: ebay,
	ordersSim: (start) => startEbaySimulator({ orders: ORDERS, items: 40, seed: 311, orderSpacingMs: SPACING_SECONDS * 1000, start }),
	ordersPerPage: 200,
	async ordersFloor(sim, fewest) {
		const page = sim.log.find((e) => e.label === 'getOrders' && e.status === 200);
		const ms = await median(9, () => fetch(`${sim.url}${page?.path}${page?.query}`, { headers: ebayAuth(sim) }).then((r) => r.text()));
		return { seconds: (fewest * ms) / 1000, note: `eBay has daily call quotas, no per-second limit: ${fewest} pages one after another at the simulator's median ${round(ms, 1)} ms for the same page` };
	},
	stockSim: () => startEbaySimulator({ orders: 0, items: LISTINGS, seed: 312 }),
	targets: (_sim, skus, stock) => shifted(skus, stock, 100_000),
	fewestStock: (_sim, skus) => {
		const reads = Math.ceil(skus.length / 200);
		const writes = Math.ceil(skus.length / 25);
		return { fewest: reads + writes, fewestNote: `${reads} inventory_item pages of 200 + ${writes} bulk_update_price_quantity calls of 25` };
	},
	async stockFloor(sim, requests, skus) {
		const readMs = await median(7, () => fetch(`${sim.url}/sell/inventory/v1/inventory_item?limit=200&offset=7`, { headers: ebayAuth(sim) }).then((r) => r.text()));
		const batch = skus.slice(0, 25).map((sku) => ({ sku, shipToLocationAvailability: { quantity: sim.store.items.find((i) => i.sku === sku)?.quantity ?? 0 } }));
		const writeMs = await median(5, () => fetch(`${sim.url}/sell/inventory/v1/bulk_update_price_quantity`, { method: 'POST', headers: { ...ebayAuth(sim), 'content-type': 'application/json' }, body: JSON.stringify({ requests: batch }) }).then((r) => r.text()));
		const reads = Math.ceil(skus.length / 200);
		return { seconds: (reads * readMs + (requests - reads) * writeMs) / 1000, note: `no per-second limit: ${reads} reads × ${round(readMs, 1)} ms + ${requests - reads} bulk calls × ${round(writeMs, 1)} ms (simulator medians); eBay's revision limit (250 a listing a day) is not reached` };
	},
	note: 'eBay: daily call quotas per API, no per-second limit (unlimited in the simulator); 200 orders a page, 25 SKUs a bulk call.',
};

// ---- Etsy: 10 requests per second (sliding), 10,000 a day ----

const ETSY_FACTOR = 10;

function etsyListingsOf(sim: EtsySimulator, skus: string[]) {
	const wanted = new Set(skus);
	return [...sim.store.listings.values()].filter((l) => ['active', 'sold_out', 'inactive'].includes(l.state) && l.inventory.products.some((p) => !p.is_deleted && wanted.has(p.sku)));
}

function etsyPages(sim: EtsySimulator): number {
	return ['active', 'sold_out', 'inactive'].reduce((n, state) => n + Math.max(1, Math.ceil([...sim.store.listings.values()].filter((l) => l.state === state).length / 100)), 0);
}

const ETSY: MarketBench<EtsySimulator> = {
	id: 'marketplace-etsy',
	title: 'Etsy in real n8n: 10,000 receipts fetched, 10,000 listing products updated (Open API v3, 10 requests/s)',
	market: etsy,
	ordersSim: (start) => startEtsySimulator({ receipts: ORDERS, listings: 14, seed: 321, spacingSeconds: SPACING_SECONDS, start }),
	ordersPerPage: 100,
	async ordersFloor(_sim, fewest) {
		return { seconds: windowFloor(fewest, 10), note: `Etsy's real 10 requests/s (not scaled): the first 10 at once, then 10 a second: ${fewest} requests ≥ ${windowFloor(fewest, 10)} s` };
	},
	// Listings of one, three and six products in turn: 3,000 listings hold 10,000 SKUs.
	stockSim: () => startEtsySimulator({ receipts: 0, listings: 3000, seed: 322, perSecond: 10 * ETSY_FACTOR }),
	targets(sim, skus, stock) {
		// Products that share one quantity (a listing without quantity_on_property) all get the same new one.
		const out = new Map<string, number>();
		etsyListingsOf(sim, skus).forEach((l, i) => {
			for (const p of l.inventory.products.filter((x) => !x.is_deleted)) out.set(p.sku, ((stock.get(p.sku) ?? 0) + 1 + (i % 37)) % 1000);
		});
		return out;
	},
	fewestStock(sim, skus) {
		const listings = etsyListingsOf(sim, skus).length;
		const pages = etsyPages(sim);
		return {
			fewest: pages + listings,
			fewestNote: `${pages} getListingsByShop pages of 100 with their inventory (three states) + one inventory PUT per listing (${fmt(listings)} listings hold the ${fmt(skus.length)} products)`,
			design: pages + 2 * listings,
			designNote: 'plus a fresh GET of each listing\'s inventory right before its PUT: the PUT replaces every product, so the pack reads the listing again to keep a sale made since the page read (a compare-and-set Etsy does not offer)',
		};
	},
	async stockFloor(_sim, requests) {
		return {
			seconds: windowFloor(requests, 10 * ETSY_FACTOR),
			note: `simulator at ${10 * ETSY_FACTOR} requests/s (Etsy's 10 × ${ETSY_FACTOR}; the client paces by Etsy's x-limit-per-second): ${requests} requests; at the real 10/s the floor is ${duration(windowFloor(requests, 10))}, and the daily quota of 10,000 requests is the real bound`,
		};
	},
	note: `Etsy: 10 requests/s and 10,000 a day per app; receipts read at the real rate, listings at ${ETSY_FACTOR} × (100/s) with the real daily quota. 10,000 products in 3,000 listings take ~6,000 requests of the day's 10,000 (read-before-write doubles the PUTs); 10,000 one-product listings would need ~20,000, two days of quota.`,
};

// ---- Amazon: token buckets per operation ----

const AMAZON_ORDER_FACTOR = 300;
const AMAZON_LISTING_FACTOR = 20;
const AMAZON_REAL = { searchOrders: { rate: 0.0056, burst: 20 }, searchListingsItems: { rate: 5, burst: 5 }, patchListingsItem: { rate: 5, burst: 5 }, getListingsItem: { rate: 5, burst: 10 } };
const scaled = (plan: { rate: number; burst: number }, factor: number) => ({ rate: plan.rate * factor, burst: plan.burst });

const AMAZON: MarketBench<AmazonSimulator> = {
	id: 'marketplace-amazon',
	title: 'Amazon SP-API in real n8n: 10,000 orders fetched (searchOrders), 10,000 listings updated (patchListingsItem)',
	market: amazon,
	ordersSim: (start) => startAmazonSimulator({
		orders: ORDERS, listings: 40, seed: 331, spacingMs: SPACING_SECONDS * 1000, start,
		plans: { searchOrders: scaled(AMAZON_REAL.searchOrders, AMAZON_ORDER_FACTOR) },
	}),
	ordersPerPage: 100,
	async ordersFloor(_sim, fewest) {
		const plan = scaled(AMAZON_REAL.searchOrders, AMAZON_ORDER_FACTOR);
		return {
			seconds: bucketFloor(fewest, plan),
			note: `searchOrders at ${round(plan.rate, 2)}/s, burst ${plan.burst} (the documented 0.0056/s × ${AMAZON_ORDER_FACTOR}): (${fewest} − ${plan.burst}) ÷ ${round(plan.rate, 2)}; at the real rate the floor is ${duration(bucketFloor(fewest, AMAZON_REAL.searchOrders))}`,
		};
	},
	async stockSim() {
		const sim = await startAmazonSimulator({
			orders: 0, listings: LISTINGS, seed: 332,
			plans: {
				searchListingsItems: scaled(AMAZON_REAL.searchListingsItems, AMAZON_LISTING_FACTOR),
				patchListingsItem: scaled(AMAZON_REAL.patchListingsItem, AMAZON_LISTING_FACTOR),
				getListingsItem: scaled(AMAZON_REAL.getListingsItem, AMAZON_LISTING_FACTOR),
			},
		});
		// Every listing merchant-fulfilled: an Amazon-fulfilled (FBA) SKU takes no quantity from the seller.
		for (const l of sim.store.listings) l.channel = 'DEFAULT';
		return sim;
	},
	targets: (_sim, skus, stock) => shifted(skus, stock, 100_000),
	fewestStock: (_sim, skus) => {
		const reads = Math.ceil(skus.length / 20);
		return { fewest: reads + skus.length, fewestNote: `${reads} searchListingsItems by SKU (20 identifiers a call) + one patchListingsItem per SKU (${fmt(skus.length)})` };
	},
	async stockFloor(_sim, requests, skus) {
		const reads = Math.ceil(skus.length / 20);
		const search = scaled(AMAZON_REAL.searchListingsItems, AMAZON_LISTING_FACTOR);
		const patch = scaled(AMAZON_REAL.patchListingsItem, AMAZON_LISTING_FACTOR);
		const seconds = bucketFloor(reads, search) + bucketFloor(requests - reads, patch);
		const real = bucketFloor(reads, AMAZON_REAL.searchListingsItems) + bucketFloor(requests - reads, AMAZON_REAL.patchListingsItem);
		return { seconds, note: `reads then patches, each bucket at ${AMAZON_LISTING_FACTOR} × its documented rate (searchListingsItems and patchListingsItem 5/s → 100/s, bursts 5): ${round(bucketFloor(reads, search), 1)} s + ${round(bucketFloor(requests - reads, patch), 1)} s; at the real rates ${duration(real)}` };
	},
	note: `Amazon: a token bucket per operation; searchOrders scaled × ${AMAZON_ORDER_FACTOR}, the Listings Items operations × ${AMAZON_LISTING_FACTOR}; bursts as documented. The client learns the scaled rate from x-amzn-RateLimit-Limit, as it would a raised usage plan.`,
};

// ---- TikTok Shop: a per-second limit answered with 429 ----

const TIKTOK_PER_SECOND = 50;

const TIKTOK: MarketBench<TikTokSimulator> = {
	id: 'marketplace-tiktok',
	title: 'TikTok Shop in real n8n: 10,000 orders fetched, 10,000 SKUs updated (Open API 202309)',
	market: tiktok,
	ordersSim: (start) => startTikTokSimulator({ orders: ORDERS, products: 20, seed: 341, spacingSeconds: SPACING_SECONDS, start, perSecond: TIKTOK_PER_SECOND }),
	ordersPerPage: 100,
	async ordersFloor(_sim, fewest) {
		return { seconds: windowFloor(fewest, TIKTOK_PER_SECOND), note: `${TIKTOK_PER_SECOND} requests/s (the simulator's throttle; TikTok throttles per API without a figure in PLATFORMS.md): ${fewest} requests` };
	},
	// Products of one, two and three SKUs in turn: 5,001 products hold 10,002 SKUs, the first 10,000 are synced.
	stockSim: () => startTikTokSimulator({ orders: 0, products: 5001, seed: 342, perSecond: TIKTOK_PER_SECOND }),
	targets: (_sim, skus, stock) => shifted(skus, stock, 99_999),
	fewestStock(sim, skus) {
		const wanted = new Set(skus);
		const products = sim.store.products.filter((p) => p.skus.some((s) => wanted.has(s.seller_sku))).length;
		return {
			fewest: 1 + products,
			fewestNote: `one inventory search (every product) + one inventory update per product (${fmt(products)} products)`,
			design: 1 + 2 * products,
			designNote: 'plus a search of each product\'s SKUs right before its update (read-before-write: TikTok offers no compare-and-set)',
		};
	},
	async stockFloor(_sim, requests) {
		return { seconds: windowFloor(requests, TIKTOK_PER_SECOND), note: `${TIKTOK_PER_SECOND} requests/s (simulator default, not scaled): ${requests} requests` };
	},
	note: `TikTok Shop: the simulator throttles at ${TIKTOK_PER_SECOND} requests/s with 429 (not scaled); the client does not pace, it backs off on 429.`,
};

export const MARKETPLACE_SECTIONS: BenchSection[] = [section(EBAY), section(ETSY), section(AMAZON), section(TIKTOK)];
