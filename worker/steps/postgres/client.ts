// Moved to lib/ so the web process can test connections too.
export * from "@/lib/pg/connect";
