/**
 * Draws a SalesReport: an SVG line chart of daily totals per channel and an HTML table for email
 * (inline styles only, as mail clients ignore style sheets). Our own code, no dependencies.
 */
import { currencyExponent } from './money';
import type { SalesReport } from './salesReport';
import { dayFormatter, formatTotals } from './salesReport';

const PALETTE = ['#2f6fed', '#f2994a', '#27ae60', '#eb5757', '#9b51e0', '#00a3a3', '#c9a400', '#6d6d6d'];

export function escapeXml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Every calendar day of the report's range in its time zone. */
export function reportDays(report: SalesReport): string[] {
	const day = dayFormatter(report.timeZone);
	const days: string[] = [];
	const end = Date.parse(report.to);
	for (let t = Date.parse(report.from); t < end; t += 3_600_000) {
		const d = day(t);
		if (days[days.length - 1] !== d) days.push(d);
	}
	return days;
}

/** A "nice" axis step (1, 2 or 5 × 10^n) giving about `ticks` ticks up to `max`. */
function niceStep(max: number, ticks: number): number {
	const raw = max / ticks;
	const power = 10 ** Math.floor(Math.log10(raw));
	const f = raw / power;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** The currency the chart draws: the only one, or the one with the most orders. */
export function chartCurrency(report: SalesReport): string | undefined {
	const count = new Map<string, number>();
	for (const d of report.daily) for (const c of Object.keys(d.totals)) count.set(c, (count.get(c) ?? 0) + d.orders);
	return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

export function renderChartSvg(report: SalesReport, size = { width: 800, height: 360 }): string {
	const { width, height } = size;
	const margin = { top: 48, right: 24, bottom: 64, left: 72 };
	const plotW = width - margin.left - margin.right;
	const plotH = height - margin.top - margin.bottom;
	const days = reportDays(report);
	const currency = chartCurrency(report);
	const exponent = currency ? currencyExponent(currency) : 0;
	const channels = report.channels.map((c) => c.channel);
	const values = new Map<string, number>();
	let max = 0;
	for (const d of report.daily) {
		const v = currency ? (d.totals[currency] ?? 0) / 10 ** exponent : 0;
		values.set(`${d.date}|${d.channel}`, v);
		max = Math.max(max, v);
	}
	const step = niceStep(max || 1, 5);
	const top = Math.ceil((max || 1) / step) * step;
	const x = (i: number) => margin.left + (days.length <= 1 ? plotW / 2 : (i * plotW) / (days.length - 1));
	const y = (v: number) => margin.top + plotH - (v / top) * plotH;
	const parts: string[] = [];
	parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Arial, Helvetica, sans-serif">`);
	parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
	const title = `Daily sales per channel${currency ? ` (${currency})` : ''}, ${days[0] ?? ''} to ${days[days.length - 1] ?? ''}`;
	parts.push(`<text x="${margin.left}" y="24" font-size="16" font-weight="bold" fill="#222">${escapeXml(title)}</text>`);
	for (let v = 0; v <= top + step / 2; v += step) {
		const yy = y(v).toFixed(1);
		parts.push(`<line x1="${margin.left}" y1="${yy}" x2="${width - margin.right}" y2="${yy}" stroke="#e6e6e6"/>`);
		parts.push(`<text x="${margin.left - 8}" y="${yy}" font-size="11" fill="#555" text-anchor="end" dominant-baseline="middle">${escapeXml(formatAxis(v))}</text>`);
	}
	const labelEvery = Math.max(1, Math.ceil(days.length / 10));
	days.forEach((d, i) => {
		if (i % labelEvery !== 0 && i !== days.length - 1) return;
		parts.push(`<text x="${x(i).toFixed(1)}" y="${height - margin.bottom + 18}" font-size="11" fill="#555" text-anchor="middle">${escapeXml(d.slice(5))}</text>`);
	});
	parts.push(`<line x1="${margin.left}" y1="${margin.top + plotH}" x2="${width - margin.right}" y2="${margin.top + plotH}" stroke="#999"/>`);
	channels.forEach((channel, k) => {
		const color = PALETTE[k % PALETTE.length];
		const points = days.map((d, i) => `${x(i).toFixed(1)},${y(values.get(`${d}|${channel}`) ?? 0).toFixed(1)}`);
		parts.push(`<g class="series" data-channel="${escapeXml(channel)}">`);
		parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2.5" points="${points.join(' ')}"/>`);
		for (const p of points) {
			const [px, py] = p.split(',');
			parts.push(`<circle cx="${px}" cy="${py}" r="3" fill="${color}"/>`);
		}
		parts.push('</g>');
		const lx = margin.left + k * 150;
		parts.push(`<rect x="${lx}" y="${height - 22}" width="12" height="12" fill="${color}"/>`);
		parts.push(`<text x="${lx + 18}" y="${height - 12}" font-size="12" fill="#222">${escapeXml(channel)}</text>`);
	});
	parts.push('</svg>');
	return parts.join('\n');
}

function formatAxis(v: number): string {
	if (v >= 1_000_000) return `${+(v / 1_000_000).toFixed(1)}M`;
	if (v >= 10_000) return `${+(v / 1000).toFixed(1)}k`;
	return String(+v.toFixed(2));
}

const CELL = 'style="border:1px solid #ddd;padding:6px 10px;text-align:left"';
const NUM = 'style="border:1px solid #ddd;padding:6px 10px;text-align:right"';
const HEAD = 'style="border:1px solid #ddd;padding:6px 10px;text-align:left;background:#f4f6fa"';

function table(caption: string, head: string[], rows: string[][], numeric: boolean[]): string {
	const th = head.map((h) => `<th ${HEAD}>${escapeXml(h)}</th>`).join('');
	const body = rows
		.map((r) => `<tr>${r.map((c, i) => `<td ${numeric[i] ? NUM : CELL}>${escapeXml(c)}</td>`).join('')}</tr>`)
		.join('\n');
	return `<h3 style="font-family:Arial,sans-serif;margin:18px 0 6px">${escapeXml(caption)}</h3>\n<table style="border-collapse:collapse;font-family:Arial,sans-serif;font-size:13px">\n<tr>${th}</tr>\n${body}\n</table>`;
}

export function renderHtml(report: SalesReport): string {
	const channelRows = report.channels.flatMap((c) => {
		const rows = [[c.channel, 'all', String(c.orders), formatTotals(c.totals)]];
		for (const [status, s] of Object.entries(c.byStatus ?? {})) rows.push([c.channel, status, String(s.orders), formatTotals(s.totals)]);
		return rows;
	});
	const productRows = report.topProducts.map((p) => [p.sku || '(no SKU)', p.title, String(p.units), formatTotals(p.revenue), p.channels.join(', ')]);
	const dayRows = report.daily.map((d) => [d.date, d.channel, String(d.orders), formatTotals(d.totals)]);
	return [
		`<div style="font-family:Arial,sans-serif"><h2 style="margin:0 0 4px">Sales report</h2><p style="margin:0;color:#555">${escapeXml(report.from)} to ${escapeXml(report.to)} (${escapeXml(report.timeZone)}), ${report.ordersCounted} orders</p></div>`,
		table('Orders per channel', ['Channel', 'Status', 'Orders', 'Total'], channelRows, [false, false, true, true]),
		table('Top products', ['SKU', 'Product', 'Units', 'Revenue', 'Channels'], productRows, [false, false, true, true, false]),
		table('Daily totals', ['Date', 'Channel', 'Orders', 'Total'], dayRows, [false, false, true, true]),
	].join('\n');
}
