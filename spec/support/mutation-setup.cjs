// Loaded by jest.stryker.config.js only: marks the run as mutation testing, so the properties
// make a tenth of their runs (spec/helpers.ts, propertyRuns).
process.env.RXJS_CHANNEL_MUTATION = '1';
