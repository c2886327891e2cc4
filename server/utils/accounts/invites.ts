// Invite links (issue 12, "A workspace"): written by the workspace work. Until then no invite is valid.

/** Uses one invite (valid, not expired, not revoked, uses left); false when it cannot be used. */
export async function redeemInvite(_token: string, _now: number): Promise<boolean> {
  return false
}
