/**
 * A marketplace as the end-to-end marketplace test drives it: its simulator, its credential as n8n holds
 * it after the consent, and where to look in the simulator's state. One file per marketplace beside this.
 */
import type { CredentialFixture } from '../../e2e/harness/n8n';
import type { Simulator } from '../../simulators/common/server';
import type { SalesChannel } from '../../../platforms/channel';

/** What the test needs of a marketplace and its simulator, so every marketplace runs the same cases. */
export interface Marketplace<S extends Simulator> {
	label: string;
	channel: string;
	credentialName: string;
	start(): Promise<S>;
	/** A small store for `npm run demo`: a day of orders from `start` (ISO), on a fixed port. */
	demo(start: string, port: number): Promise<S>;
	/** The credential as n8n holds it after the OAuth2 consent: an access token and a refresh token. */
	credential(sim: S, id: string, name: string): CredentialFixture;
	/** Every order id the simulator holds (all fall inside the test's window). */
	orderIds(sim: S): string[];
	cancelledIds(sim: S): string[];
	/** Ids of orders whose tax the marketplace collected. */
	marketplaceTaxedIds(sim: S): string[];
	/** The status the marketplace answers an expired access token with (401 when absent; Amazon: 403). */
	expiredStatus?: number;
	expireTokens(sim: S): void;
	revokeRefreshTokens(sim: S): void;
	tokenPath: string;
	/** The method the credential renews its token with (POST when absent; TikTok Shop's token refresh is a GET). */
	tokenMethod?: string;
	/** The SKUs of the listings Update Channel Inventory writes, and their quantities on the channel now. */
	listingStock(sim: S): Map<string, number>;
	/** Requests that wrote stock since log entry `from`. */
	stockWrites(sim: S, from: number): number;
	/**
	 * Checks the stock writes since log entry `from` against the marketplace's batch rules, given the SKUs
	 * Update Channel Inventory reported as updated (and their listing ids).
	 */
	checkBatches(sim: S, from: number, updated: Array<{ sku: string; listingId: string }>): void;
	/** The channel class, over plain fetch, to read an order as our model (to push it into the main store). */
	reader(sim: S): SalesChannel;
	/** A new paid order of one line, as a buyer places it. */
	newOrder(sim: S): string;
	/** The tracking numbers on the marketplace order, one per call that wrote one. */
	trackingOn(sim: S, orderId: string): string[];
	/** How often the buyer was told about a shipment (Etsy emails on every tracking call; eBay on each fulfillment). */
	buyerNotices(sim: S, orderId: string): number;
	trackingPath: RegExp;
}
