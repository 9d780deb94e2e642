// Moved to lib/ so the web process redacts the same way.
export * from "@/lib/security/scrub";
