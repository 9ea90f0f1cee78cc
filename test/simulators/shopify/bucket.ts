/**
 * Shopify's leaky buckets (https://shopify.dev/docs/api/usage/limits#the-leaky-bucket-algorithm), in real
 * time. GraphQL: a bucket of points that refills continuously at the restore rate; a query needs its
 * requested cost available, is charged that, and gets back the difference to its actual cost
 * (https://shopify.dev/docs/api/admin-graphql/latest#rate-limits). REST: a bucket of 40 requests that
 * leaks 2 per second on the Standard plan (https://shopify.dev/docs/api/admin-rest/usage/rate-limits).
 */

export interface ThrottleStatus {
	maximumAvailable: number;
	currentlyAvailable: number;
	restoreRate: number;
}

/** Points available for GraphQL queries. */
export class CostBucket {
	private available: number;
	private at: number;

	constructor(
		public size: number,
		public restoreRate: number,
		private readonly now: () => number = Date.now,
	) {
		this.available = size;
		this.at = now();
	}

	/** Another plan's limits from now on, the bucket full (benchmarks seed a store fast, then measure at the plan's rate). */
	configure(size: number, restoreRate: number): void {
		this.size = size;
		this.restoreRate = restoreRate;
		this.reset();
	}

	private refill(): void {
		const t = this.now();
		this.available = Math.min(this.size, this.available + ((t - this.at) / 1000) * this.restoreRate);
		this.at = t;
	}

	/** Charges `cost` if that much is available; false (nothing charged) when the query must be throttled. */
	take(cost: number): boolean {
		this.refill();
		if (cost > this.available) return false;
		this.available -= cost;
		return true;
	}

	/** Returns points charged but not used (requested minus actual cost). */
	refund(points: number): void {
		this.refill();
		this.available = Math.min(this.size, this.available + points);
	}

	status(): ThrottleStatus {
		this.refill();
		return { maximumAvailable: this.size, currentlyAvailable: Math.floor(this.available), restoreRate: this.restoreRate };
	}

	reset(): void {
		this.available = this.size;
		this.at = this.now();
	}
}

/** Requests in flight for the REST API: each adds one, the bucket leaks `leakPerSecond`. */
export class RequestBucket {
	private level = 0;
	private at: number;

	constructor(
		readonly size = 40,
		readonly leakPerSecond = 2,
		private readonly now: () => number = Date.now,
	) {
		this.at = now();
	}

	private leak(): void {
		const t = this.now();
		this.level = Math.max(0, this.level - ((t - this.at) / 1000) * this.leakPerSecond);
		this.at = t;
	}

	/** Adds a request; false when the bucket is full (the request is rejected with 429 and not counted). */
	add(): boolean {
		this.leak();
		if (this.level + 1 > this.size) return false;
		this.level += 1;
		return true;
	}

	/** The X-Shopify-Shop-Api-Call-Limit header value, e.g. "3/40". */
	header(): string {
		this.leak();
		return `${Math.min(this.size, Math.ceil(this.level))}/${this.size}`;
	}

	reset(): void {
		this.level = 0;
		this.at = this.now();
	}
}
