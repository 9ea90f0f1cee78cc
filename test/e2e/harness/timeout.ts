// Real n8n takes seconds per run; end-to-end tests get minutes, unit tests keep jest's default.
jest.setTimeout(300_000);
