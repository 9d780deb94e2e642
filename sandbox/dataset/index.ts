// The sample shop's data: schema, generated rows, and the names verification code checks.
export { seedSourceDatabase, measureDataset, type SeedOptions, type SeedResult } from "./seed";
export { DATASET_TABLES, DATASET_VIEWS, DATASET_FUNCTIONS, type DatasetTable } from "./schema";
export { planForScale, type SeedPlan } from "./plan";
