import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { tiktokSign } from '../platforms/tiktok/sign';
import { TIKTOK_AUTH_URL, TIKTOK_CREDENTIAL_NAME, TIKTOK_PRODUCTION_URL, TIKTOK_REFRESH_PATH, tiktokBaseUrl } from '../platforms/tiktok/constants';

/**
 * TikTok Shop Open API (202309 and later). Every request is signed here, once, by `authenticate`: it adds
 * `app_key`, `timestamp` and `shop_cipher` to the query, the access token in `x-tts-access-token`, and
 * `sign` over exactly what is sent (the body is serialised here, so the signed bytes are the sent bytes).
 *
 * Tokens: the seller's access token expires (about a week); the refresh token renews it at
 * auth.tiktok-shops.com /api/v2/token/refresh. That is n8n's generic expirable-credential mechanism:
 * `accessToken` is the hidden expirable field and `preAuthentication` fills it from the refresh token
 * (when empty, when n8n's request helper sees the 401 TikTok answers for an expired token, and on the
 * credential test), and n8n stores the new access and refresh tokens (TikTok may rotate the refresh token).
 */
export class CommerceSyncTikTokShopApi implements ICredentialType {
	name = 'commerceSyncTikTokShopApi';

	displayName = TIKTOK_CREDENTIAL_NAME;

	icon = 'file:tiktok.svg' as const;

	documentationUrl = 'https://partner.tiktokshop.com/docv2/page/64f199619495ef0281851fd0';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: 'open-api.tiktokglobalshop.com' },
				{ name: 'Custom Base URL', value: 'custom', description: 'A proxy, or the Commerce Sync TikTok Shop simulator' },
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8085',
			description: 'Where the Open API answers instead of https://open-api.tiktokglobalshop.com (tokens are renewed at the same address, path /api/v2/token/refresh)',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			default: '',
			required: true,
			description: 'The app key from TikTok Shop Partner Center (App & Service → your app)',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The app secret: it signs every request and never leaves n8n',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The seller\'s refresh token from the authorization (Get Access Token). n8n gets and renews the access token with it.',
		},
		{
			displayName: 'Shop Cipher',
			name: 'shopCipher',
			type: 'string',
			default: '',
			required: true,
			description: 'The shop\'s cipher from Get Authorized Shops (e.g. ROW_...): it names the shop on every request',
		},
		{
			displayName: 'Shipping Provider IDs',
			name: 'shippingProviders',
			type: 'string',
			default: '',
			placeholder: 'UPS=6617675021119438849, USPS=6617675021119438850',
			description: 'For Sync Tracking to TikTok Shop: carrier name = TikTok shipping provider ID, comma-separated (IDs from Get Shipping Providers in Partner Center)',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const root = credentials.environment === 'custom' ? tiktokBaseUrl('custom', String(credentials.baseUrl ?? '')) : TIKTOK_AUTH_URL;
		const answer = (await this.helpers.httpRequest({
			method: 'GET',
			url: `${root}${TIKTOK_REFRESH_PATH}`,
			qs: {
				app_key: String(credentials.appKey ?? '').trim(),
				app_secret: String(credentials.appSecret ?? '').trim(),
				refresh_token: String(credentials.refreshToken ?? '').trim(),
				grant_type: 'refresh_token',
			},
			json: true,
			ignoreHttpStatusErrors: true,
		})) as { code?: number; message?: string; data?: { access_token?: string; refresh_token?: string } };
		if (answer?.code !== 0 || !answer.data?.access_token) {
			// The refresh token's own words, never the token: n8n shows this as the run's error.
			throw new Error(`${TIKTOK_CREDENTIAL_NAME}: TikTok Shop did not renew the access token (${answer?.code ?? 'no code'}: ${answer?.message ?? 'no answer'}). Authorize the app for the shop again and put the new refresh token in the "${TIKTOK_CREDENTIAL_NAME}" credential.`);
		}
		return { accessToken: answer.data.access_token, ...(answer.data.refresh_token ? { refreshToken: answer.data.refresh_token } : {}) };
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const url = new URL(requestOptions.url, requestOptions.baseURL || undefined);
		const qs: IDataObject = { ...(requestOptions.qs ?? {}) };
		// Whatever the URL itself carries is signed too.
		url.searchParams.forEach((value, key) => {
			if (qs[key] === undefined) qs[key] = value;
		});
		qs.app_key = String(credentials.appKey ?? '').trim();
		qs.timestamp = Math.floor(Date.now() / 1000);
		// Shop-level APIs take the shop cipher; the authorization APIs (which list the shops) do not.
		if (!url.pathname.startsWith('/authorization/')) qs.shop_cipher = String(credentials.shopCipher ?? '').trim();
		delete qs.sign;
		delete qs.access_token;
		const headers = { ...(requestOptions.headers ?? {}) };
		let body = requestOptions.body;
		// Serialised here so the signature covers the exact string n8n sends.
		if (body !== undefined && body !== null && typeof body === 'object') body = JSON.stringify(body);
		if (typeof body === 'string') headers['content-type'] = 'application/json';
		const signed: Record<string, string> = {};
		for (const [key, value] of Object.entries(qs)) if (value !== undefined && value !== null) signed[key] = String(value);
		qs.sign = tiktokSign(String(credentials.appSecret ?? '').trim(), url.pathname, signed, typeof body === 'string' ? body : '');
		headers['x-tts-access-token'] = String(credentials.accessToken ?? '');
		return { ...requestOptions, qs, headers, ...(body !== undefined ? { body } : {}) };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.environment === "custom" ? String($credentials.baseUrl || "").trim().replace(/\\/+$/, "") : "${TIKTOK_PRODUCTION_URL}" }}`,
			url: '/authorization/202309/shops',
			method: 'GET',
		},
	};
}
