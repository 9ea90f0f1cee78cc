import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';
import { AMAZON_REGIONS, LWA_TOKEN_URL } from '../platforms/amazon/client';

/** The API root for the region, as an n8n expression over `$credentials` (same rule as amazonBaseUrl()). */
const API_ROOT = `={{ $credentials.region === 'custom' ? String($credentials.baseUrl || '').trim().replace(/\\/+$/, '') : ({ na: '${AMAZON_REGIONS.na}', eu: '${AMAZON_REGIONS.eu}', fe: '${AMAZON_REGIONS.fe}' })[$credentials.region] }}`;

/**
 * Amazon Selling Partner API with Login with Amazon (LWA) tokens, for a private (self-authorized) or
 * published SP-API app: the app's client id and secret and the seller's refresh token (Seller Central,
 * Develop Apps, Authorize). `preAuthentication` trades the refresh token for an access token (valid one
 * hour) and n8n keeps it in the hidden, expirable Access Token; `authenticate` sends it as
 * `x-amz-access-token`. The pack's HTTP transport asks n8n for a new one when Amazon answers that the token
 * has expired (a 403, not a 401: see glue/http.ts). No AWS signature is needed since October 2023.
 */
export class CommerceSyncAmazonSpApi implements ICredentialType {
	name = 'commerceSyncAmazonSpApi';

	displayName = 'Commerce Sync Amazon Selling Partner API';

	icon = 'file:amazon.svg' as const;

	documentationUrl = 'https://developer-docs.amazon.com/sp-api/docs/connecting-to-the-selling-partner-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'North America', value: 'na', description: 'Amazon.com, .ca, .com.mx, .com.br' },
				{ name: 'Europe', value: 'eu', description: 'Amazon.co.uk, .de, .fr, .it, .es, .nl, .se, .pl, .com.tr, .ae, .sa, .in, .eg, .com.be, .ie' },
				{ name: 'Far East', value: 'fe', description: 'Amazon.co.jp, .com.au, .sg' },
				{ name: 'Custom Base URL', value: 'custom', description: 'A proxy or the built-in simulator' },
			],
			default: 'na',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8085',
			description: 'Where the Selling Partner API answers',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8085/auth/o2/token',
			description: 'Where Login with Amazon tokens are issued; empty means Base URL + /auth/o2/token',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'amzn1.application-oa2-client.…',
			description: 'The LWA client identifier of your SP-API app (Developer Central, View app, LWA credentials)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'Atzr|…',
			description: 'The refresh token the seller\'s authorization gave your app',
		},
		{
			displayName: 'Marketplace IDs',
			name: 'marketplaceIds',
			type: 'string',
			default: 'ATVPDKIKX0DER',
			required: true,
			description: 'Comma-separated marketplace IDs to sync, e.g. ATVPDKIKX0DER (Amazon.com) or A1PA6795UKMFR9 (Amazon.de). Stock is read and written in the first one.',
		},
		{
			displayName: 'Seller ID',
			name: 'sellerId',
			type: 'string',
			default: '',
			description: 'Your Merchant Token (Seller Central, Settings, Account Info). Stock needs it; it also tells orders of two Amazon accounts apart.',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const custom = credentials.region === 'custom';
		const tokenUrl = custom
			? String(credentials.tokenUrl || '').trim() || `${String(credentials.baseUrl || '').trim().replace(/\/+$/, '')}/auth/o2/token`
			: LWA_TOKEN_URL;
		const form = [
			['grant_type', 'refresh_token'],
			['refresh_token', String(credentials.refreshToken ?? '').trim()],
			['client_id', String(credentials.clientId ?? '').trim()],
			['client_secret', String(credentials.clientSecret ?? '').trim()],
		].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
		const answer = (await this.helpers.httpRequest({
			method: 'POST',
			url: tokenUrl,
			headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
			body: form,
			json: true,
		})) as { access_token?: string };
		return { accessToken: answer.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'x-amz-access-token': '={{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: API_ROOT,
			url: '/sellers/v1/marketplaceParticipations',
			method: 'GET',
		},
	};
}
