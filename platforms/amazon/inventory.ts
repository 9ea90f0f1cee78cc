/**
 * Amazon listings and their quantities for the inventory nodes, through the Listings Items API 2021-08-01.
 * There is no spec file for it in shared/reference: this follows Amazon's public Listings Items reference
 * and its "Merge a listing" tutorial (developer-docs.amazon.com/sp-api/docs/listings-items-api-v2021-08-01-reference,
 * .../docs/merge-a-listing), found through the docs search.
 *
 * Reading: searchListingsItems by SKU (identifiersType=SKU, up to 20 identifiers a call, commas in a SKU
 * cannot be escaped there, so such a SKU is read alone with getListingsItem), or every listing of the
 * seller, 20 a page sorted by SKU, with includedData summaries (title, ASIN, product type, BUYABLE /
 * DISCOVERABLE) and fulfillmentAvailability (the quantity per fulfilment channel). Amazon pages a search to
 * 1,000 results at most: beyond that, give the SKUs.
 *
 * Writing: patchListingsItem of `/attributes/fulfillment_availability` with the JSON Patch `merge` op, which
 * sets the quantity of the `DEFAULT` (merchant-fulfilled) channel and leaves the handling time and restock
 * date as they are (a `replace` would drop them). Only changes are sent: a quantity the listing already
 * has costs no call. A SKU stocked by Amazon (FBA: its channel code is AMAZON_NA, AMAZON_EU, ...) is
 * reported not writable: its quantity is what Amazon holds in its fulfilment centres.
 * Amazon takes a patch as a submission (ACCEPTED, or INVALID with issues) and applies it within minutes;
 * it offers no compare-and-set, so a sale between read and write is caught by the next run.
 * A patch whose answer was lost is looked up (the listing read again), never sent twice blindly.
 */
import type { Clock, HttpTransport } from '../http';
import type { ChannelInventory, ChannelListing, ListingState, ListingWrite, ListingWriteResult } from '../inventory';
import { PlatformError, describeError } from '../errors';
import { UnknownOutcomeError } from '../retry';
import { AmazonClient, LISTINGS_PATH, amazonBaseUrl, amazonMarketplaceIds, amazonStoreId, AMAZON_CREDENTIAL_NAME } from './client';
import type { AmazonClientOptions, AmazonConnection } from './client';

/** The merchant-fulfilled channel code of fulfillment_availability. */
export const MERCHANT_CHANNEL = 'DEFAULT';
/** searchListingsItems takes at most 20 identifiers and returns at most 20 items a page. */
export const AMAZON_LISTINGS_PAGE = 20;

export interface AmazonListingSummary {
	marketplaceId: string;
	asin?: string;
	productType?: string;
	conditionType?: string;
	status?: string[];
	itemName?: string;
	fnSku?: string;
}

export interface AmazonListingsItem {
	sku: string;
	summaries?: AmazonListingSummary[];
	fulfillmentAvailability?: Array<{ fulfillmentChannelCode: string; quantity?: number }>;
}

interface SearchPage {
	numberOfResults?: number;
	pagination?: { nextToken?: string };
	items?: AmazonListingsItem[];
}

interface SubmissionResponse {
	sku?: string;
	status?: 'ACCEPTED' | 'INVALID' | 'VALID';
	submissionId?: string;
	issues?: Array<{ code?: string; message?: string; severity?: string }>;
}

export class AmazonChannelInventory implements ChannelInventory {
	readonly platform = 'Amazon';
	readonly statusLevel = 'listing';
	readonly storeId: string;
	readonly client: AmazonClient;
	/** The marketplace whose listings are read and written (the credential's first). */
	readonly marketplaceId: string;
	private readonly sellerId: string;

	constructor(transport: HttpTransport, clock: Clock, connection: AmazonConnection, options: AmazonClientOptions = {}) {
		const base = amazonBaseUrl(connection.region, connection.baseUrl);
		this.client = new AmazonClient(transport, clock, base, options);
		this.marketplaceId = amazonMarketplaceIds(connection.marketplaceIds)[0];
		this.storeId = amazonStoreId(base, connection.sellerId);
		this.sellerId = (connection.sellerId ?? '').trim();
	}

	private seller(): string {
		if (!this.sellerId) {
			throw new PlatformError('Amazon', 'the Listings Items API needs the seller id (merchant token)', undefined, 'commerce_sync_config',
				`Put your Merchant Token (Seller Central, Settings, Account Info) in Seller ID of "${AMAZON_CREDENTIAL_NAME}".`);
		}
		return encodeURIComponent(this.sellerId);
	}

	listing(item: AmazonListingsItem): ChannelListing {
		const summary = item.summaries?.find((s) => s.marketplaceId === this.marketplaceId) ?? item.summaries?.[0];
		const availability = item.fulfillmentAvailability ?? [];
		const merchant = availability.find((a) => a.fulfillmentChannelCode === MERCHANT_CHANNEL);
		const amazon = availability.filter((a) => a.fulfillmentChannelCode !== MERCHANT_CHANNEL);
		const quantity = merchant ? (merchant.quantity ?? null) : amazon.length > 0 ? amazon.reduce((s, a) => s + (a.quantity ?? 0), 0) : null;
		const statuses = summary?.status ?? [];
		const state: ListingState = !statuses.includes('BUYABLE') && (quantity ?? 0) > 0 ? 'inactive' : (quantity ?? 0) > 0 ? 'active' : 'outOfStock';
		let notWritable: string | null = null;
		if (!merchant && amazon.length > 0) {
			notWritable = `fulfilled by Amazon (${amazon.map((a) => a.fulfillmentChannelCode).join(', ')}): its stock is what Amazon holds in its fulfilment centres, which only a shipment to Amazon changes`;
		} else if (!summary?.productType) {
			notWritable = 'without a product type in this marketplace; Amazon needs it to change the listing';
		}
		return {
			listingId: item.sku,
			sku: item.sku,
			barcode: null,
			handle: summary?.asin ?? null,
			title: summary?.itemName ?? item.sku,
			quantity,
			managed: true,
			state,
			shown: statuses.includes('DISCOVERABLE'),
			location: null,
			parentId: null,
			notWritable,
			target: { sku: item.sku, productType: summary?.productType ?? '', marketplaceId: this.marketplaceId },
		};
	}

	private search(qs: Record<string, string | number>): Promise<SearchPage> {
		return this.client.request<SearchPage>('searchListingsItems', 'GET', `${LISTINGS_PATH}/${this.seller()}`, {
			qs: { marketplaceIds: this.marketplaceId, includedData: 'summaries,fulfillmentAvailability', pageSize: AMAZON_LISTINGS_PAGE, ...qs },
		});
	}

	private async item(sku: string): Promise<AmazonListingsItem | null> {
		const response = await this.client.send('getListingsItem', 'GET', `${LISTINGS_PATH}/${this.seller()}/${encodeURIComponent(sku)}`, {
			qs: { marketplaceIds: this.marketplaceId, includedData: 'summaries,fulfillmentAvailability' }, accept: [404],
		});
		return response.status === 404 ? null : (response.body as AmazonListingsItem);
	}

	async *listings(options: { skus: string[] }): AsyncIterable<ChannelListing[]> {
		const skus = [...new Set(options.skus.map((s) => s.trim()).filter(Boolean))];
		if (skus.length === 0) {
			let token: string | undefined;
			do {
				const page = await this.search({ sortBy: 'sku', sortOrder: 'ASC', ...(token ? { pageToken: token } : {}) });
				if ((page.items ?? []).length > 0) yield (page.items ?? []).map((i) => this.listing(i));
				token = page.pagination?.nextToken || undefined;
			} while (token);
			return;
		}
		const plain = skus.filter((s) => !s.includes(','));
		for (let i = 0; i < plain.length; i += AMAZON_LISTINGS_PAGE) {
			const chunk = plain.slice(i, i + AMAZON_LISTINGS_PAGE);
			const page = await this.search({ identifiersType: 'SKU', identifiers: chunk.join(',') });
			const wanted = new Set(chunk);
			const items = (page.items ?? []).filter((it) => wanted.has(it.sku));
			if (items.length > 0) yield items.map((it) => this.listing(it));
		}
		// SP-API cannot tell an encoded comma from a separator: SKUs with commas are read one by one.
		for (const sku of skus.filter((s) => s.includes(','))) {
			const item = await this.item(sku);
			if (item) yield [this.listing(item)];
		}
	}

	async refresh(listings: ChannelListing[]): Promise<ChannelListing[]> {
		const out: ChannelListing[] = [];
		for (const l of listings) {
			const item = await this.item(l.target.sku ?? l.listingId);
			if (item) out.push(this.listing(item));
		}
		return out;
	}

	async write(writes: ListingWrite[]): Promise<ListingWriteResult[]> {
		const results = new Map<ListingWrite, ListingWriteResult>();
		const ok = (w: ListingWrite) => results.set(w, { listingId: w.listing.listingId, ok: true });
		const fail = (w: ListingWrite, error: string, extra: Partial<ListingWriteResult> = {}) => results.set(w, { listingId: w.listing.listingId, ok: false, error, ...extra });
		const bySku = new Map<string, ListingWrite>();
		for (const w of writes) {
			if (w.show !== undefined && w.quantity === null) {
				fail(w, 'Amazon shows and hides offers in Seller Central (or by deleting the offer), which this node does not do; set a quantity of 0 to stop sales');
				continue;
			}
			if (w.quantity === null || w.quantity === w.listing.quantity) {
				// Changes only: a quantity the listing already has costs no call.
				ok(w);
				continue;
			}
			if (w.listing.notWritable) {
				fail(w, `the listing is ${w.listing.notWritable}`);
				continue;
			}
			if (!Number.isInteger(w.quantity) || w.quantity < 0) {
				fail(w, `${w.quantity} is not a quantity Amazon takes (a whole number, 0 or more)`);
				continue;
			}
			const sku = w.listing.target.sku ?? w.listing.listingId;
			const earlier = bySku.get(sku);
			if (earlier) fail(earlier, `replaced by a later write of SKU ${sku} in the same run`);
			bySku.set(sku, w);
		}
		// One patch per SKU: patchListingsItem changes one listing; the client paces them at 5 per second.
		for (const [sku, w] of bySku) {
			const body = {
				productType: w.listing.target.productType,
				patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: MERCHANT_CHANNEL, quantity: w.quantity as number }] }],
			};
			const outcome = await this.client.request<SubmissionResponse>('patchListingsItem', 'PATCH', `${LISTINGS_PATH}/${this.seller()}/${encodeURIComponent(sku)}`, {
				qs: { marketplaceIds: w.listing.target.marketplaceId || this.marketplaceId }, body, write: true,
			}).then((answer) => answer, (error: unknown) => (error instanceof Error ? error : new Error(String(error))));
			if (outcome instanceof UnknownOutcomeError) {
				await this.lookUp(w, ok, fail);
			} else if (outcome instanceof Error) {
				fail(w, outcome instanceof PlatformError ? describeError(outcome) : outcome.message);
			} else if (outcome.status === 'ACCEPTED' || outcome.status === 'VALID') {
				ok(w);
			} else {
				const issues = (outcome.issues ?? []).filter((i) => i.severity === 'ERROR').map((i) => `${i.message ?? ''}${i.code ? ` (${i.code})` : ''}`).filter(Boolean);
				fail(w, `Amazon refused the change (${outcome.status ?? 'no status'}): ${issues.join('; ') || 'no reason given'}`);
			}
		}
		return writes.map((w) => results.get(w) ?? { listingId: w.listing.listingId, ok: false, error: 'not written' });
	}

	/** After a lost answer: the quantity is there, or it is reported (Amazon may still be applying it), never re-sent. */
	private async lookUp(w: ListingWrite, ok: (w: ListingWrite) => void, fail: (w: ListingWrite, error: string, extra?: Partial<ListingWriteResult>) => void): Promise<void> {
		let now: AmazonListingsItem | null;
		try {
			now = await this.item(w.listing.target.sku ?? w.listing.listingId);
		} catch (error) {
			fail(w, `Amazon did not answer the change and the listing could not be read again (${describeError(error)}); the next run looks before writing`);
			return;
		}
		const quantity = now ? this.listing(now).quantity : null;
		if (quantity === w.quantity) ok(w);
		else fail(w, 'Amazon did not answer the change and the listing does not show the quantity yet (Amazon applies changes within minutes); it was not sent again blindly, the next run looks first', { current: quantity });
	}
}
