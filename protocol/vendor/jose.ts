/**
 * The jose API the core uses. This file is the only importer of `jose` in shipped code: the build
 * replaces its compiled output (dist/protocol/vendor/jose.js) with an esbuild bundle of these
 * exports, so the published package needs no `jose` at runtime and holds one copy of it. Named
 * exports only: `export *` would pull in jose's JWE deflate code, which reads `globalThis`.
 */
export { SignJWT, decodeJwt } from 'jose';
export type { JWTPayload } from 'jose';
