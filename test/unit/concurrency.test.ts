import { mapLimit } from '../../platforms/concurrency';

describe('bounded concurrency', () => {
	it('keeps the order of the inputs and never has more than the limit in flight', async () => {
		let inFlight = 0;
		let most = 0;
		const out = await mapLimit([5, 1, 4, 2, 3, 0], 3, async (ms, i) => {
			inFlight++;
			most = Math.max(most, inFlight);
			await new Promise((r) => setTimeout(r, ms));
			inFlight--;
			return i * 10;
		});
		expect(out).toEqual([0, 10, 20, 30, 40, 50]);
		expect(most).toBe(3);
	});

	it('throws the first failure after the requests in flight settle, starting no new ones', async () => {
		const started: number[] = [];
		const settled: number[] = [];
		await expect(mapLimit([0, 1, 2, 3, 4, 5], 2, async (i) => {
			started.push(i);
			await new Promise((r) => setTimeout(r, i === 1 ? 1 : 5));
			settled.push(i);
			if (i === 1) throw new Error('item 1 failed');
			return i;
		})).rejects.toThrow('item 1 failed');
		expect(started.length).toBeLessThan(6);
		expect([...settled].sort()).toEqual([...started].sort());
	});
});
