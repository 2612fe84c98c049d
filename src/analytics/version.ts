/**
 * This package's version, sent as `#lib_version` on every track-type record. Kept in sync with
 * package.json by hand because reading package.json at runtime would not work in bundles.
 * @example record.properties['#lib_version'] === LIB_VERSION
 */
export const LIB_VERSION = '0.1.0';

/**
 * The SDK name sent as `#lib` on every track-type record.
 * @example record.properties['#lib'] === LIB_NAME
 */
export const LIB_NAME = 'inlong-js';
