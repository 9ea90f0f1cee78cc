/**
 * Credentials wired to the simulators and the trigger workflow, as the e2e tests, the benchmarks and
 * `npm run demo` import them into n8n: one copy of each shape.
 */
import type { CredentialFixture } from './n8n';
import { PACKAGE, workflowId } from './workflow';
import type { WorkflowJson, WorkflowNode } from './workflow';

export function shopifyCredential(id: string, name: string, sim: { url: string; accessToken: string }): CredentialFixture {
	return { id, name, type: 'commerceSyncShopifyApi', data: { store: sim.url, accessToken: sim.accessToken, apiVersion: '2026-10' } };
}

export function wooCredential(
	id: string,
	name: string,
	sim: { siteUrl: string; consumerKey: string; consumerSecret: string },
	options: { keysIn?: 'basic' | 'query'; consumerSecret?: string } = {},
): CredentialFixture {
	return {
		id, name, type: 'commerceSyncWooCommerceApi',
		data: { siteUrl: sim.siteUrl, consumerKey: sim.consumerKey, consumerSecret: options.consumerSecret ?? sim.consumerSecret, keysIn: options.keysIn ?? 'basic' },
	};
}

/** SMTP without TLS or login, for the local mail catcher (test/support/smtpSink.ts). */
export function smtpCredential(id: string, name: string, port: number): CredentialFixture {
	return { id, name, type: 'smtp', data: { user: '', password: '', host: '127.0.0.1', port, secure: false, disableStartTls: true } };
}

/** How a node refers to a credential: `{ <type>: { id, name } }`. */
export function credentialRef(credential: CredentialFixture): NonNullable<WorkflowNode['credentials']> {
	return { [credential.type]: { id: credential.id, name: credential.name } };
}

/** A workflow holding only a Channel Orders Trigger polling every minute (n8n's fastest). */
export function channelTriggerWorkflow(
	name: string,
	channel: string,
	credential: CredentialFixture,
	parameters: { emitChanges?: boolean; startFrom?: 'now' | 'date'; startDate?: string; options?: Record<string, unknown> } = {},
	nodeName = 'Orders',
): WorkflowJson {
	const { emitChanges = false, startFrom = 'date', startDate = '2000-01-01T00:00:00Z', options = {} } = parameters;
	return {
		id: workflowId(name),
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: 'trigger', name: nodeName, type: `${PACKAGE}.channelOrdersTrigger`, typeVersion: 1, position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, channel, emitChanges, startFrom, ...(startFrom === 'date' ? { startDate } : {}), options },
				credentials: credentialRef(credential),
			},
		],
	};
}
