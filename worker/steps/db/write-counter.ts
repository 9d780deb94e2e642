// Moved to lib/ so the web process can count them too (the rollback confirmation).
export * from "@/lib/pg/row-write-counter";
