/**
 * Site time as WordPress keeps it: every date twice, in the site's timezone and in GMT, both as
 * "YYYY-MM-DDTHH:MM:SS" without a zone designator, at one-second resolution
 * (https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties: date_created vs date_created_gmt).
 * Because both forms are fixed-width, comparing the strings compares the instants.
 */
// Builtins bound once per module: under jest every global lookup crosses the vm context's interceptor (~1 µs).
const { floor, round } = Math;

/** Site timezone: 'UTC', a manual offset as WordPress allows ('UTC+2', 'UTC-5:30', '+02:00') or an IANA name. */
export class SiteTime {
	readonly timezone: string;

	private readonly fixedOffset: number | undefined;
	private readonly format: Intl.DateTimeFormat | undefined;
	private readonly cache = new Map<number, number>();

	constructor(timezone = 'UTC') {
		this.timezone = timezone;
		this.fixedOffset = parseFixedOffset(timezone);
		if (this.fixedOffset === undefined) {
			// Throws a RangeError for an unknown zone, which is what a caller passing a typo should see.
			this.format = new Intl.DateTimeFormat('en-US', {
				timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
				hour: '2-digit', minute: '2-digit', second: '2-digit',
			});
		}
	}

	/** Minutes east of UTC at an instant. IANA offsets are cached per quarter hour (DST changes on those). */
	offsetMinutes(utcMs: number): number {
		if (this.fixedOffset !== undefined) return this.fixedOffset;
		const bucket = floor(utcMs / 900_000);
		const hit = this.cache.get(bucket);
		if (hit !== undefined) return hit;
		const at = bucket * 900_000;
		const parts: Record<string, number> = {};
		for (const p of this.format!.formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
		const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
		const offset = round((wall - at) / 60_000);
		this.cache.set(bucket, offset);
		return offset;
	}

	/** "YYYY-MM-DDTHH:MM:SS" in GMT. */
	gmt(utcMs: number): string {
		return isoSeconds(utcMs);
	}

	/** "YYYY-MM-DDTHH:MM:SS" in the site's timezone. */
	local(utcMs: number): string {
		const offset = this.offsetMinutes(utcMs);
		return offset === 0 ? isoSeconds(utcMs) : isoSeconds(utcMs + offset * 60_000);
	}

	/** A wall-clock time in the site's zone (its digits read as if UTC) → the instant. */
	wallToUtc(wallMs: number): number {
		let guess = wallMs - this.offsetMinutes(wallMs) * 60_000;
		guess = wallMs - this.offsetMinutes(guess) * 60_000;
		return guess;
	}
}

function parseFixedOffset(timezone: string): number | undefined {
	const tz = timezone.trim();
	if (/^(UTC|GMT|Z)$/i.test(tz)) return 0;
	const hm = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(tz);
	if (hm) return (hm[1] === '-' ? -1 : 1) * (Number(hm[2]) * 60 + Number(hm[3] ?? 0));
	const decimal = /^(?:UTC|GMT)([+-]\d{1,2}(?:\.\d+)?)$/i.exec(tz); // WordPress stores manual offsets as gmt_offset 5.5
	if (decimal) return round(Number(decimal[1]) * 60);
	return undefined;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
let lastSecond = NaN;
let lastText = '';

/**
 * Whole-second ISO without zone: what WooCommerce prints for every date. Hand-rolled (days → civil date,
 * H. Hinnant's algorithm) and memoised for the last second: the seed formats millions of these.
 */
export function isoSeconds(ms: number): string {
	const secs = floor(ms / 1000);
	if (secs === lastSecond) return lastText;
	const days = floor(secs / 86400);
	const sod = secs - days * 86400;
	const z = days + 719468;
	const era = floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
	const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
	const mp = floor((5 * doy + 2) / 153);
	const d = doy - floor((153 * mp + 2) / 5) + 1;
	const m = mp < 10 ? mp + 3 : mp - 9;
	const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
	const hh = floor(sod / 3600);
	const mi = floor((sod - hh * 3600) / 60);
	lastSecond = secs;
	lastText = `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}T${pad2(hh)}:${pad2(mi)}:${pad2(sod % 60)}`;
	return lastText;
}

/** Reads "YYYY-MM-DDTHH:MM:SS" (no zone) as GMT. */
export function gmtToMs(value: string): number {
	return Date.parse(`${value}Z`);
}

/** rest_parse_date's pattern (wp-includes/rest-api.php): a date AND a time are required, the zone is optional. */
const REST_DATE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([Zz]|[+-]\d{2}(?::\d{2})?)?$/;

/**
 * A `date-time` query parameter (after, before, modified_after, modified_before) as WordPress compares it:
 * rest_parse_date validates it, then WP_Date_Query::build_mysql_datetime() reads it with
 * `date_create($value, wp_timezone())` and formats it back in the SITE's zone at whole seconds. So a value
 * without a zone is taken as written, and a value with a zone ("Z", "+02:00") is converted to site-local
 * wall-clock time — even when it is then compared with a *_gmt column (dates_are_gmt=true). On a UTC site
 * the two readings agree. Returns null when WordPress would answer "Invalid date.".
 */
export function dateParamToSiteWall(value: string, time: SiteTime): string | null {
	const m = REST_DATE.exec(value);
	if (!m) return null;
	const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 59) return null; // strtotime() rejects these
	const wall = Date.UTC(y, mo - 1, d, h, mi, s); // day overflow rolls over, as strtotime() does
	const zone = m[7];
	if (!zone) return isoSeconds(wall);
	const offset = /^[Zz]$/.test(zone) ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6) || 0));
	return time.local(wall - offset * 60_000);
}
