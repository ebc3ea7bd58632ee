/**
 * The HttpSend used outside n8n's request helper (credential test, demo, benchmarks, protocol
 * tests). It is node:http with keep-alive (see nodeHttpSend.ts), measured faster than fetch.
 */
export { nodeHttpSend as fetchSend } from './nodeHttpSend';
