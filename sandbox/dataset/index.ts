// The sample shop's data: schema, generated rows, and the names verification code checks.
export { seedSourceDatabase, measureDataset, type SeedOptions, type SeedResult } from "./seed";
export { DATASET_TABLES, DATASET_VIEWS, DATASET_FUNCTIONS, type DatasetTable } from "./schema";
export {
  DATASET_EXTRA_TABLES,
  DATASET_MATVIEWS,
  DATASET_PARTITIONED,
  DATASET_SCHEMAS,
  DATASET_STANDALONE_SEQUENCE,
  sqlName,
  type DatasetRelation,
} from "./rich-schema";
export { installPlatformExtensions, PLATFORM_EXTENSIONS, PLATFORM_SCHEMA } from "./extensions";
export { planForScale, type SeedPlan } from "./plan";
