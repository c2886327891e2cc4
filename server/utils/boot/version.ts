import packageJson from '../../../package.json'

/** banter's version (package.json), in health and metrics. */
export const BANTER_VERSION: string = packageJson.version
