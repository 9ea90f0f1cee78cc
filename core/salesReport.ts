/**
 * Sales Report (LitCommerce's Sale Reports): orders per channel, top products, daily totals, a chart and
 * an HTML table. Money is summed per currency and never across currencies unless the user gives rates.
 * Pure: no n8n, no I/O; day boundaries follow the chosen IANA time zone.
 */
import { InputError } from './errors';
import { currencyExponent, fromMinor, parseRate, divideHalfUp } from './money';
import type { Order } from './model';

export interface ReportOptions {
	/** Inclusive start and exclusive end (ISO instants). */
	from: string;
	to: string;
	timeZone: string;
	/** Only these channels; empty = all. */
	channels: string[];
	/** Only orders in these statuses (open, completed, cancelled); empty = all. */
	statuses: string[];
	/** Split each channel's figures by order status. */
	byStatus: boolean;
	topProducts: number;
	/** Convert everything into this currency with `rates` (1 unit of key currency = rate units of it). */
	reportCurrency?: string;
	rates?: Record<string, string>;
}

export interface MoneyByCurrency {
	[currency: string]: number;
}

export interface ChannelFigures {
	channel: string;
	orders: number;
	/** Minor units per currency. */
	totals: MoneyByCurrency;
	byStatus?: Record<string, { orders: number; totals: MoneyByCurrency }>;
}

export interface ProductFigures {
	sku: string;
	title: string;
	units: number;
	revenue: MoneyByCurrency;
	channels: string[];
}

export interface DayFigures {
	date: string;
	channel: string;
	orders: number;
	totals: MoneyByCurrency;
}

export interface SalesReport {
	from: string;
	to: string;
	timeZone: string;
	ordersCounted: number;
	ordersSkipped: number;
	currencies: string[];
	channels: ChannelFigures[];
	topProducts: ProductFigures[];
	daily: DayFigures[];
}

/** YYYY-MM-DD of an instant in a time zone. One formatter per zone, reused. */
export function dayFormatter(timeZone: string): (ms: number) => string {
	const format = dateFormat(timeZone);
	if (!format) throw new InputError('timeZone', `"${timeZone}" is not a time zone`, 'use an IANA name such as Europe/Berlin or America/New_York');
	// Orders cluster in few days: cache by the hour so 100,000 orders need only a few hundred formats.
	const cache = new Map<number, string>();
	return (ms: number) => {
		const hour = Math.floor(ms / 3_600_000);
		let day = cache.get(hour);
		if (day === undefined) {
			day = format.format(new Date(hour * 3_600_000 + 1));
			cache.set(hour, day);
		}
		return day;
	};
}

function dateFormat(timeZone: string): Intl.DateTimeFormat | undefined {
	try {
		return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
	} catch {
		return undefined;
	}
}

function add(target: MoneyByCurrency, currency: string, amount: number): void {
	target[currency] = (target[currency] ?? 0) + amount;
}

export function buildSalesReport(orders: Iterable<Order>, options: ReportOptions): SalesReport {
	const from = Date.parse(options.from);
	const to = Date.parse(options.to);
	if (Number.isNaN(from) || Number.isNaN(to)) throw new InputError('dateRange', 'is not a pair of dates', 'give a start and end date');
	if (to <= from) throw new InputError('dateRange', 'ends before it starts', 'choose an end date after the start date');
	const day = dayFormatter(options.timeZone);
	const channelFilter = new Set(options.channels);
	const statusFilter = new Set(options.statuses);
	const convert = options.reportCurrency ? converter(options.reportCurrency, options.rates ?? {}) : undefined;

	const channels = new Map<string, ChannelFigures>();
	const products = new Map<string, ProductFigures & { channelSet: Set<string> }>();
	const daily = new Map<string, DayFigures>();
	const currencies = new Set<string>();
	let counted = 0;
	let skipped = 0;
	for (const order of orders) {
		const placed = Date.parse(order.createdAt);
		if (!(placed >= from && placed < to)) continue;
		if (channelFilter.size && !channelFilter.has(order.channel)) continue;
		if (statusFilter.size && !statusFilter.has(order.status)) continue;
		let currency = order.currency;
		let total = order.totals.total;
		if (convert) {
			const converted = convert(order.currency, total);
			if (converted === undefined) {
				skipped++;
				continue;
			}
			currency = options.reportCurrency as string;
			total = converted;
		}
		counted++;
		currencies.add(currency);
		let figures = channels.get(order.channel);
		if (!figures) {
			figures = { channel: order.channel, orders: 0, totals: {}, ...(options.byStatus ? { byStatus: {} } : {}) };
			channels.set(order.channel, figures);
		}
		figures.orders++;
		add(figures.totals, currency, total);
		if (figures.byStatus) {
			const s = (figures.byStatus[order.status] ??= { orders: 0, totals: {} });
			s.orders++;
			add(s.totals, currency, total);
		}
		const date = day(placed);
		const dayKey = `${date}|${order.channel}`;
		let d = daily.get(dayKey);
		if (!d) {
			d = { date, channel: order.channel, orders: 0, totals: {} };
			daily.set(dayKey, d);
		}
		d.orders++;
		add(d.totals, currency, total);
		for (const line of order.lines) {
			const key = line.sku ?? `(no SKU) ${line.title}`;
			let p = products.get(key);
			if (!p) {
				p = { sku: line.sku ?? '', title: line.title, units: 0, revenue: {}, channels: [], channelSet: new Set() };
				products.set(key, p);
			}
			p.units += line.quantity;
			const revenue = line.unitPrice * line.quantity - line.discount;
			add(p.revenue, currency, convert ? (convert(order.currency, revenue) ?? 0) : revenue);
			p.channelSet.add(order.channel);
		}
	}
	const top = [...products.values()]
		.sort((a, b) => b.units - a.units || a.sku.localeCompare(b.sku))
		.slice(0, options.topProducts)
		.map(({ channelSet, ...p }) => ({ ...p, channels: [...channelSet].sort() }));
	return {
		from: new Date(from).toISOString(),
		to: new Date(to).toISOString(),
		timeZone: options.timeZone,
		ordersCounted: counted,
		ordersSkipped: skipped,
		currencies: [...currencies].sort(),
		channels: [...channels.values()].sort((a, b) => a.channel.localeCompare(b.channel)),
		topProducts: top,
		daily: [...daily.values()].sort((a, b) => a.date.localeCompare(b.date) || a.channel.localeCompare(b.channel)),
	};
}

/** Converts minor units of one currency into minor units of the report currency, exactly (half up). */
function converter(target: string, rates: Record<string, string>): (currency: string, minor: number) => number | undefined {
	const targetExp = currencyExponent(target, 'reportCurrency');
	const parsed = new Map<string, { num: bigint; den: bigint; exp: number }>();
	for (const [code, rate] of Object.entries(rates)) {
		// parseRate reads a decimal "percentage"; ×100 turns it back into a plain factor.
		const r = parseRate(rate, `rates.${code}`);
		parsed.set(code, { num: r.numerator * 100n, den: r.denominator, exp: currencyExponent(code, `rates.${code}`) });
	}
	return (currency, minor) => {
		if (currency === target) return minor;
		const r = parsed.get(currency);
		if (!r) return undefined;
		// minor / 10^exp × rate × 10^targetExp
		const sign = minor < 0 ? -1n : 1n;
		const num = BigInt(Math.abs(minor)) * r.num * 10n ** BigInt(targetExp);
		const den = r.den * 10n ** BigInt(r.exp);
		return Number(sign * divideHalfUp(num, den));
	};
}

/** "1,234.50 USD; 99 JPY" */
export function formatTotals(totals: MoneyByCurrency): string {
	const parts = Object.keys(totals)
		.sort()
		.map((c) => `${groupThousands(fromMinor(totals[c], c))} ${c}`);
	return parts.length ? parts.join('; ') : '0';
}

function groupThousands(decimal: string): string {
	const [int, frac] = decimal.split('.');
	const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** The instant a calendar day (YYYY-MM-DD) starts in a time zone, DST included. */
export function zonedMidnight(date: string, timeZone: string): number {
	const [y, m, d] = date.split('-').map(Number);
	const guess = Date.UTC(y, m - 1, d);
	const wall = (instant: number) => {
		const parts = new Intl.DateTimeFormat('en-US', {
			timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
		}).formatToParts(new Date(instant));
		const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
		return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	};
	let instant = guess - (wall(guess) - guess);
	instant = guess - (wall(instant) - instant); // second pass settles a DST change between guess and result
	return instant;
}

export type RangeType = 'lastDays' | 'today' | 'yesterday' | 'custom';

/** The [from, to) of a "last N days" style shortcut, whole local days, today included. */
export function resolveRange(type: RangeType, now: number, timeZone: string, days = 7, custom?: { from: string; to: string }): { from: string; to: string } {
	if (type === 'custom') {
		if (!custom) throw new InputError('dateRange', 'needs a start and an end', 'fill in From and To');
		return { from: custom.from, to: custom.to };
	}
	const today = dayFormatter(timeZone)(now);
	const startOfToday = zonedMidnight(today, timeZone);
	const shift = (day: string, by: number) => {
		const [y, m, d] = day.split('-').map(Number);
		return new Date(Date.UTC(y, m - 1, d + by)).toISOString().slice(0, 10);
	};
	const tomorrow = zonedMidnight(shift(today, 1), timeZone);
	if (type === 'today') return { from: new Date(startOfToday).toISOString(), to: new Date(tomorrow).toISOString() };
	if (type === 'yesterday') return { from: new Date(zonedMidnight(shift(today, -1), timeZone)).toISOString(), to: new Date(startOfToday).toISOString() };
	if (!Number.isInteger(days) || days < 1) throw new InputError('days', `${days} is not a number of days`, 'give 1 or more');
	return { from: new Date(zonedMidnight(shift(today, -(days - 1)), timeZone)).toISOString(), to: new Date(tomorrow).toISOString() };
}
