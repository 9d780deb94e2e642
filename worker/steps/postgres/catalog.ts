// Moved to lib/ so the web process can inspect a database too (test connection).
export * from "@/lib/pg/catalog";
