/**
 * TikTok Shop's signature against a value worked out by hand from the documented algorithm, and the
 * credential's authenticate() signing exactly what n8n sends.
 */
import { createHmac } from 'node:crypto';
import { tiktokSign, tiktokSignBase } from '../../platforms/tiktok/sign';
import { CommerceSyncTikTokShopApi } from '../../credentials/CommerceSyncTikTokShopApi.credentials';

/** openssl's answer for the fixed inputs below. */
const KNOWN = 'ba5d6f51b816a3dbe135881d2506d742303fe122141b3c25343746bd379312a3';

describe('TikTok Shop request signature', () => {
	const secret = 'testsecret';
	const path = '/order/202309/orders/search';
	const query = { app_key: 'abc123', timestamp: 1700000000, shop_cipher: 'ROW_XYZ', page_size: 20, sign: 'ignored', access_token: 'ignored-too' };
	const body = '{"update_time_ge":1699990000}';

	it('builds app_secret + path + sorted key+value (no sign, no access_token) + body + app_secret', () => {
		expect(tiktokSignBase(secret, path, query, body)).toBe(
			'testsecret/order/202309/orders/searchapp_keyabc123page_size20shop_cipherROW_XYZtimestamp1700000000{"update_time_ge":1699990000}testsecret',
		);
	});

	it('matches a signature computed by hand for fixed inputs', () => {
		// HMAC-SHA256(key "testsecret") of the string above, computed once with openssl:
		//   printf '%s' 'testsecret/order/...testsecret' | openssl dgst -sha256 -hmac testsecret
		expect(tiktokSign(secret, path, query, body)).toBe(KNOWN);
		expect(tiktokSign(secret, path, query, body)).toBe(createHmac('sha256', secret).update(tiktokSignBase(secret, path, query, body)).digest('hex'));
	});

	it('signs a GET without a body over the empty string', () => {
		expect(tiktokSignBase('s', '/order/202507/orders', { ids: '1,2', app_key: 'k', timestamp: 5 })).toBe('s/order/202507/ordersapp_keykids1,2timestamp5s');
	});

	it('authenticate adds app_key, timestamp, shop_cipher, the token header and a sign over the body it serialises', async () => {
		const credential = new CommerceSyncTikTokShopApi();
		const before = Math.floor(Date.now() / 1000);
		const out = await credential.authenticate(
			{ appKey: ' abc123 ', appSecret: secret, shopCipher: 'ROW_XYZ', accessToken: 'TTP_token', environment: 'custom', baseUrl: 'http://127.0.0.1:1' },
			{ method: 'POST', url: 'http://127.0.0.1:1/order/202309/orders/search', qs: { page_size: 20 }, body: { update_time_ge: 1699990000 }, json: true },
		);
		const qs = out.qs as Record<string, string | number>;
		expect(qs).toMatchObject({ app_key: 'abc123', shop_cipher: 'ROW_XYZ', page_size: 20 });
		expect(Number(qs.timestamp)).toBeGreaterThanOrEqual(before);
		expect(out.body).toBe(body);
		expect(out.headers).toMatchObject({ 'x-tts-access-token': 'TTP_token', 'content-type': 'application/json' });
		const { sign, ...rest } = qs;
		expect(sign).toBe(tiktokSign(secret, path, rest, body));
		expect(JSON.stringify(out)).not.toContain(secret);
	});

	it('authenticate signs the path of baseURL + url (the credential test) and leaves shop_cipher off the authorization APIs', async () => {
		const out = await new CommerceSyncTikTokShopApi().authenticate(
			{ appKey: 'k', appSecret: secret, shopCipher: 'ROW_XYZ', accessToken: 't' },
			{ method: 'GET', baseURL: 'http://127.0.0.1:9', url: '/authorization/202309/shops' },
		);
		const { sign, ...rest } = out.qs as Record<string, string | number>;
		expect(rest.shop_cipher).toBeUndefined();
		expect(sign).toBe(tiktokSign(secret, '/authorization/202309/shops', rest, ''));
	});
});
