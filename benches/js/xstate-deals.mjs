export { HandWrittenDeals as XStateDeals } from './handwritten.mjs';
