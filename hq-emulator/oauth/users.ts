/** The emulator's fixed users (login name = password), as the issue specifies. */
export const USERS: Readonly<Record<string, string>> = { admin: 'admin', alice: 'alice' };

/** True when the login name and password match one of the fixed users. */
export function checkPassword(username: string, password: string): boolean {
  return Object.hasOwn(USERS, username) && USERS[username] === password;
}
