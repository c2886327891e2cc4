import type { User } from '#shared/protocol'
import type { AccountStorage } from '../storage/account-types'
import { nameSkeleton } from './name-rules'

/**
 * The users with these usernames (for @mentions, room members, direct messages), compared by skeleton: a
 * mention written with a look-alike letter or in another case finds the one account it can only mean.
 * Answers each found user once, with the usernames that found nobody.
 */
export async function usersByUsernames(storage: Pick<AccountStorage, 'usersByUsernameKeys'>, usernames: readonly string[]): Promise<{ users: User[], missing: string[] }> {
  const keys = usernames.map(name => nameSkeleton(name))
  const users = await storage.usersByUsernameKeys([...new Set(keys)])
  const found = new Set(users.map(user => nameSkeleton(user.username)))
  return { users, missing: usernames.filter((_, index) => !found.has(keys[index]!)) }
}

/** Whether any of `names` means this username, by the same skeleton comparison as `usersByUsernames`. */
export function namesUsername(names: readonly string[], username: string): boolean {
  const key = nameSkeleton(username)
  return names.some(name => nameSkeleton(name) === key)
}
