import { channelLocationNames, quantitiesByChannelLocation, readItemLocations, validateMapping } from '../../core/locationMap';

describe('location mapping', () => {
	const locations = [{ locationName: 'East', quantity: 10, channelQuantity: 5 }, { locationName: 'West', quantity: -3 }, { locationName: 'North', quantity: 4 }];
	const known = new Set(['east', 'west', 'north']);

	it('same names: each location feeds its namesake, using the rules\' quantity where there is one and never a negative', () => {
		expect([...quantitiesByChannelLocation({ mode: 'sameNames' }, locations, known)]).toEqual([['east', 5], ['west', 0], ['north', 4]]);
		expect(channelLocationNames({ mode: 'sameNames' }, [{ locations }, { locations: [{ locationName: ' east', quantity: 1 }] }])).toEqual(['East', 'West', 'North']);
	});

	it('a table sums several main-store locations into one channel location, ignoring case and spaces', () => {
		const mapping = { mode: 'table' as const, rows: [{ main: 'east', channel: 'Outlet' }, { main: ' North ', channel: 'outlet' }, { main: 'West', channel: 'Store' }] };
		expect([...quantitiesByChannelLocation(mapping, locations, known)]).toEqual([['outlet', 9], ['store', 0]]);
		expect(channelLocationNames(mapping, [])).toEqual(['outlet', 'Store']);
	});

	it('refuses impossible tables before any item, naming the row and the fix', () => {
		expect(() => validateMapping({ mode: 'table', rows: [] })).toThrow(/locationMap: has no rows/);
		expect(() => validateMapping({ mode: 'table', rows: [{ main: 'A', channel: '' }] })).toThrow(/locationMap\[0\]: has an empty location name/);
		expect(() => validateMapping({ mode: 'table', rows: [{ main: 'A', channel: 'B' }, { main: 'a ', channel: 'b' }] })).toThrow(/locationMap\[1\]: maps "a " to "b" twice/);
		expect(() => quantitiesByChannelLocation({ mode: 'table', rows: [{ main: 'Sout', channel: 'B' }] }, locations, known)).toThrow(/locationMap\[0\]\.main: "Sout" is not a location the items were read at \(east, west, north\)/);
	});

	it('an item without per-location stock is refused with the way to get it', () => {
		expect(() => readItemLocations(undefined)).toThrow(/locations: is missing/);
		expect(() => readItemLocations([{ locationName: 'A' }])).toThrow(/locations\[0\]: is not \{locationName, quantity\}/);
	});
});
