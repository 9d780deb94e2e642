import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/app/_lib/server-context";

// better-auth's endpoints: sign-in, sign-out, session, SSO callbacks (rate limited, origin-checked).
export const { GET, POST } = toNextJsHandler((req: Request) => auth().handler(req));
