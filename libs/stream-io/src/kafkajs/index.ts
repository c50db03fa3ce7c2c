export { kafkajsClient } from './client';
