import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";

// Pages need a session: without the cookie, go to sign-in and come back. The cookie is only a
// hint here; route handlers and pages check the session itself, and APIs answer 401 on their own.
export function proxy(request: NextRequest) {
  if (getSessionCookie(request, { cookiePrefix: "switchyard" })) return NextResponse.next();
  const login = new URL("/login", request.url);
  const next = request.nextUrl.pathname + request.nextUrl.search;
  if (next !== "/") login.searchParams.set("next", next);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/((?!api|login|_next|favicon.ico|.*\\.(?:png|svg|ico|css|js)$).*)"],
};
