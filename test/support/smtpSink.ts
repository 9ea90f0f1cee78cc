/**
 * A minimal SMTP server on loopback that accepts every message and keeps it, so a workflow's Send Email
 * node can be run for real and the message it sent asserted on (RFC 5321 commands, no TLS, no auth).
 */
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface SentMail {
	from: string;
	to: string[];
	/** The raw RFC 5322 message, headers and MIME parts. */
	data: string;
}

export interface SmtpSink {
	port: number;
	mails: SentMail[];
	close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
	const mails: SentMail[] = [];
	const sockets = new Set<Socket>();
	const server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		let buffer = '';
		let inData = false;
		let current: SentMail = { from: '', to: [], data: '' };
		const reply = (line: string) => socket.write(`${line}\r\n`);
		reply('220 sink.local ESMTP ready');
		socket.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('utf8');
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					current.data = buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.');
					buffer = buffer.slice(end + 5);
					mails.push(current);
					current = { from: '', to: [], data: '' };
					inData = false;
					reply('250 2.0.0 queued');
					continue;
				}
				const eol = buffer.indexOf('\r\n');
				if (eol < 0) return;
				const line = buffer.slice(0, eol);
				buffer = buffer.slice(eol + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO') socket.write('250-sink.local\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n');
				else if (verb === 'HELO') reply('250 sink.local');
				else if (verb === 'MAIL') (current.from = line.replace(/^MAIL FROM:\s*/i, '')), reply('250 2.1.0 OK');
				else if (verb === 'RCPT') current.to.push(line.replace(/^RCPT TO:\s*/i, '')), reply('250 2.1.5 OK');
				else if (verb === 'DATA') (inData = true), reply('354 End data with <CR><LF>.<CR><LF>');
				else if (verb === 'QUIT') reply('221 2.0.0 Bye'), socket.end();
				else if (verb === 'RSET' || verb === 'NOOP') reply('250 OK');
				else reply('502 5.5.2 Command not recognized');
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		mails,
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
}
