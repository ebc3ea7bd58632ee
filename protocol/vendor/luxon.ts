/**
 * The luxon API the core uses. This file is the only importer of `luxon` in shipped code: the
 * build replaces its compiled output (dist/protocol/vendor/luxon.js) with an esbuild bundle of
 * these exports, shared by the node and both credentials.
 */
export { DateTime, IANAZone, Zone } from 'luxon';
export type { ZoneOffsetFormat, ZoneOffsetOptions } from 'luxon';
