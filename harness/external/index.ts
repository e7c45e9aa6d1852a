export { startExternalServices, DEFAULT_EXTERNAL_CA } from './start-external-services.ts';
export type { ExternalServices, ExternalServicesOptions, StartedExternalService } from './start-external-services.ts';
export { HttpsSiteContainer, StartedHttpsSite } from './https-site-container.ts';
export { ExternalMysqlContainer, StartedExternalMysql } from './mysql-container.ts';
export { imagesFor, offlineImagesFromEnv, OFFLINE_IMAGES_ENV, TOOLBOX_IMAGE, UPSTREAM_IMAGES } from './images.ts';
export { labelsFor, MANAGED_BY_LABEL, MANAGED_BY_VALUE, RUN_LABEL } from './labels.ts';
export { cleanLeftovers } from './clean-leftovers.ts';
export type { CleanReport } from './clean-leftovers.ts';
