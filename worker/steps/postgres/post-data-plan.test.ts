import { describe, expect, it } from "vitest";
import { attachSql, parseToc, pickEarly, restList, splitScript, type CatalogObject, type CatalogObjects } from "./post-data-plan";

// Shapes copied from pg_restore 15 (-l, and -f for the listed entries).
const LISTING = `;
; Archive created at 2026-11-21 19:00:00 UTC
;
215; 1259 16521 TABLE public accounts postgres
3157; 2606 16530 CONSTRAINT public accounts accounts_pkey postgres
3153; 2606 16574 CHECK CONSTRAINT public posts body_short postgres
3162; 2606 16553 CONSTRAINT public measurements measurements_pkey postgres
3163; 1259 16561 INDEX public measurements_value_idx postgres
3158; 1259 16548 INDEX public posts_account_idx postgres
3170; 0 0 INDEX ATTACH public measurements_2026_pkey postgres
3172; 2606 16543 FK CONSTRAINT public posts posts_account_id_fkey postgres
`;

const SCRIPT = `--
-- PostgreSQL database dump
--

\\restrict abc123

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);
SET row_security = off;

SET default_tablespace = '';

--
-- Name: accounts accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);


SET default_tablespace = fast;

--
-- Name: posts_account_idx; Type: INDEX; Schema: public; Owner: postgres; Tablespace: fast
--

CREATE INDEX posts_account_idx ON public.posts USING btree (account_id, created_at DESC);

ALTER TABLE public.posts CLUSTER ON posts_account_idx;


--
-- PostgreSQL database dump complete
--

\\unrestrict abc123
`;

const catalog: CatalogObjects = {
  indexes: new Map([[16548, { kind: "index", tableOid: 16534, name: "posts_account_idx" }]]),
  // measurements is partitioned (not copied), so its key is not in the catalog map.
  constraints: new Map<number, CatalogObject>([
    [16530, { kind: "constraint", tableOid: 16521, name: "accounts_pkey" }],
    [16543, { kind: "foreign-key", tableOid: 16534, refTableOid: 16521, name: "posts_account_id_fkey" }],
  ]),
};

describe("splitting post-data between per-table work and the rest", () => {
  it("picks the copied tables' indexes, keys and foreign keys, not CHECKs, attachments or partitioned parents", () => {
    const early = pickEarly(parseToc(LISTING), catalog);
    expect(early.map((e) => [e.entry.dumpId, e.kind, e.name, e.tableOid])).toEqual([
      [3157, "constraint", "accounts_pkey", 16521],
      [3158, "index", "posts_account_idx", 16534],
      [3172, "foreign-key", "posts_account_id_fkey", 16534],
    ]);
    const rest = restList(LISTING, early).split("\n");
    expect(rest).toContain(";3157; 2606 16530 CONSTRAINT public accounts accounts_pkey postgres");
    expect(rest).toContain(";3158; 1259 16548 INDEX public posts_account_idx postgres");
    expect(rest).toContain(";3172; 2606 16543 FK CONSTRAINT public posts posts_account_id_fkey postgres");
    expect(rest).toContain("3153; 2606 16574 CHECK CONSTRAINT public posts body_short postgres");
    expect(rest).toContain("3163; 1259 16561 INDEX public measurements_value_idx postgres");
  });

  it("cuts pg_restore's script into one statement text per entry, moving a tablespace switch to the entry it precedes", () => {
    const { preamble, entries } = splitScript(SCRIPT);
    expect(preamble).toBe("SET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\nSET row_security = off;\n\nSET default_tablespace = '';");
    expect(entries).toEqual([
      { name: "accounts accounts_pkey", type: "CONSTRAINT", sql: "ALTER TABLE ONLY public.accounts\n    ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);" },
      {
        name: "posts_account_idx",
        type: "INDEX",
        sql: "SET default_tablespace = fast;\nCREATE INDEX posts_account_idx ON public.posts USING btree (account_id, created_at DESC);\n\nALTER TABLE public.posts CLUSTER ON posts_account_idx;",
      },
    ]);
  });

  it("pairs statements with objects, and gives up (null) when they do not line up", () => {
    const early = pickEarly(parseToc(LISTING), catalog).filter((e) => e.kind !== "foreign-key");
    expect(attachSql(early, SCRIPT)?.objects.map((o) => o.sql.split("\n").find((l) => /^(ALTER|CREATE)/.test(l)))).toEqual([
      "ALTER TABLE ONLY public.accounts",
      "CREATE INDEX posts_account_idx ON public.posts USING btree (account_id, created_at DESC);",
    ]);
    expect(attachSql(early.slice(1), SCRIPT)).toBeNull();
    expect(attachSql([...early].reverse(), SCRIPT)).toBeNull();
  });
});
