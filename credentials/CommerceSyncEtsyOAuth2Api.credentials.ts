import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The API root as an n8n expression over this credential's own fields: production, or the custom base
 * URL (a proxy, or the simulator). Same rule as etsyBaseUrl() in platforms/etsy/client.ts.
 */
const BASE = "($self[\"environment\"] === \"custom\" ? String($self[\"baseUrl\"] || \"\").trim().replace(/\\/+$/, \"\") : \"https://openapi.etsy.com\")";
const CREDENTIAL_BASE = "($credentials.environment === \"custom\" ? String($credentials.baseUrl || \"\").trim().replace(/\\/+$/, \"\") : \"https://openapi.etsy.com\")";

/** Scopes the pack needs: receipts (read, tracking), listings (read, inventory write), the shop. */
const SCOPES = 'transactions_r transactions_w listings_r listings_w shops_r';

/**
 * Etsy Open API v3: OAuth 2.0 authorization code with PKCE (Etsy's only grant; a public client, so no
 * client secret goes to the token endpoint: the keystring is sent as client_id), plus the app's key on
 * every request in `x-api-key`. Since 2025 Etsy wants `keystring:shared_secret` there. n8n's OAuth2
 * signing adds only the bearer token, so the nodes pass the key to the Etsy client, which sends it;
 * `authenticate` below serves the credential test.
 */
export class CommerceSyncEtsyOAuth2Api implements ICredentialType {
	name = 'commerceSyncEtsyOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Commerce Sync Etsy OAuth2 API';

	icon = 'file:etsy.svg' as const;

	documentationUrl = 'https://developers.etsy.com/documentation/essentials/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'pkce',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Etsy (Production)', value: 'production' },
				{ name: 'Custom Base URL', value: 'custom', description: 'A proxy, or the Commerce Sync Etsy simulator' },
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8083',
			description: 'Where the Open API answers instead of https://openapi.etsy.com (authorization at /oauth/connect, tokens at /v3/public/oauth/token)',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Keystring (Client ID)',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The app\'s keystring, under Your Apps on etsy.com/developers: the OAuth client ID and the first half of x-api-key',
		},
		{
			displayName: 'Shared Secret',
			name: 'sharedSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The app\'s shared secret: Etsy wants x-api-key as keystring:shared_secret',
		},
		{
			displayName: 'Shop ID',
			name: 'shopId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '12345678',
			description: 'The numeric ID of the Etsy shop whose receipts, listings and stock are synced',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ $self["environment"] === "custom" ? ${BASE} + "/oauth/connect" : "https://www.etsy.com/oauth/connect" }}`,
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ $self["environment"] === "custom" ? ${BASE} + "/v3/public/oauth/token" : "https://api.etsy.com/v3/public/oauth/token" }}`,
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: SCOPES,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{ String($credentials.sharedSecret || "").trim() ? String($credentials.clientId).trim() + ":" + String($credentials.sharedSecret).trim() : String($credentials.clientId).trim() }}',
				Authorization: '=Bearer {{ $credentials.oauthTokenData.access_token }}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ${CREDENTIAL_BASE} }}/v3/application`,
			url: '/users/me',
			method: 'GET',
		},
	};
}
